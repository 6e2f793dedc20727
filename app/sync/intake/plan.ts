// What intake decides to do with one piece of news about an order, without
// doing it: create the ledger row, update it (compare-and-set on what the
// decision read), or leave it. Both intake stores (Prisma, and raw SQL for
// SQLite's group commit) carry out the same plans, so the fold rules live in
// one place whatever database is underneath.
import type { OrderSync } from "@prisma/client";
import { gidFor } from "../../lib/shopify-gid";
import { contentHashOf } from "../order/content-hash";
import { compareVersions, dueOperation, stateAfterNews, type SnapshotVersion } from "../ledger/fold";
import { mapOrder } from "../order/order-mapper";
import { foldStoredRefunds, type StoredRefund } from "../order/refund-mapper";
import type { ShopifyRestOrder, ShopifyRestRefund } from "../order/shopify-rest-order";
import { jsonArray } from "../ledger/stored-json";

/** What one piece of news about an order looks like once parsed. */
export type OrderNews =
  | {
      kind: "order";
      orderId: string;
      order: ShopifyRestOrder;
      /** Exact JSON text stored as the snapshot (ids as exact digits). */
      snapshotText: string;
      version: SnapshotVersion;
    }
  | { kind: "refund"; orderId: string; refund: ShopifyRestRefund }
  /** orders/edited: the edit itself; the edited order comes with orders/updated. */
  | { kind: "edit"; orderId: string; editedAt: Date };

export type ParsedNews = { ok: true; news: OrderNews } | { ok: false; message: string };

/** One inbox row as intake writes it. */
export interface InboxEntry {
  shop: string;
  eventId: string;
  webhookId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: string;
}

/**
 * The columns of a ledger row the fold reads, listed once for both stores.
 * `hasSnapshot` stands for `snapshot !== ""`: the stores do not need to load
 * the snapshot itself.
 */
export const FOLD_ROW_COLUMNS = [
  "id",
  "revision",
  "state",
  "leaseToken",
  "leaseExpiresAt",
  "manualSkip",
  "sourceUpdatedAt",
  "sourceTriggeredAt",
  "contentHash",
  "cancelledInShopify",
  "refunds",
  "syncedHash",
  "erpDocumentId",
  "createMaybeSent",
  "cancelSynced",
  "refundsSynced",
  "editedAt",
] as const satisfies ReadonlyArray<keyof OrderSync>;

export type FoldRow = Pick<OrderSync, (typeof FOLD_ROW_COLUMNS)[number]> & { hasSnapshot: boolean };

/** Ledger columns a plan writes (JS values; each store encodes them). */
export type LedgerChanges = Partial<Omit<OrderSync, "id" | "createdAt" | "updatedAt">>;

/**
 * Compare-and-set condition for writing a row folded from `row`: what the
 * decision depended on (revision, and whether and until when a worker holds
 * the row) must be unchanged. Otherwise intake could read the row while a
 * worker holds it ("the worker will notice the new revision"), the worker
 * could finish and release it, and intake would write the new content without
 * making the order due again: the update would never reach the ERP.
 */
export type FoldGuard = Pick<FoldRow, "id" | "revision" | "state" | "leaseToken" | "leaseExpiresAt" | "manualSkip">;

/** A new row: the columns without a default, plus whatever else the plan sets. */
export type NewLedgerRow = LedgerChanges &
  Pick<OrderSync, "shop" | "orderId" | "externalId" | "orderGid" | "orderName" | "snapshot" | "sourceUpdatedAt">;

export type FoldPlan =
  | { kind: "create"; row: NewLedgerRow; result: string }
  /** `changes` includes the next revision; write only where `guard` still holds, else fold again. */
  | { kind: "update"; guard: FoldGuard; changes: LedgerChanges; result: string }
  | { kind: "leave"; result: string };

export interface FoldContext {
  shop: string;
  correlationId: string;
  now: Date;
  /**
   * The shop's external id prefix, only read when the row is new. Synchronous
   * on purpose: SQLite's group commit runs a whole batch without yielding.
   */
  externalIdPrefix: () => string;
  /** How this news reached the app (webhook, reconciliation, …): recorded on a new row (app/health/). */
  firstSeenBy?: string;
}

/** Used when the shop has no settings row yet (the column's default). */
export const DEFAULT_EXTERNAL_ID_PREFIX = "shopify-";

// A refund can arrive before its order; give the order's own webhook a moment
// before the worker reports the order as missing.
const WAIT_FOR_ORDER_MS = 5 * 60_000;

function searchTextOf(order: ShopifyRestOrder): string {
  const parts = [order.name ?? "", ...order.line_items.flatMap((l) => [l.sku ?? "", l.title ?? "", l.variant_title ?? ""])];
  return parts.filter(Boolean).join(" ").toLowerCase().slice(0, 4000);
}

function createdAtOf(order: ShopifyRestOrder): Date | null {
  const t = order.created_at ? Date.parse(order.created_at) : Number.NaN;
  return Number.isNaN(t) ? null : new Date(t);
}

/** What every new ledger row starts with: its shop, order, the shop's external id for it, and due. */
function newRowFor(orderId: string, ctx: FoldContext) {
  return { shop: ctx.shop, orderId, externalId: `${ctx.externalIdPrefix()}${orderId}`, state: "pending", firstSeenBy: ctx.firstSeenBy ?? "" };
}

function guardOf(row: FoldRow): FoldGuard {
  return {
    id: row.id,
    revision: row.revision,
    state: row.state,
    leaseToken: row.leaseToken,
    leaseExpiresAt: row.leaseExpiresAt,
    manualSkip: row.manualSkip,
  };
}

/**
 * News that needs an ERP write puts the row back in the queue as a fresh
 * piece of work: due now, attempt count and problems reset. Only rows no
 * worker holds get here (stateAfterNews returns null for a live lease: that
 * worker sees the new revision itself), so clearing an expired claim is safe.
 */
function requeued(state: string, operation: string, now: Date): LedgerChanges {
  return {
    state,
    operation,
    nextAttemptAt: now,
    attemptCount: 0,
    firstAttemptAt: null,
    problems: "[]",
    skipReason: null,
    waitingOn: null,
    leaseOwner: null,
    leaseToken: null,
    leaseExpiresAt: null,
  };
}

export function planFold(row: FoldRow | null, news: OrderNews, ctx: FoldContext): FoldPlan {
  if (news.kind === "refund") return planRefundFold(row, news, ctx);
  if (news.kind === "edit") return planEditFold(row, news);
  return planOrderFold(row, news, ctx);
}

/**
 * An edit only says the order changed; its content comes with orders/updated
 * (Shopify sends both). Recording when it happened lets reconciliation fetch
 * the edited order if that orders/updated never arrives.
 */
function planEditFold(row: FoldRow | null, news: Extract<OrderNews, { kind: "edit" }>): FoldPlan {
  if (!row) return { kind: "leave", result: "ignored: edit of an order not seen yet (its own webhook or reconciliation brings it, edited)" };
  if (row.hasSnapshot && row.sourceUpdatedAt.getTime() >= news.editedAt.getTime()) {
    return { kind: "leave", result: "applied: the stored order already includes this edit" };
  }
  if (row.editedAt && row.editedAt.getTime() >= news.editedAt.getTime()) return { kind: "leave", result: "duplicate-version" };
  return {
    kind: "update",
    guard: guardOf(row),
    // No revision bump and no state change: nothing new to send until the edited order arrives.
    changes: { editedAt: news.editedAt },
    result: "applied: edit recorded; waiting for the edited order",
  };
}

/** Refunds whose credit note is due once the order is in the ERP: they moved money, and it has settled. */
function sendableRefundIds(refunds: Array<{ refundId: string; kind: string; status: string }>): string[] {
  return refunds.filter((r) => r.kind === "credit" && r.status === "settled").map((r) => r.refundId);
}

function planOrderFold(row: FoldRow | null, news: Extract<OrderNews, { kind: "order" }>, ctx: FoldContext): FoldPlan {
  const storedRefunds = row ? jsonArray<StoredRefund>(row.refunds) : [];
  const refundsSeen = foldStoredRefunds(storedRefunds, news.order.refunds ?? []);
  const refunds = refundsSeen ?? storedRefunds;
  const canonical = mapOrder(news.order, { shop: ctx.shop, externalIdPrefix: "", extraRefunds: refunds });
  const contentHash = contentHashOf(canonical);
  const cancelled = canonical.cancelledAt !== null;
  const snapshot = {
    orderGid: canonical.shopifyOrderGid,
    orderName: canonical.name,
    snapshot: news.snapshotText,
    sourceUpdatedAt: new Date(news.version.updatedAt),
    sourceTriggeredAt: news.version.triggeredAt === null ? null : new Date(news.version.triggeredAt),
    contentHash,
    cancelledInShopify: cancelled,
    shopifyTotal: canonical.totals.total || null,
    currency: canonical.currency || null,
    searchText: searchTextOf(news.order),
    correlationId: ctx.correlationId,
    shopifyCreatedAt: createdAtOf(news.order),
  };

  if (!row) {
    return {
      kind: "create",
      row: {
        ...newRowFor(news.orderId, ctx),
        operation: cancelled ? "cancel" : "create",
        nextAttemptAt: ctx.now,
        refunds: JSON.stringify(refunds),
        ...snapshot,
      },
      result: "applied",
    };
  }

  if (row.hasSnapshot) {
    const order = compareVersions(news.version, {
      updatedAt: row.sourceUpdatedAt.getTime(),
      triggeredAt: row.sourceTriggeredAt?.getTime() ?? null,
    });
    if (order < 0) return { kind: "leave", result: "stale" };
    if (order === 0 && row.contentHash === contentHash && row.cancelledInShopify === cancelled) {
      return { kind: "leave", result: "duplicate-version" };
    }
  }

  // A refund that is new, or whose money has settled since, matters even
  // when the sales document stays the same: its credit note may now be due.
  const matters =
    !row.hasSnapshot || row.contentHash !== contentHash || row.cancelledInShopify !== cancelled || refundsSeen !== null;
  const nextState = matters ? stateAfterNews(row, ctx.now) : null;
  const due = dueOperation({
    hasSnapshot: true,
    cancelled,
    contentHash,
    syncedHash: row.syncedHash,
    erpDocumentId: row.erpDocumentId,
    createMaybeSent: row.createMaybeSent,
    cancelSynced: row.cancelSynced,
    refundIds: sendableRefundIds(canonical.refunds),
    refundsSynced: jsonArray<string>(row.refundsSynced),
  });
  return {
    kind: "update",
    guard: guardOf(row),
    changes: {
      ...snapshot,
      // The edited order has arrived: nothing left for reconciliation to fetch.
      ...(row.editedAt && news.version.updatedAt >= row.editedAt.getTime() ? { editedAt: null } : {}),
      refunds: JSON.stringify(refunds),
      revision: row.revision + 1,
      ...(nextState ? requeued(nextState, due, ctx.now) : {}),
    },
    result: matters ? "applied" : "applied: nothing the ERP cares about changed",
  };
}

function planRefundFold(row: FoldRow | null, news: Extract<OrderNews, { kind: "refund" }>, ctx: FoldContext): FoldPlan {
  if (!row) {
    return {
      kind: "create",
      row: {
        ...newRowFor(news.orderId, ctx),
        orderGid: gidFor("Order", news.orderId),
        orderName: `order ${news.orderId}`,
        operation: "refund",
        snapshot: "",
        sourceUpdatedAt: new Date(0),
        refunds: JSON.stringify(foldStoredRefunds([], [news.refund]) ?? []),
        nextAttemptAt: new Date(ctx.now.getTime() + WAIT_FOR_ORDER_MS),
        correlationId: ctx.correlationId,
      },
      result: "refund recorded; waiting for the order",
    };
  }
  const refunds = foldStoredRefunds(jsonArray<StoredRefund>(row.refunds), [news.refund]);
  if (!refunds) return { kind: "leave", result: "duplicate-version" };
  const nextState = row.hasSnapshot ? stateAfterNews(row, ctx.now) : null;
  return {
    kind: "update",
    guard: guardOf(row),
    changes: {
      refunds: JSON.stringify(refunds),
      revision: row.revision + 1,
      correlationId: ctx.correlationId,
      ...(nextState ? requeued(nextState, "refund", ctx.now) : {}),
    },
    result: "applied",
  };
}
