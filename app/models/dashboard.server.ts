// What the dashboard shows about one shop: is the sync healthy, how many
// orders are in each state, synced vs failed over time, and the newest items
// staff must correct. All queries are filtered by the session's shop.
import type { PrismaClient } from "@prisma/client";
import { SYNC_STATES, type SyncState } from "../sync/ledger/states";
import { NO_CONNECTOR } from "../settings/shop-settings.server";
import { connectorDefinition } from "../connectors/index";
import { rowMessage } from "./order-log.server";
import { erpDownSince } from "../sync/delivery/erp-breaker";

/** Per state as the pages show it: "synced" counts only what the app wrote; "resolved" what staff fixed by hand. */
export type StateCounts = Record<SyncState | "resolved", number>;

export interface ChartBucket {
  /** Start of the hour or day (ISO, UTC). */
  start: string;
  synced: number;
  failed: number;
}

export interface AttentionItem {
  id: string;
  orderName: string;
  state: string;
  message: string | null;
  updatedAt: string;
}

export interface SyncHealth {
  connectorConfigured: boolean;
  connectorName: string | null;
  /** Outcome of the latest finished attempt: a proxy for "the ERP answers". */
  lastAttemptOutcome: string | null;
  lastAttemptAt: string | null;
  lastSuccessfulSyncAt: string | null;
  /** Age in ms of the oldest order still waiting to be sent (pending/retrying/sending). */
  backlogAgeMs: number | null;
  backlogCount: number;
  attentionCount: number;
  /** While the shop's ERP is not answering (sends paused, app/sync/delivery/erp-breaker.ts): since when (ISO). */
  erpDownSince: string | null;
  /** Not recorded anywhere yet (see docs/merchant-pages.md): null until reconciliation stores its runs. */
  lastReconciliation: { at: string; summary: string } | null;
}

export type ChartRange = "24h" | "14d";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const WAITING_STATES: SyncState[] = ["pending", "retrying", "sending"];
const ATTENTION_STATES: SyncState[] = ["needs_attention", "failed"];

export async function stateCounts(prisma: PrismaClient, shop: string): Promise<StateCounts> {
  const [grouped, resolved] = await Promise.all([
    prisma.orderSync.groupBy({ by: ["state"], where: { shop }, _count: { _all: true } }),
    prisma.orderSync.count({ where: { shop, state: "synced", resolvedBy: { not: null } } }),
  ]);
  const counts = Object.fromEntries([...SYNC_STATES, "resolved"].map((s) => [s, 0])) as StateCounts;
  for (const row of grouped) if (row.state in counts) counts[row.state as SyncState] = row._count._all;
  counts.synced -= resolved;
  counts.resolved = resolved;
  return counts;
}

/** Bucket starts, oldest first, aligned to whole UTC hours / days. */
export function bucketStarts(range: ChartRange, now: Date): Date[] {
  const size = range === "24h" ? HOUR : DAY;
  const count = range === "24h" ? 24 : 14;
  const current = Math.floor(now.getTime() / size) * size;
  return Array.from({ length: count }, (_, i) => new Date(current - (count - 1 - i) * size));
}

/**
 * Attempts that ended synced vs failed/needs-attention per bucket. One
 * grouped query per bucket keeps it portable (no date functions in SQL) and
 * each one is an index range scan on startedAt.
 */
export async function syncChart(prisma: PrismaClient, shop: string, range: ChartRange, now = new Date()): Promise<ChartBucket[]> {
  const size = range === "24h" ? HOUR : DAY;
  return Promise.all(
    bucketStarts(range, now).map(async (start) => {
      const grouped = await prisma.syncAttempt.groupBy({
        by: ["outcome"],
        where: { shop, startedAt: { gte: start, lt: new Date(start.getTime() + size) } },
        _count: { _all: true },
      });
      let synced = 0;
      let failed = 0;
      for (const g of grouped) {
        if (g.outcome === "synced") synced += g._count._all;
        else if (g.outcome === "failed" || g.outcome === "needs_attention") failed += g._count._all;
      }
      return { start: start.toISOString(), synced, failed };
    }),
  );
}

export async function newestAttentionItems(prisma: PrismaClient, shop: string, take = 5): Promise<AttentionItem[]> {
  const rows = await prisma.orderSync.findMany({
    where: { shop, state: { in: ATTENTION_STATES } },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, orderName: true, orderId: true, state: true, lastError: true, problems: true, skipReason: true, updatedAt: true },
  });
  return rows.map((r) => ({
    id: r.id,
    orderName: r.orderName || `Order ${r.orderId}`,
    state: r.state,
    message: rowMessage(r),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function syncHealth(prisma: PrismaClient, shop: string, counts: StateCounts, now = new Date()): Promise<SyncHealth> {
  const [settings, lastAttempt, lastSynced, oldestWaiting, downSince] = await Promise.all([
    prisma.shopSettings.findUnique({ where: { shop }, select: { connectorType: true } }),
    prisma.syncAttempt.findFirst({
      where: { shop, endedAt: { not: null } },
      orderBy: { startedAt: "desc" },
      select: { outcome: true, endedAt: true },
    }),
    prisma.syncAttempt.findFirst({ where: { shop, outcome: "synced" }, orderBy: { startedAt: "desc" }, select: { endedAt: true, startedAt: true } }),
    prisma.orderSync.findFirst({
      where: { shop, state: { in: WAITING_STATES } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    erpDownSince(prisma, shop),
  ]);
  const type = settings?.connectorType ?? NO_CONNECTOR;
  const definition = type === NO_CONNECTOR ? undefined : connectorDefinition(type);
  return {
    connectorConfigured: Boolean(definition),
    connectorName: definition?.describe().name ?? null,
    lastAttemptOutcome: lastAttempt?.outcome ?? null,
    lastAttemptAt: lastAttempt?.endedAt?.toISOString() ?? null,
    lastSuccessfulSyncAt: (lastSynced?.endedAt ?? lastSynced?.startedAt)?.toISOString() ?? null,
    backlogAgeMs: oldestWaiting ? Math.max(0, now.getTime() - oldestWaiting.createdAt.getTime()) : null,
    backlogCount: WAITING_STATES.reduce((n, s) => n + counts[s], 0),
    attentionCount: ATTENTION_STATES.reduce((n, s) => n + counts[s], 0),
    erpDownSince: downSince?.toISOString() ?? null,
    lastReconciliation: null,
  };
}

export interface DashboardData {
  counts: StateCounts;
  health: SyncHealth;
  chart: ChartBucket[];
  chartRange: ChartRange;
  attention: AttentionItem[];
}

export async function loadDashboard(prisma: PrismaClient, shop: string, range: ChartRange, now = new Date()): Promise<DashboardData> {
  const counts = await stateCounts(prisma, shop);
  const [health, chart, attention] = await Promise.all([
    syncHealth(prisma, shop, counts, now),
    syncChart(prisma, shop, range, now),
    newestAttentionItems(prisma, shop),
  ]);
  return { counts, health, chart, chartRange: range, attention };
}
