// Intake on SQLite commits webhooks that arrive together in one transaction
// (app/sync/intake/sqlite-store.ts). What that must not change, whatever
// TEST_DATABASE says (this is the SQLite store, so a SQLite file always):
// each event stays all-or-nothing, an answer means committed, Prisma's own
// transactions in the same process still get their turn, and the WAL is
// checkpointed off the request path.
import { statSync } from "node:fs";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteWriteLock } from "../../app/db/sqlite/write-lock";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";

const SHOP = "group-commit.myshopify.com";
let db: TestDatabase;
let file: string;

beforeAll(async () => {
  db = await createTestDatabase("sqlite");
  file = db.url.replace(/^file:/, "");
  await db.prisma.shopSettings.create({ data: { shop: SHOP } });
});
afterAll(() => db.cleanup());

function orderEvent(n: number, eventId = `gc-${n}`) {
  const order = makeOrder({ id: 5550000000000000000n + BigInt(n), name: `#${7000 + n}`, lines: [{ title: "Blue T-shirt", sku: "TSHIRT-BLUE-M", price: "19.99" }] });
  return webhookInput(SHOP, "orders/create", order, { eventId });
}

describe("SQLite group commit", () => {
  it("keeps each event all-or-nothing when one event of a batch fails", async () => {
    // A trigger makes exactly one event's inbox insert fail, after its ledger row was written.
    const raw = createClient({ url: db.url });
    await raw.execute(`CREATE TRIGGER poison BEFORE INSERT ON "WebhookEvent" WHEN NEW."eventId" = 'gc-poison' BEGIN SELECT RAISE(ABORT, 'poisoned event'); END`);
    try {
      const inputs = Array.from({ length: 30 }, (_, i) => (i === 17 ? orderEvent(i, "gc-poison") : orderEvent(i)));
      const outcomes = await Promise.allSettled(inputs.map((input) => recordWebhookEvent(db.prisma, input)));
      const failed = outcomes.filter((o) => o.status === "rejected");
      expect(failed).toHaveLength(1);
      expect(String((failed[0] as PromiseRejectedResult).reason)).toContain("poisoned event");
      expect(outcomes.filter((o) => o.status === "fulfilled" && o.value.status === "recorded")).toHaveLength(29);
      // The failed event left nothing behind: no inbox row, no ledger row for its order.
      expect(await db.prisma.webhookEvent.count({ where: { eventId: "gc-poison" } })).toBe(0);
      expect(await db.prisma.orderSync.count({ where: { orderName: "#7017" } })).toBe(0);
      // Its 29 neighbours are all there, inbox and ledger.
      expect(await db.prisma.webhookEvent.count({ where: { eventId: { startsWith: "gc-" } } })).toBe(29);
      expect(await db.prisma.orderSync.count({ where: { shop: SHOP, orderName: { startsWith: "#70" } } })).toBe(29);
    } finally {
      await raw.execute("DROP TRIGGER poison");
      raw.close();
    }
    // Shopify delivers the failed event again: now it goes through.
    expect((await recordWebhookEvent(db.prisma, orderEvent(17, "gc-poison"))).status).toBe("recorded");
  });

  it("answers only once the event is committed: another connection reads it at once", async () => {
    const result = await recordWebhookEvent(db.prisma, orderEvent(100));
    const other = createClient({ url: db.url });
    try {
      const rows = await other.execute({ sql: 'SELECT "state", "externalId" FROM "OrderSync" WHERE "id" = ?', args: [result.orderSyncId!] });
      expect(rows.rows[0]).toMatchObject({ state: "pending", externalId: "shopify-5550000000000000100" });
    } finally {
      other.close();
    }
  });

  it("writes rows Prisma reads back exactly (dates, booleans, defaults)", async () => {
    const before = Date.now();
    const result = await recordWebhookEvent(db.prisma, orderEvent(101));
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: result.orderSyncId! } });
    for (const date of [row.createdAt, row.updatedAt, row.nextAttemptAt]) {
      expect(date.getTime()).toBeGreaterThanOrEqual(before);
      expect(date.getTime()).toBeLessThanOrEqual(Date.now());
    }
    expect(row).toMatchObject({ cancelledInShopify: false, manualSkip: false, createMaybeSent: false, revision: 0, attemptCount: 0, problems: "[]" });
    // A date comparison through Prisma (as the worker's claim makes) finds it due.
    expect(await db.prisma.orderSync.count({ where: { id: row.id, nextAttemptAt: { lte: new Date() } } })).toBe(1);
  });

  it("lets a Prisma transaction in the same process finish instead of both waiting for the busy timeout", async () => {
    const started = performance.now();
    let transactionDone = 0;
    const transaction = db.prisma.$transaction(async (tx) => {
      await tx.shopSettings.update({ where: { shop: SHOP }, data: { logRetentionDays: 31 } });
      // Holds SQLite's write lock across awaits, as Prisma's interactive transactions do.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.shopSettings.update({ where: { shop: SHOP }, data: { logRetentionDays: 32 } });
      transactionDone = performance.now();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const intake = await recordWebhookEvent(db.prisma, orderEvent(102));
    const intakeDone = performance.now();
    await transaction;
    expect(intake.status).toBe("recorded");
    expect((await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).logRetentionDays).toBe(32);
    // Intake waited for the transaction (not the other way round), and neither sat out SQLite's 5 s busy timeout.
    expect(intakeDone).toBeGreaterThanOrEqual(transactionDone);
    expect(intakeDone - started).toBeLessThan(2_000);
  });

  it("holds Prisma's single statements while an intake batch has the file, so neither blocks the other inside SQLite", async () => {
    // While a batch is out, the writer thread holds SQLite's write lock and
    // waits for this thread to decide. A Prisma write reaching SQLite then
    // would block this thread in SQLite's busy wait: 5 s stalled, then an
    // error. So Prisma's statements outside a transaction (updateMany, raw
    // SQL; update() runs in a transaction) take the process lock first.
    const release = await sqliteWriteLock(db.url).acquire();
    let written = false;
    const raw = db.prisma.$executeRawUnsafe('UPDATE "ShopSettings" SET "logRetentionDays" = 77 WHERE "shop" = ?', SHOP).then(() => (written = true));
    const many = db.prisma.shopSettings.updateMany({ where: { shop: SHOP }, data: { logRetentionDays: 78 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written).toBe(false);
    release();
    await Promise.all([raw, many]);
    expect(written).toBe(true);
  });

  it("checkpoints the WAL into the database file off the request path", async () => {
    const sizeBefore = statSync(file).size;
    await Promise.all(Array.from({ length: 150 }, (_, i) => recordWebhookEvent(db.prisma, orderEvent(1000 + i))));
    // Intake's writer thread never checkpoints inside a commit; it does between batches, a few times a second.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const grownBy = statSync(file).size - sizeBefore;
    expect(grownBy).toBeGreaterThan(150 * 4_000);
  });
});
