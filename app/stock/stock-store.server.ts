// The database side of stock sync, every query scoped to its shop: the
// shop's stock settings (owner, interval, location links), the runs (one open
// per shop, guaranteed by StockRun.openFor's unique index), the last change
// per item and location, pushed notices, and the unsynced orders read from
// the ledger.
import { Prisma, type PrismaClient, type StockRun } from "@prisma/client";
import { z } from "zod";
import type { ErpStockRecord } from "../connectors/port";
import type { StockProblem, StockWrite, UnsyncedSold } from "./plan";
import { UNSYNCED_STATES, unsyncedSoldOf } from "./unsynced-sold";

export type StockOwner = "shopify" | "erp";
export type StockTrigger = "schedule" | "manual" | "notice" | "nightly";

export interface StockLink {
  shopifyLocationId: string;
  shopifyLocationName: string;
  erpLocationId: string;
}

export interface StockSettings {
  owner: StockOwner;
  intervalMinutes: number;
  links: StockLink[];
}

export const MIN_STOCK_INTERVAL_MINUTES = 5;
export const MAX_STOCK_INTERVAL_MINUTES = 24 * 60;
/** Problems kept per run (the count is exact; the list is for the page). */
export const MAX_STORED_PROBLEMS = 500;

const linkSchema = z.object({ shopifyLocationId: z.string().min(1), shopifyLocationName: z.string(), erpLocationId: z.string().min(1) });

function parseLinks(text: string): StockLink[] {
  try {
    const parsed = z.array(linkSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function loadStockSettings(prisma: PrismaClient, shop: string): Promise<StockSettings> {
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { stockOwner: true, stockIntervalMinutes: true, stockLocationLinks: true } });
  return {
    owner: row?.stockOwner === "erp" ? "erp" : "shopify",
    intervalMinutes: row?.stockIntervalMinutes ?? 15,
    links: parseLinks(row?.stockLocationLinks ?? "[]"),
  };
}

export const stockSettingsInput = z.object({
  owner: z.enum(["shopify", "erp"]),
  intervalMinutes: z.coerce.number().int().min(MIN_STOCK_INTERVAL_MINUTES).max(MAX_STOCK_INTERVAL_MINUTES),
  links: z.array(linkSchema).max(200),
});

/** Each Shopify location takes one ERP location and each ERP location feeds one Shopify location (else its stock shows twice). */
export function linkErrors(links: readonly StockLink[]): string[] {
  const errors: string[] = [];
  const seenShopify = new Set<string>();
  const seenErp = new Set<string>();
  for (const l of links) {
    if (seenShopify.has(l.shopifyLocationId)) errors.push(`The Shopify location "${l.shopifyLocationName}" is linked twice. Keep one link for it.`);
    if (seenErp.has(l.erpLocationId)) errors.push(`The ERP location "${l.erpLocationId}" feeds two Shopify locations, so its stock would be shown twice. Link it to one Shopify location.`);
    seenShopify.add(l.shopifyLocationId);
    seenErp.add(l.erpLocationId);
  }
  return errors;
}

export async function saveStockSettings(prisma: PrismaClient, shop: string, settings: StockSettings): Promise<void> {
  const data = { stockOwner: settings.owner, stockIntervalMinutes: settings.intervalMinutes, stockLocationLinks: JSON.stringify(settings.links) };
  await prisma.shopSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

/** Shops whose stock the ERP owns (installed, with a connector). */
export async function shopsOwningStockInErp(prisma: PrismaClient, shops: readonly string[]): Promise<{ shop: string; intervalMinutes: number }[]> {
  const rows = await prisma.shopSettings.findMany({
    where: { shop: { in: [...shops] }, stockOwner: "erp", uninstalledAt: null },
    select: { shop: true, stockIntervalMinutes: true },
  });
  return rows.map((r) => ({ shop: r.shop, intervalMinutes: r.stockIntervalMinutes }));
}

// ---------------------------------------------------------------------------
// Runs

/**
 * Ask for a run. When the shop already has one open (queued or running), that
 * one is the answer: it will pick up what this request wanted.
 */
export async function requestStockRun(
  prisma: PrismaClient,
  shop: string,
  trigger: StockTrigger,
  full: boolean,
  now = new Date(),
): Promise<{ run: StockRun; created: boolean }> {
  try {
    const run = await prisma.stockRun.create({ data: { shop, trigger, full, status: "queued", openFor: shop, createdAt: now } });
    return { run, created: true };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    const open = await prisma.stockRun.findFirst({ where: { shop, openFor: shop } });
    if (open) {
      // A queued run takes on a full comparison if one was asked for.
      if (full && !open.full && open.status === "queued") await prisma.stockRun.updateMany({ where: { id: open.id, status: "queued" }, data: { full: true } });
      return { run: open, created: false };
    }
    return requestStockRun(prisma, shop, trigger, full, now); // it ended meanwhile
  }
}

/**
 * Take the shop's open run: a queued one, or a running one whose worker
 * stopped sending signs of life (it starts again from the reads: what it
 * wrote reads as equal and is not written twice). Null when another worker
 * has it.
 */
export async function claimStockRun(prisma: PrismaClient, shop: string, workerId: string, now: Date, staleAfterMs: number): Promise<StockRun | null> {
  const open = await prisma.stockRun.findFirst({ where: { shop, openFor: shop } });
  if (!open) return null;
  const stale = open.status === "running" && (!open.heartbeatAt || open.heartbeatAt.getTime() < now.getTime() - staleAfterMs);
  if (open.status !== "queued" && !stale) return null;
  const taken = await prisma.stockRun.updateMany({
    where: { id: open.id, status: open.status, heartbeatAt: open.heartbeatAt },
    data: { status: "running", leaseOwner: workerId, heartbeatAt: now, startedAt: open.startedAt ?? now },
  });
  return taken.count === 1 ? prisma.stockRun.findUnique({ where: { id: open.id } }) : null;
}

export async function heartbeat(prisma: PrismaClient, runId: string, workerId: string, now: Date, progress: Partial<Pick<StockRun, "written" | "itemsRead" | "compared" | "differences">> = {}): Promise<boolean> {
  const r = await prisma.stockRun.updateMany({ where: { id: runId, leaseOwner: workerId, status: "running" }, data: { heartbeatAt: now, ...progress } });
  return r.count === 1;
}

export interface StockRunOutcome {
  status: "completed" | "failed" | "blocked";
  message?: string | null;
  itemsRead?: number;
  compared?: number;
  differences?: number;
  written?: number;
  conflicts?: number;
  problems?: StockProblem[];
  mutationCalls?: number;
}

export async function finishStockRun(prisma: PrismaClient, runId: string, workerId: string, now: Date, outcome: StockRunOutcome): Promise<void> {
  const problems = outcome.problems ?? [];
  await prisma.stockRun.updateMany({
    where: { id: runId, leaseOwner: workerId },
    data: {
      status: outcome.status,
      openFor: null,
      finishedAt: now,
      heartbeatAt: now,
      message: outcome.message ?? null,
      itemsRead: outcome.itemsRead,
      compared: outcome.compared,
      differences: outcome.differences,
      written: outcome.written,
      conflicts: outcome.conflicts,
      problemCount: problems.length,
      problems: JSON.stringify(problems.slice(0, MAX_STORED_PROBLEMS)),
      mutationCalls: outcome.mutationCalls,
    },
  });
}

export async function lastStockRuns(prisma: PrismaClient, shop: string, take = 10): Promise<StockRun[]> {
  return prisma.stockRun.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take });
}

export async function lastFinishedStockRun(prisma: PrismaClient, shop: string, full?: boolean): Promise<StockRun | null> {
  return prisma.stockRun.findFirst({
    where: { shop, status: "completed", ...(full === undefined ? {} : { full }) },
    orderBy: { startedAt: "desc" },
  });
}

// ---------------------------------------------------------------------------
// Changes made, for the Stock page's search

export async function recordStockChanges(prisma: PrismaClient, shop: string, runId: string, writes: readonly StockWrite[], now: Date): Promise<void> {
  // A check write (same quantity, compare-and-swap only) changed nothing to show.
  for (const w of writes.filter((x) => x.changeFromQuantity !== x.quantity)) {
    const data = {
      sku: w.sku,
      erpQuantity: w.erpQuantity,
      unsyncedSold: w.unsyncedSold,
      fromQuantity: w.changeFromQuantity,
      toQuantity: w.quantity,
      runId,
      changedAt: now,
    };
    await prisma.stockLevelChange.upsert({
      where: { shop_inventoryItemId_locationId: { shop, inventoryItemId: w.inventoryItemId, locationId: w.locationId } },
      create: { shop, inventoryItemId: w.inventoryItemId, locationId: w.locationId, ...data },
      update: data,
    });
  }
}

export async function searchStockChanges(prisma: PrismaClient, shop: string, sku: string, take = 50) {
  return prisma.stockLevelChange.findMany({ where: { shop, sku: { startsWith: sku.trim() } }, orderBy: [{ sku: "asc" }, { locationId: "asc" }], take });
}

// ---------------------------------------------------------------------------
// The ledger: sold in Shopify, not in the ERP yet

/** Units sold in Shopify that were not in the ERP when it was read at `erpReadAt` (docs/stock.md). */
export async function loadUnsyncedSold(prisma: PrismaClient, shop: string, skus?: readonly string[], erpReadAt?: Date): Promise<UnsyncedSold[]> {
  const rows = await prisma.orderSync.findMany({
    where: {
      shop,
      cancelledInShopify: false,
      OR: [{ erpDocumentId: null, state: { in: [...UNSYNCED_STATES] } }, ...(erpReadAt ? [{ syncedAt: { gte: erpReadAt } }] : [])],
    },
    select: { state: true, snapshot: true, erpDocumentId: true, cancelledInShopify: true, syncedAt: true },
  });
  const sold = unsyncedSoldOf(rows, erpReadAt);
  if (!skus) return sold;
  const wanted = new Set(skus);
  return sold.filter((s) => wanted.has(s.sku));
}

// ---------------------------------------------------------------------------
// Pushed notices

export type NoticeOutcome = "accepted" | "duplicate" | "stale";

/**
 * Store a notice once per id. A notice issued before the newest one already
 * accepted for the shop is stale (the ERP's later word wins) and ignored.
 */
export async function storeStockNotice(
  prisma: PrismaClient,
  shop: string,
  notice: { noticeId: string; issuedAt: Date; items: ErpStockRecord[] },
): Promise<NoticeOutcome> {
  const existing = await prisma.stockNotice.findUnique({ where: { shop_noticeId: { shop, noticeId: notice.noticeId } }, select: { id: true } });
  if (existing) return "duplicate";
  const newest = await prisma.stockNotice.findFirst({ where: { shop }, orderBy: { issuedAt: "desc" }, select: { issuedAt: true } });
  if (newest && newest.issuedAt.getTime() > notice.issuedAt.getTime()) return "stale";
  try {
    await prisma.stockNotice.create({ data: { shop, noticeId: notice.noticeId, issuedAt: notice.issuedAt, items: JSON.stringify(notice.items) } });
    return "accepted";
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "duplicate";
    throw error;
  }
}

/** Figures from notices not used yet, oldest first (later ones win per item and location). */
export async function pendingNoticeRecords(prisma: PrismaClient, shop: string): Promise<{ ids: string[]; records: ErpStockRecord[]; oldestIssuedAt: Date | null }> {
  const notices = await prisma.stockNotice.findMany({ where: { shop, processedAt: null }, orderBy: { issuedAt: "asc" }, take: 1000 });
  const latest = new Map<string, ErpStockRecord>();
  for (const n of notices) {
    for (const r of JSON.parse(n.items) as ErpStockRecord[]) latest.set(`${r.itemNumber}\u0000${r.locationId}`, r);
  }
  return { ids: notices.map((n) => n.id), records: [...latest.values()], oldestIssuedAt: notices[0]?.issuedAt ?? null };
}

export async function markNoticesProcessed(prisma: PrismaClient, shop: string, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length) await prisma.stockNotice.updateMany({ where: { shop, id: { in: [...ids] } }, data: { processedAt: now } });
}

export async function shopsWithPendingNotices(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.stockNotice.findMany({ where: { processedAt: null }, select: { shop: true }, distinct: ["shop"] });
  return rows.map((r) => r.shop);
}
