// A PostgreSQL restart (or failover) kills connections in the middle of
// transactions. The app must keep answering afterwards: every connection a
// broken transaction held must go back to (or out of) the pool. Prisma's
// transaction manager skips the adapter's release when its COMMIT or
// ROLLBACK query fails, so each such transaction kept one pooled connection
// forever; after as many as the pool holds, every query waited for a
// connection that never came (the chaos run's "wedged" web process).
// Needs PostgreSQL (TEST_POSTGRES_URL, default the local test server); skips
// with the reason when it is not reachable.
import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../app/db/client";
import { createPostgresDatabase, postgresUnavailableReason } from "../../testkit/db";

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`[test/postgres/broken-connections] skipped: ${unavailable}`);

const POOL = 2;
let database: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let admin: pg.Client;

beforeAll(async () => {
  if (unavailable) return;
  database = await createPostgresDatabase();
  prisma = createPrismaClient(database.url, { poolMax: POOL });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await prisma?.$disconnect();
  await admin?.end();
  await database?.drop();
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);
}

describe.skipIf(!!unavailable)("PostgreSQL connections broken mid-transaction", () => {
  it("are not kept by the pool: after more broken transactions than the pool has connections, queries still answer", async () => {
    for (let i = 0; i < POOL * 3; i++) {
      const outcome = await within(
        prisma
          .$transaction(async (tx) => {
            const [{ pid }] = await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
            // What a database restart does to every connection at once.
            await admin.query("SELECT pg_terminate_backend($1)", [pid]);
            await tx.shopSettings.count();
          })
          .then(
            () => "committed",
            () => "failed",
          ),
        10_000,
        `broken transaction ${i + 1}`,
      );
      expect(outcome).toBe("failed");
    }
    // Before the fix this waited forever for a pooled connection.
    expect(await within(prisma.shopSettings.count(), 5_000, "query after the broken transactions")).toBe(0);
    expect(await within(prisma.$transaction((tx) => tx.shopSettings.count()), 5_000, "transaction after them")).toBe(0);
  });
});
