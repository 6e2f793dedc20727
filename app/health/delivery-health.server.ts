// Reads the facts delivery-health.ts computes with, for one shop or for every
// shop (/metrics), from the ledger alone. Every query is scoped to its shop
// and served by the (shop, shopifyCreatedAt) / (shop, erpCommittedAt) /
// (shop, state, …) indexes.
import type { PrismaClient } from "@prisma/client";
import { databaseProviderOf } from "../db/client";
import {
  deliveryHealth,
  HEALTH_WINDOWS,
  normalizeSource,
  WAITING_STATES,
  type DeliveryHealth,
  type FirstSeenSource,
  type HealthFacts,
  type HealthWindow,
} from "./delivery-health";

/** Lag samples read per shop for the 14-day figures (newest first); beyond this the quantiles are of the newest. */
export const LAG_SAMPLE_LIMIT = 200_000;

function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

async function firstSeenSince(prisma: PrismaClient, shop: string, since: Date): Promise<Partial<Record<FirstSeenSource, number>>> {
  const groups = await prisma.orderSync.groupBy({
    by: ["firstSeenBy"],
    where: { shop, shopifyCreatedAt: { gte: since } },
    _count: { _all: true },
  });
  const counts: Partial<Record<FirstSeenSource, number>> = {};
  for (const g of groups) {
    const source = normalizeSource(g.firstSeenBy);
    counts[source] = (counts[source] ?? 0) + g._count._all;
  }
  return counts;
}

/**
 * The earliest "waiting since" of the shop's waiting orders: since Shopify's
 * created_at (an order found late by reconciliation has waited since it was
 * placed), except for orders imported by backfill, which wait since the
 * import: an order from last year imported today is not a year late.
 */
async function oldestWaitingSince(prisma: PrismaClient, shop: string): Promise<Date | null> {
  const states = WAITING_STATES.map((s) => `'${s}'`).join(", ");
  const param = databaseProviderOf(prisma) === "postgresql" ? "$1" : "?";
  const rows = await prisma.$queryRawUnsafe<Array<{ since: unknown }>>(
    `SELECT MIN(CASE WHEN "shopifyCreatedAt" IS NULL OR "firstSeenBy" = 'backfill' THEN "createdAt" ELSE "shopifyCreatedAt" END) AS "since" ` +
      `FROM "OrderSync" WHERE "shop" = ${param} AND "state" IN (${states})`,
    shop,
  );
  return asDate(rows[0]?.since);
}

export async function readHealthFacts(prisma: PrismaClient, shop: string, now: Date): Promise<HealthFacts> {
  const since = (w: HealthWindow) => new Date(now.getTime() - HEALTH_WINDOWS[w]);
  const [day, fortnight, committed, waitingCount, oldest] = await Promise.all([
    firstSeenSince(prisma, shop, since("day")),
    firstSeenSince(prisma, shop, since("fortnight")),
    prisma.orderSync.findMany({
      where: { shop, erpCommittedAt: { gte: since("fortnight") }, shopifyCreatedAt: { not: null } },
      select: { shopifyCreatedAt: true, erpCommittedAt: true },
      orderBy: { erpCommittedAt: "desc" },
      take: LAG_SAMPLE_LIMIT,
    }),
    prisma.orderSync.count({ where: { shop, state: { in: [...WAITING_STATES] } } }),
    oldestWaitingSince(prisma, shop),
  ]);
  const dayStart = since("day").getTime();
  const lags = { day: [] as number[], fortnight: [] as number[] };
  for (const row of committed) {
    const lag = row.erpCommittedAt!.getTime() - row.shopifyCreatedAt!.getTime();
    lags.fortnight.push(lag);
    if (row.erpCommittedAt!.getTime() >= dayStart) lags.day.push(lag);
  }
  return { firstSeen: { day, fortnight }, lagsMs: lags, waitingCount, oldestWaitingSince: oldest };
}

export async function loadDeliveryHealth(prisma: PrismaClient, shop: string, now = new Date()): Promise<DeliveryHealth> {
  return deliveryHealth(await readHealthFacts(prisma, shop, now), now);
}

/** Shops with ledger rows (for /metrics): installed or not, a shop with orders has figures. */
export async function shopsWithOrders(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.orderSync.groupBy({ by: ["shop"] });
  return rows.map((r) => r.shop);
}
