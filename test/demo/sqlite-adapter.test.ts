// The SQLite adapter the app uses (app/db/sqlite/adapter.ts): intake keeps
// answering while another process writes the same file (the web app and the
// worker do exactly that), transactions roll back, and the connection (with
// its busy timeout) survives transactions.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@libsql/client";
import { PrismaClient } from "@prisma/client";
import { SingleConnectionPrismaLibSQL, SQLITE_BUSY_TIMEOUT_MS } from "../../app/db/sqlite/adapter";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../testkit/db";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";

const SHOP = "adapter-test.myshopify.com";
let db: TestDatabase;
let prisma: PrismaClient;

// This adapter only ever talks to SQLite files; on PostgreSQL the app uses
// @prisma/adapter-pg and there is no file a second process could write.
const onSqlite = testDatabaseProvider() === "sqlite";
if (!onSqlite) {
  console.warn("test/demo/sqlite-adapter.test.ts skipped: it tests the SQLite file adapter, and this run uses PostgreSQL (TEST_DATABASE=postgres).");
}

beforeAll(async () => {
  if (!onSqlite) return;
  db = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new SingleConnectionPrismaLibSQL({ url: db.url }) });
  await prisma.shopSettings.create({ data: { shop: SHOP } });
});
afterAll(async () => {
  if (!onSqlite) return;
  await prisma.$disconnect();
  await db.cleanup();
});

/** Another process writing the file in short transactions for `ms`, as the worker does. */
function otherProcessWriting(url: string, ms: number): Promise<number> {
  const script = `
    const { createClient } = require("@libsql/client");
    const c = createClient({ url: process.argv[1] });
    (async () => {
      await c.execute("PRAGMA busy_timeout = 5000");
      const until = Date.now() + Number(process.argv[2]);
      let n = 0;
      while (Date.now() < until) {
        await c.execute({ sql: "UPDATE ShopSettings SET logRetentionDays = ? WHERE shop = ?", args: [1 + (n % 90), "${SHOP}"] });
        n++;
      }
      console.log(n);
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve(__dirname, "../../node_modules/.bin/node"), ["-e", script, url, String(ms)], {
      cwd: path.resolve(__dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.once("exit", (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`writer exited ${code}`))));
  });
}

describe.skipIf(!onSqlite)("SQLite adapter", () => {
  it("records every webhook while another process keeps writing the same database", async () => {
    const writer = otherProcessWriting(db.url, 2_000);
    const inputs = Array.from({ length: 150 }, (_, i) =>
      webhookInput(SHOP, "orders/create", makeOrder({ id: 6100000000000000000n + BigInt(i), name: `#${i}` })),
    );
    const results = await Promise.allSettled(inputs.map((input) => recordWebhookEvent(prisma, input)));
    const writes = await writer;
    const failures = results.filter((r) => r.status === "rejected");
    expect(writes).toBeGreaterThan(0);
    expect(failures.map((f) => String((f as PromiseRejectedResult).reason).slice(0, 200))).toEqual([]);
    expect(await prisma.orderSync.count({ where: { shop: SHOP } })).toBe(150);
  });

  it("switches a database that prisma migrate deploy created to WAL, so readers and the other process's writer do not block each other", async () => {
    const fresh = await createTestDatabase();
    try {
      // Straight from the migrations: SQLite's default rollback journal.
      const raw = createClient({ url: fresh.url });
      expect((await raw.execute("PRAGMA journal_mode")).rows[0][0]).toBe("delete");
      raw.close();
      await fresh.prisma.shopSettings.count();
      const [mode] = await fresh.prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(mode.journal_mode).toBe("wal");
    } finally {
      await fresh.cleanup();
    }
  });

  it("hands Prisma the values @libsql/client would: bytes, exact integers, and an error for integers JavaScript cannot hold", async () => {
    const [row] = await prisma.$queryRawUnsafe<{ bytes: Uint8Array; big: number; yes: number }[]>(
      "SELECT X'00ff10' AS bytes, 9007199254740991 AS big, 1 = 1 AS yes",
    );
    expect([...row.bytes]).toEqual([0, 255, 16]);
    expect(row.big).toBe(Number.MAX_SAFE_INTEGER);
    expect(row.yes).toBe(1);
    await expect(prisma.$queryRawUnsafe("SELECT 9007199254740993 AS too_big")).rejects.toThrow(/cannot be safely represented/);
    // Unique violations keep Prisma's error code (intake and SKU mappings retry on it).
    await expect(prisma.shopSettings.create({ data: { shop: SHOP } })).rejects.toMatchObject({ code: "P2002" });
  });

  it("rolls a failed transaction back and keeps its one connection (and busy timeout) afterwards", async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.shopSettings.update({ where: { shop: SHOP }, data: { externalIdPrefix: "rolled-back-" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).externalIdPrefix).toBe("shopify-");
    // The stock adapter opens a new connection after every transaction; its busy timeout would be back to 0.
    const [row] = await prisma.$queryRawUnsafe<{ timeout: number | bigint }[]>("PRAGMA busy_timeout");
    expect(Number(row.timeout)).toBe(SQLITE_BUSY_TIMEOUT_MS);
  });
});
