// What staff can do with an order from the sync log: retry now, re-fetch from
// Shopify and retry, mark resolved (fixed by hand in the ERP), or skip. Each
// works on one or many rows, always within one shop (another shop's id is
// simply "not found"), and each leaves an OrderAction with who did it.
// What staff typed (note, actor) is stored through storableColumns, like
// every other text (app/lib/storable-text.ts).
import type { PrismaClient } from "@prisma/client";
import { storableColumns } from "../../lib/storable-text";
import { recordOrderSnapshot } from "../intake/intake";
import { storedRefundId, type StoredRefund } from "../order/refund-mapper";
import type { SyncState } from "../ledger/states";
import { jsonArray } from "../ledger/stored-json";

export interface ReplayTarget {
  shop: string;
  /** OrderSync ids (one or many). */
  ids: string[];
  /** Staff e-mail or user id, as the admin session knows them. */
  actor: string;
  note?: string;
  now?: Date;
}

export interface ReplayResult {
  /** Rows the action was applied to. */
  done: string[];
  /** Ids that are not this shop's orders. */
  notFound: string[];
  /** Rows a worker is sending right now (try again in a moment). */
  busy: string[];
  /** Per-id failures of re-fetching from Shopify, in words. */
  errors: Record<string, string>;
}

type Action = "retry_now" | "refetch_and_retry" | "mark_resolved" | "skip";

function emptyResult(): ReplayResult {
  return { done: [], notFound: [], busy: [], errors: {} };
}

async function apply(
  prisma: PrismaClient,
  target: ReplayTarget,
  action: Action,
  change: (row: { id: string; contentHash: string; refunds: string; cancelledInShopify: boolean }) => Record<string, unknown>,
  result: ReplayResult = emptyResult(),
): Promise<ReplayResult> {
  const ids = [...new Set(target.ids)];
  const now = target.now ?? new Date();
  const rows = await prisma.orderSync.findMany({
    where: { shop: target.shop, id: { in: ids } },
    select: { id: true, state: true, leaseExpiresAt: true, leaseToken: true, revision: true, contentHash: true, refunds: true, cancelledInShopify: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) {
      result.notFound.push(id);
      continue;
    }
    if (result.errors[id]) continue;
    const leased = row.state === "sending" && row.leaseExpiresAt !== null && row.leaseExpiresAt > now;
    if (leased) {
      result.busy.push(id);
      continue;
    }
    // Compare-and-set on what we read, so a worker claiming the row in
    // between wins and staff get "busy" instead of a lost update. The
    // revision covers Shopify news folded in meanwhile: "Mark resolved" must
    // not record content the staff member never saw as what the ERP holds.
    const applied = await prisma.$transaction(async (tx) => {
      const updated = await tx.orderSync.updateMany({
        where: { id, shop: target.shop, state: row.state, leaseToken: row.leaseToken, revision: row.revision },
        data: storableColumns({ ...change(row), leaseOwner: null, leaseToken: null, leaseExpiresAt: null }),
      });
      if (updated.count === 0) return false;
      await tx.orderAction.create({
        data: storableColumns({ shop: target.shop, orderSyncId: id, action, actor: target.actor, note: target.note ?? null, createdAt: now }),
      });
      return true;
    });
    (applied ? result.done : result.busy).push(id);
  }
  return result;
}

function retryNowData(now: Date) {
  return {
    state: "pending" satisfies SyncState,
    nextAttemptAt: now,
    attemptCount: 0,
    firstAttemptAt: null,
    manualSkip: false,
    skipReason: null,
    problems: "[]",
    resolvedBy: null,
    resolvedAt: null,
  };
}

/** Put orders back in the queue now, with a fresh retry budget. */
export function retryNow(prisma: PrismaClient, target: ReplayTarget): Promise<ReplayResult> {
  const now = target.now ?? new Date();
  return apply(prisma, target, "retry_now", () => retryNowData(now));
}

export type FetchOrder = (shop: string, orderGid: string) => Promise<unknown | string>;

/**
 * Load each order again from Shopify (fetchOrder returns a REST-shaped order,
 * as an object or exact JSON text), fold it in like any snapshot, then retry.
 */
export async function refetchAndRetry(
  prisma: PrismaClient,
  target: ReplayTarget & { fetchOrder: FetchOrder },
): Promise<ReplayResult> {
  const now = target.now ?? new Date();
  const result = emptyResult();
  const rows = await prisma.orderSync.findMany({
    where: { shop: target.shop, id: { in: target.ids } },
    select: { id: true, orderGid: true, orderName: true },
  });
  for (const row of rows) {
    try {
      const fetched = await target.fetchOrder(target.shop, row.orderGid);
      if (fetched === null || fetched === undefined) {
        result.errors[row.id] = `Shopify no longer has order ${row.orderName}. If it was deleted, choose "Skip".`;
        continue;
      }
      await recordOrderSnapshot(prisma, {
        shop: target.shop,
        source: "refetch",
        ...(typeof fetched === "string" ? { rawBody: fetched } : { payload: fetched }),
        observedAt: now,
      });
    } catch {
      result.errors[row.id] = `Could not load order ${row.orderName} from Shopify right now. Try again in a minute.`;
    }
  }
  return apply(prisma, target, "refetch_and_retry", () => retryNowData(now), result);
}

/**
 * Staff fixed the order in the ERP by hand: treat what Shopify has now as
 * what the ERP holds (content, cancellation, refunds), so nothing is re-sent.
 */
export function markResolved(
  prisma: PrismaClient,
  target: ReplayTarget & { erpDocumentId?: string; resolvedBy?: string },
): Promise<ReplayResult> {
  const now = target.now ?? new Date();
  return apply(prisma, target, "mark_resolved", (row) => ({
    state: "synced" satisfies SyncState,
    operation: "none",
    syncedHash: row.contentHash,
    cancelSynced: row.cancelledInShopify,
    refundsSynced: JSON.stringify(jsonArray<StoredRefund>(row.refunds).map(storedRefundId)),
    ...(target.erpDocumentId ? { erpDocumentId: target.erpDocumentId } : {}),
    // The totals check compares erpTotal with shopifyTotal: accepted as is.
    erpTotal: null,
    problems: "[]",
    lastError: null,
    attemptCount: 0,
    firstAttemptAt: null,
    syncedAt: now,
    // "Resolved by <name>" on the pages, not "Synced": no ERP write happened.
    resolvedBy: target.resolvedBy ?? target.actor,
    resolvedAt: now,
  }));
}

/** Staff decided this order should not go to the ERP; new Shopify updates do not bring it back. */
export function skip(prisma: PrismaClient, target: ReplayTarget): Promise<ReplayResult> {
  return apply(prisma, target, "skip", () => ({
    state: "skipped" satisfies SyncState,
    operation: "none",
    manualSkip: true,
    resolvedBy: null,
    resolvedAt: null,
    skipReason: `Skipped by ${target.actor}${target.note ? `: ${target.note}` : ""}. Choose "Retry" to sync it after all.`,
    problems: "[]",
  }));
}
