// The worker's queue: which shops have due ledger rows, and claiming a
// shop's due rows with an expiring lease. One statement claims a batch on
// either database, so several workers (processes or machines) share the
// queue safely: a row is claimed by exactly one of them.
//
// Cost matters here: the worker claims each time a slot frees up, up to a
// few hundred times a second. A claim reads a claim's worth of index entries
// whatever the backlog, never the whole table (the first version listed shops
// with a GROUP BY that SQLite answered by reading every ledger row, 9 KB
// snapshots included: 50 ms per claim at 25,000 orders; docs/benchmarks.md).
// The shop list reads the (state, nextAttemptAt, shop) index alone; a claim
// walks (shop, state, nextAttemptAt).
//
// A shop whose ERP is not answering (its ErpHealth row is open, see
// delivery/erp-breaker.ts) has nothing to claim: the check is part of the claiming
// statement, so no worker sends into an outage another worker has just
// detected. Only the probe, under the breaker's probe lease, claims past it.
import { Prisma, type OrderSync, type PrismaClient } from "@prisma/client";
import type { DatabaseProvider } from "../../db/url";
import { sqliteDateTime } from "./ledger-sql";
import { CLAIMABLE_STATES } from "./states";

export interface ClaimRequest {
  shop: string;
  take: number;
  /** Due means nextAttemptAt <= now (pending, retrying) or an expired lease (sending) at this moment. */
  now: Date;
  workerId: string;
  /** Claims token: each row's lease token is `${batchToken}:${row id}`. */
  batchToken: string;
  leaseExpiresAt: Date;
  /** Rows this worker is still working on (a lease that expired under it is not claimed back by itself). */
  exclude: string[];
  /** Claim even though the shop's ERP breaker is open: the caller holds the probe lease. */
  probe?: boolean;
}

export interface DueShop {
  shop: string;
  oldestDueAt: Date;
}

/**
 * Shops with due work, oldest first. Two grouped reads, each served by an
 * index alone ((state, nextAttemptAt, shop) and (state, leaseExpiresAt)):
 * the cost grows with the number of due rows, not with the ledger's size.
 */
export async function listDueShops(prisma: PrismaClient, now: Date): Promise<DueShop[]> {
  const [waiting, expired] = await Promise.all([
    prisma.orderSync.groupBy({
      by: ["shop"],
      where: { state: { in: CLAIMABLE_STATES }, nextAttemptAt: { lte: now } },
      _min: { nextAttemptAt: true },
    }),
    // A crashed worker's claims.
    prisma.orderSync.groupBy({
      by: ["shop"],
      where: { state: "sending", leaseExpiresAt: { lt: now } },
      _min: { nextAttemptAt: true },
    }),
  ]);
  const oldest = new Map<string, Date>();
  for (const { shop, _min } of [...waiting, ...expired]) {
    const at = _min.nextAttemptAt ?? now;
    const known = oldest.get(shop);
    if (!known || at < known) oldest.set(shop, at);
  }
  return [...oldest]
    .map(([shop, oldestDueAt]) => ({ shop, oldestDueAt }))
    .sort((a, b) => a.oldestDueAt.getTime() - b.oldestDueAt.getTime());
}

/** Claim up to `take` of a shop's due rows, oldest first; returns them as claimed. */
export async function claimDueOrders(prisma: PrismaClient, provider: DatabaseProvider, request: ClaimRequest): Promise<OrderSync[]> {
  if (request.take <= 0) return [];
  const rows = provider === "postgresql" ? await claimOnPostgres(prisma, request) : await claimOnSqlite(prisma, request);
  return rows
    .filter((row) => row.leaseToken === `${request.batchToken}:${row.id}`)
    .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
}

/**
 * PostgreSQL: FOR UPDATE SKIP LOCKED makes workers on other machines skip
 * rows another worker is claiming at this instant instead of waiting or
 * double-claiming. A single UPDATE is its own transaction: the row lock lasts
 * only until the claim is written; from then on the lease (token + expiry) is
 * what serialises work on the order, exactly as on SQLite.
 */
async function claimOnPostgres(prisma: PrismaClient, r: ClaimRequest): Promise<OrderSync[]> {
  // Timestamps as UTC text cast to Prisma's column type (timestamp(3), no
  // zone), so the session's TimeZone setting cannot shift the comparison.
  const at = r.now.toISOString();
  const erpAnswers = r.probe
    ? Prisma.empty
    : Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "ErpHealth" WHERE "shop" = ${r.shop} AND "openedAt" IS NOT NULL)`;
  const claimedIds = await prisma.$queryRaw<Array<{ id: string }>>`
    WITH picked AS (
      SELECT "id" FROM "OrderSync"
      WHERE "shop" = ${r.shop}
        ${erpAnswers}
        AND "id" <> ALL(${r.exclude}::text[])
        AND (("state" IN ('pending', 'retrying') AND "nextAttemptAt" <= CAST(${at} AS timestamp(3)))
          OR ("state" = 'sending' AND "leaseExpiresAt" < CAST(${at} AS timestamp(3))))
      ORDER BY "nextAttemptAt" ASC
      LIMIT ${r.take}::int
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "OrderSync" AS o
    SET "state" = 'sending',
        "leaseOwner" = ${r.workerId},
        "leaseToken" = ${r.batchToken} || ':' || o."id",
        "leaseExpiresAt" = CAST(${r.leaseExpiresAt.toISOString()} AS timestamp(3))
    FROM picked
    WHERE o."id" = picked."id"
    RETURNING o."id"`;
  if (claimedIds.length === 0) return [];
  return prisma.orderSync.findMany({ where: { id: { in: claimedIds.map((row) => row.id) } } });
}

// One branch per way of being due, each an ordered walk of an index limited
// to a claim's worth; SQLite answers a single "state IN (...) OR ..." by
// sorting every due row of the shop. The exclusion list arrives as one JSON parameter.
const SQLITE_DUE_BRANCH = (state: string, dueColumn: string) => `
  SELECT "rowid" AS "r", "dueAt" FROM (
    SELECT "rowid", "nextAttemptAt" AS "dueAt" FROM "OrderSync"
    WHERE "shop" = ? AND "state" = '${state}' AND "${dueColumn}" ${dueColumn === "nextAttemptAt" ? "<=" : "<"} ?
      AND "id" NOT IN (SELECT "value" FROM json_each(?))
    ORDER BY "nextAttemptAt" LIMIT ?)`;

const sqliteClaimSql = (erpAnswersCheck: string) => `
UPDATE "OrderSync"
SET "state" = 'sending', "leaseOwner" = ?, "leaseToken" = ? || ':' || "id", "leaseExpiresAt" = ?
WHERE ${erpAnswersCheck} "rowid" IN (
  SELECT "r" FROM (
    ${SQLITE_DUE_BRANCH("pending", "nextAttemptAt")}
    UNION ALL ${SQLITE_DUE_BRANCH("retrying", "nextAttemptAt")}
    UNION ALL ${SQLITE_DUE_BRANCH("sending", "leaseExpiresAt")}
    ORDER BY "dueAt" LIMIT ?))
RETURNING *`;
// The breaker check is not correlated with the row: SQLite runs it once per statement.
const SQLITE_CLAIM_SQL = sqliteClaimSql(`NOT EXISTS (SELECT 1 FROM "ErpHealth" WHERE "shop" = ? AND "openedAt" IS NOT NULL) AND`);
const SQLITE_PROBE_CLAIM_SQL = sqliteClaimSql("");

/**
 * SQLite: one UPDATE … RETURNING. SQLite runs a writing statement under the
 * database's write lock from its first read, so the rows it picks cannot be
 * claimed by another process in between; the rows come back typed as Prisma
 * reads them (the driver adapter types columns by their declared types).
 */
async function claimOnSqlite(prisma: PrismaClient, r: ClaimRequest): Promise<OrderSync[]> {
  const at = sqliteDateTime(r.now);
  const exclude = JSON.stringify(r.exclude);
  const branch = [r.shop, at, exclude, r.take];
  return prisma.$queryRawUnsafe<OrderSync[]>(
    r.probe ? SQLITE_PROBE_CLAIM_SQL : SQLITE_CLAIM_SQL,
    r.workerId,
    r.batchToken,
    sqliteDateTime(r.leaseExpiresAt),
    ...(r.probe ? [] : [r.shop]),
    ...branch,
    ...branch,
    ...branch,
    r.take,
  );
}
