// The worker's queue (app/sync/ledger/claim-due-orders.ts) on the real database:
// which rows are due, in which order, claimed by exactly one worker, and (on
// SQLite, where the planner needed help) read from indexes, never by reading
// the whole ledger, which made every claim cost more the longer a shop used
// the app.
import { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviderOf } from "../../app/db/client";
import { SingleConnectionPrismaLibSQL } from "../../app/db/sqlite/adapter";
import { claimDueOrders, listDueShops } from "../../app/sync/ledger/claim-due-orders";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../testkit/db";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";

const A = "queue-a.myshopify.com";
const B = "queue-b.myshopify.com";
let db: TestDatabase;
let nextId = 7100000000000000001n;
const NOW = Date.now() + 60_000; // every row intake writes is due by then

async function order(shop: string): Promise<string> {
  const res = await recordWebhookEvent(db.prisma, webhookInput(shop, "orders/create", makeOrder({ id: nextId++, name: `#${Number(nextId % 100000n)}` })));
  return res.orderSyncId!;
}

function claim(shop: string, take: number, at = NOW, exclude: string[] = [], token = `t${Math.random()}`) {
  return claimDueOrders(db.prisma, databaseProviderOf(db.prisma), {
    shop,
    take,
    now: new Date(at),
    workerId: "test-worker",
    batchToken: token,
    leaseExpiresAt: new Date(at + 30_000),
    exclude,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

describe("claiming due orders", () => {
  it("claims a shop's due orders oldest first, at most as many as asked, each with its own lease token", async () => {
    const ids = [await order(A), await order(A), await order(A)];
    // Oldest first: make the third the most overdue.
    await db.prisma.orderSync.update({ where: { id: ids[2] }, data: { nextAttemptAt: new Date(NOW - 3_600_000) } });
    const first = await claim(A, 2, NOW, [], "batch1");
    expect(first.map((r) => r.id)).toEqual([ids[2], ids[0]]);
    for (const r of first) {
      expect(r).toMatchObject({ state: "sending", leaseOwner: "test-worker", leaseToken: `batch1:${r.id}` });
      expect(r.leaseExpiresAt?.getTime()).toBe(NOW + 30_000);
      // Typed as Prisma reads it, snapshot included.
      expect(r.nextAttemptAt).toBeInstanceOf(Date);
      expect(typeof r.createMaybeSent).toBe("boolean");
      expect(r.snapshot.length).toBeGreaterThan(1000);
    }
    // Claimed rows are not claimed again; the rest is.
    expect((await claim(A, 5)).map((r) => r.id)).toEqual([ids[1]]);
    expect(await claim(A, 5)).toEqual([]);
  });

  it("leaves what is not due: a retry scheduled later, a live lease, finished orders, other shops", async () => {
    const later = await order(B);
    const finished = await order(B);
    const leased = await order(B);
    await db.prisma.orderSync.update({ where: { id: later }, data: { state: "retrying", nextAttemptAt: new Date(NOW + 60_000) } });
    await db.prisma.orderSync.update({ where: { id: finished }, data: { state: "synced" } });
    await db.prisma.orderSync.update({ where: { id: leased }, data: { state: "sending", leaseToken: "other", leaseExpiresAt: new Date(NOW + 10_000) } });
    expect(await claim(B, 10)).toEqual([]);
    // The retry comes due; the other worker's lease expires (it crashed).
    const claimed = await claim(B, 10, NOW + 61_000);
    expect(claimed.map((r) => r.id).sort()).toEqual([later, leased].sort());
  });

  it("does not hand a worker back an order it is still working on", async () => {
    const mine = await order(A);
    await db.prisma.orderSync.update({ where: { id: mine }, data: { state: "sending", leaseToken: "mine", leaseExpiresAt: new Date(NOW - 1) } });
    expect(await claim(A, 10, NOW, [mine])).toEqual([]);
    expect((await claim(A, 10, NOW)).map((r) => r.id)).toEqual([mine]);
  });

  it("lets exactly one of several workers racing for the same orders have each", async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => order(B)));
    const workers = Array.from({ length: 4 }, (_, w) => {
      const client = testDatabaseProvider() === "sqlite" ? new PrismaClient({ adapter: new SingleConnectionPrismaLibSQL({ url: db.url }) }) : db.prisma;
      return { client, token: `w${w}` };
    });
    try {
      const results = await Promise.all(
        workers.flatMap(({ client, token }) =>
          [0, 1, 2].map((round) =>
            claimDueOrders(client, databaseProviderOf(db.prisma), {
              shop: B,
              take: 2,
              now: new Date(NOW),
              workerId: token,
              batchToken: `${token}-${round}`,
              leaseExpiresAt: new Date(NOW + 30_000),
              exclude: [],
            }),
          ),
        ),
      );
      const claimed = results.flat().map((r) => r.id);
      expect(claimed.sort()).toEqual([...ids].sort());
    } finally {
      for (const { client } of workers) if (client !== db.prisma) await client.$disconnect();
    }
  });

  it("claims nothing of a shop whose ERP is not answering, except one order for the probe", async () => {
    const shop = "queue-paused.myshopify.com";
    const ids = [await order(shop), await order(shop)];
    await db.prisma.erpHealth.create({ data: { shop, openedAt: new Date(NOW - 60_000), failureStreak: 10 } });
    expect(await claim(shop, 10)).toEqual([]);
    const probe = await claimDueOrders(db.prisma, databaseProviderOf(db.prisma), {
      shop,
      take: 1,
      now: new Date(NOW),
      workerId: "prober",
      batchToken: "probe",
      leaseExpiresAt: new Date(NOW + 30_000),
      exclude: [],
      probe: true,
    });
    expect(probe.map((r) => r.id)).toEqual([ids[0]]);
    // Another shop is not held up; once the ERP answers (closed), the rest is claimed.
    await order(A);
    expect(await claim(A, 10)).toHaveLength(1);
    await db.prisma.erpHealth.update({ where: { shop }, data: { openedAt: null } });
    expect((await claim(shop, 10)).map((r) => r.id)).toEqual([ids[1]]);
  });

  it("lists the shops that have due work, the one waiting longest first", async () => {
    const waiting = await order(A);
    await db.prisma.orderSync.update({ where: { id: waiting }, data: { nextAttemptAt: new Date(NOW - 7_200_000) } });
    await order(B);
    const shops = await listDueShops(db.prisma, new Date(NOW));
    expect(shops.map((s) => s.shop)).toEqual([A, B]);
    expect(shops[0].oldestDueAt.getTime()).toBe(NOW - 7_200_000);
  });
});

describe("the queue's cost on SQLite", () => {
  const onSqlite = testDatabaseProvider() === "sqlite";
  if (!onSqlite) {
    console.warn("test/sync/claim-due-orders.test.ts: query plan checks skipped: they read SQLite's EXPLAIN QUERY PLAN, and this run uses PostgreSQL.");
  }

  async function plan(client: PrismaClient, sql: string, args: unknown[]): Promise<string> {
    const rows = await client.$queryRawUnsafe<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, ...args);
    return rows.map((r) => r.detail).join(" | ");
  }

  it.skipIf(!onSqlite)("reads due work from indexes, never every ledger row", async () => {
    const queries: Array<{ sql: string; params: unknown[] }> = [];
    const client = new PrismaClient({ adapter: new SingleConnectionPrismaLibSQL({ url: db.url }), log: [{ emit: "event", level: "query" }] });
    client.$on("query", (e) => {
      if (/^\s*(SELECT|UPDATE)/i.test(e.query)) queries.push({ sql: e.query, params: JSON.parse(e.params) });
    });
    try {
      await listDueShops(client, new Date(NOW));
      await claimDueOrders(client, "sqlite", {
        shop: A,
        take: 4,
        now: new Date(NOW),
        workerId: "plan",
        batchToken: "plan",
        leaseExpiresAt: new Date(NOW + 30_000),
        exclude: ["x"],
      });
      expect(queries).toHaveLength(3); // two shop listings, one claim
      const plans = await Promise.all(queries.map((q) => plan(client, q.sql, q.params)));
      for (const p of plans) {
        // "SCAN OrderSync" is a read of every ledger row; SEARCH … USING INDEX reads only matching entries.
        expect(p).not.toMatch(/SCAN (main\.)?OrderSync\b/);
        expect(p).toMatch(/SEARCH (main\.)?OrderSync USING (COVERING )?INDEX/);
      }
      // Listing the shops with waiting orders needs no table row at all.
      expect(plans[0]).toMatch(/COVERING INDEX OrderSync_state_nextAttemptAt_shop_idx/);
    } finally {
      await client.$disconnect();
    }
  });
});
