// One ledger row with its history, for the order detail page and the order
// page block in Shopify admin. Looked up by (id or order id) AND shop: another
// shop's id is simply "not found", never a hint that it exists.
import type { PrismaClient } from "@prisma/client";
import { compareDecimals, isDecimal } from "../lib/decimal";
import { orderHeadline, rowMessage, type OrderHeadline } from "./order-log.server";

export const TIMELINE_LIMIT = 100;

export type TimelineEntry =
  | { kind: "event"; at: string; id: string; title: string; detail: string | null }
  | {
      kind: "attempt";
      at: string;
      id: string;
      title: string;
      outcome: string;
      detail: string | null;
      request: string | null;
      response: string | null;
    }
  | { kind: "action"; at: string; id: string; title: string; actor: string; detail: string | null };

export type TotalsCheck =
  | { status: "match"; shopify: string; erp: string; currency: string | null }
  | { status: "mismatch"; shopify: string; erp: string; currency: string | null }
  | { status: "unknown"; shopify: string | null; erp: string | null; currency: string | null };

export interface OrderDetail extends OrderHeadline {
  erpDocumentId: string | null;
  erpDocumentNumber: string | null;
  /** Link to the document in the ERP UI, when the connector could build one. */
  erpDocumentUrl: string | null;
  attemptCount: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  syncedAt: string | null;
  resolvedAt: string | null;
  message: string | null;
  problems: string[];
  skipReason: string | null;
  totals: TotalsCheck;
  cancelledInShopify: boolean;
  timeline: TimelineEntry[];
  /** shopify:admin/orders/<legacy id>: App Bridge opens the order in the admin. */
  shopifyAdminUrl: string;
}

export function parseProblems(json: string): string[] {
  try {
    const list: unknown = JSON.parse(json);
    if (!Array.isArray(list)) return [];
    return list
      .map((p) => (typeof p === "string" ? p : p && typeof p === "object" && "message" in p ? String((p as { message: unknown }).message) : null))
      .filter((p): p is string => Boolean(p));
  } catch {
    return [];
  }
}

export function totalsCheck(shopify: string | null, erp: string | null, currency: string | null): TotalsCheck {
  if (!isDecimal(shopify) || !isDecimal(erp)) return { status: "unknown", shopify, erp, currency };
  return { status: compareDecimals(shopify, erp) === 0 ? "match" : "mismatch", shopify, erp, currency };
}

const ACTION_TITLES: Record<string, string> = {
  retry_now: "Retry requested",
  retry: "Retry requested",
  refetch: "Re-fetch from Shopify requested",
  refetch_and_retry: "Re-fetch from Shopify requested",
  mark_resolved: "Marked as resolved",
  resolve: "Marked as resolved",
  skip: "Skipped by staff",
  apply_difference: "Difference with the ERP applied",
};

const OUTCOME_TITLES: Record<string, string> = {
  synced: "Sent to the ERP",
  retrying: "Failed, will retry",
  needs_attention: "Needs attention",
  failed: "Failed",
  skipped: "Skipped",
  lease_lost: "Interrupted (another worker took over)",
  sending: "Sending (no answer recorded)",
};

const OPERATION_WORDS: Record<string, string> = {
  create: "Create",
  update: "Update",
  cancel: "Cancel",
  refund: "Refund",
  none: "Check",
};

function eventTitle(topic: string): string {
  const words: Record<string, string> = {
    "orders/create": "Shopify: order created",
    "orders/updated": "Shopify: order updated",
    "orders/cancelled": "Shopify: order cancelled",
    "refunds/create": "Shopify: refund created",
  };
  return words[topic] ?? `Shopify: ${topic}`;
}

interface Locator {
  /** Ledger row id (the app's own pages). */
  id?: string;
  /** Legacy Shopify order id (the admin extension knows only the order). */
  orderId?: string;
}

export async function getOrderDetail(prisma: PrismaClient, shop: string, locator: Locator): Promise<OrderDetail | null> {
  if (!locator.id && !locator.orderId) return null;
  const row = await prisma.orderSync.findFirst({
    where: locator.id ? { id: locator.id, shop } : { orderId: locator.orderId, shop },
    include: {
      attempts: { orderBy: { startedAt: "desc" }, take: TIMELINE_LIMIT },
      actions: { orderBy: { createdAt: "desc" }, take: TIMELINE_LIMIT },
    },
  });
  if (!row) return null;
  const events = await prisma.webhookEvent.findMany({
    where: { shop, orderId: row.orderId },
    select: { id: true, topic: true, receivedAt: true, processResult: true },
    orderBy: { receivedAt: "desc" },
    take: TIMELINE_LIMIT,
  });

  const timeline: TimelineEntry[] = [
    ...events.map((e): TimelineEntry => ({
      kind: "event",
      at: e.receivedAt.toISOString(),
      id: e.id,
      title: eventTitle(e.topic),
      detail: e.processResult,
    })),
    ...row.attempts.map((a): TimelineEntry => ({
      kind: "attempt",
      at: a.startedAt.toISOString(),
      id: a.id,
      title: `${OPERATION_WORDS[a.operation] ?? a.operation} in ERP (attempt ${a.attemptNumber}): ${OUTCOME_TITLES[a.outcome] ?? a.outcome}`,
      outcome: a.outcome,
      detail: a.errorMessage,
      request: a.requestStatus,
      response: a.responseSummary,
    })),
    ...row.actions.map((a): TimelineEntry => ({
      kind: "action",
      at: a.createdAt.toISOString(),
      id: a.id,
      title: ACTION_TITLES[a.action] ?? a.action,
      actor: a.actor,
      detail: a.note,
    })),
  ].sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));

  return {
    ...orderHeadline(row),
    erpDocumentId: row.erpDocumentId,
    erpDocumentNumber: row.erpDocumentNumber,
    erpDocumentUrl: httpUrlOrNull(row.erpDocumentUrl),
    attemptCount: row.attemptCount,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: row.state === "retrying" || row.state === "pending" ? row.nextAttemptAt.toISOString() : null,
    syncedAt: row.syncedAt?.toISOString() ?? null,
    resolvedAt: row.state === "synced" && row.resolvedBy ? (row.resolvedAt?.toISOString() ?? null) : null,
    message: rowMessage(row),
    problems: parseProblems(row.problems),
    skipReason: row.skipReason,
    totals: totalsCheck(row.shopifyTotal, row.erpTotal, row.currency),
    cancelledInShopify: row.cancelledInShopify,
    timeline: timeline.slice(0, TIMELINE_LIMIT),
    shopifyAdminUrl: `shopify:admin/orders/${row.orderId}`,
  };
}

/** Only http(s) links reach the page: the URL comes from the ERP's answer. */
function httpUrlOrNull(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}
