// What staff can do to ledger rows from the pages and the admin block: retry
// now, re-fetch from Shopify and retry, mark resolved, skip. The sync engine
// (app/sync/delivery/replay.ts) owns the state changes, the shop scoping and the
// OrderAction record; this module names the actor and turns the engine's
// answer into one plain sentence for a toast.
import type { PrismaClient } from "@prisma/client";
import { markResolved, refetchAndRetry, retryNow, skip, type FetchOrder, type ReplayResult, type ReplayTarget } from "../sync/delivery/replay";

export const ORDER_ACTIONS = ["retry_now", "refetch_and_retry", "mark_resolved", "skip", "undo_skip"] as const;
export type OrderActionName = (typeof ORDER_ACTIONS)[number];

/** A bulk action touches at most this many rows per click (one page is 50). */
export const MAX_BULK_IDS = 250;

export function isOrderAction(value: unknown): value is OrderActionName {
  return typeof value === "string" && (ORDER_ACTIONS as readonly string[]).includes(value);
}

export interface ActionSummary {
  done: number;
  /** The rows that were changed (bulk skip offers to undo exactly these). */
  doneIds: string[];
  notFound: number;
  busy: number;
  errors: string[];
  /** True when every requested row was changed. */
  ok: boolean;
  /** One sentence for the toast. */
  message: string;
}

// What really happened, in words: a retry only puts the order back in the
// queue (the page then follows it live through Sending to its result).
const DONE_WORDS: Record<OrderActionName, [string, string]> = {
  retry_now: ["order is back in the queue; the app sends it within a few seconds", "orders are back in the queue; the app sends them within a few seconds"],
  refetch_and_retry: [
    "order was re-fetched from Shopify and is back in the queue; the app sends it within a few seconds",
    "orders were re-fetched from Shopify and are back in the queue; the app sends them within a few seconds",
  ],
  mark_resolved: ["order marked as resolved; the app sends it again only if it changes in Shopify", "orders marked as resolved; the app sends them again only if they change in Shopify"],
  skip: ["order skipped; it will not be sent to your ERP", "orders skipped; they will not be sent to your ERP"],
  undo_skip: ["skipped order is back in the queue", "skipped orders are back in the queue"],
};

/**
 * Who pressed the button: the staff member's user id from the session token
 * (`sub`), so the order's history says who did what. Without a user (should
 * not happen in the admin) the shop is named, never left blank.
 */
export function actorFromSessionToken(sessionToken: { sub?: string } | undefined, shop: string): string {
  return sessionToken?.sub ? `staff user ${sessionToken.sub}` : `shop ${shop}`;
}

/** How long a bulk skip can be undone from the log. */
export const UNDO_SKIP_MS = 10 * 60_000;

const QUEUEING: OrderActionName[] = ["retry_now", "refetch_and_retry", "undo_skip"];

export function summarize(action: OrderActionName, result: ReplayResult, workerWarning: string | null = null): ActionSummary {
  const done = result.done.length;
  const errors = Object.values(result.errors);
  const parts: string[] = [];
  const [one, many] = DONE_WORDS[action];
  if (done > 0) parts.push(`${done} ${done === 1 ? one : many}.`);
  if (result.busy.length > 0)
    parts.push(`${result.busy.length} ${result.busy.length === 1 ? "is" : "are"} being sent right now; try again in a moment.`);
  if (errors.length > 0) parts.push(errors.length === 1 ? errors[0] : `${errors.length} could not be changed, for example: ${errors[0]}`);
  if (result.notFound.length > 0) parts.push(`${result.notFound.length} not found in this shop.`);
  // Queued with nobody to send it: say so rather than promise "a few seconds".
  if (done > 0 && workerWarning && QUEUEING.includes(action)) parts.push(workerWarning);
  return {
    done,
    doneIds: result.done,
    notFound: result.notFound.length,
    busy: result.busy.length,
    errors,
    ok: done > 0 && result.busy.length === 0 && errors.length === 0 && result.notFound.length === 0,
    message: parts.join(" ") || "Nothing was selected.",
  };
}

export async function performOrderAction(
  prisma: PrismaClient,
  input: {
    shop: string;
    actor: string;
    action: OrderActionName;
    ids: string[];
    note?: string;
    /** Needed for refetch_and_retry (see refetch-order.server.ts). */
    fetchOrder?: FetchOrder;
    /** "Resolved by <name>" (staff.server.ts); the actor when absent. */
    resolvedBy?: string;
    /** Added to the toast of actions that queue orders when no worker runs. */
    workerWarning?: string | null;
    now?: Date;
    /** A reason group's retry acts on the whole group (MAX_BULK_IDS otherwise). */
    maxIds?: number;
  },
): Promise<ActionSummary> {
  const target = { shop: input.shop, actor: input.actor, ids: [...new Set(input.ids)].slice(0, input.maxIds ?? MAX_BULK_IDS), note: input.note, now: input.now };
  let result: ReplayResult;
  switch (input.action) {
    case "retry_now":
      result = await retryNow(prisma, target);
      break;
    case "refetch_and_retry":
      if (!input.fetchOrder) throw new Error("refetch_and_retry needs fetchOrder");
      result = await refetchAndRetry(prisma, { ...target, fetchOrder: input.fetchOrder });
      break;
    case "mark_resolved":
      result = await markResolved(prisma, { ...target, resolvedBy: input.resolvedBy });
      break;
    case "skip":
      result = await skip(prisma, target);
      break;
    case "undo_skip":
      result = await undoSkip(prisma, target);
      break;
  }
  return summarize(input.action, result, input.workerWarning ?? null);
}

/**
 * Undo a skip made in the last UNDO_SKIP_MS: the orders that are still
 * skipped by staff go back to the queue (a retry with a fresh budget, noted
 * "Undo skip" in their history). Orders skipped longer ago, skipped by a rule,
 * or changed since are left alone and counted as not found.
 */
async function undoSkip(prisma: PrismaClient, target: ReplayTarget): Promise<ReplayResult> {
  const now = target.now ?? new Date();
  const recent = await prisma.orderSync.findMany({
    where: {
      shop: target.shop,
      id: { in: target.ids },
      state: "skipped",
      manualSkip: true,
      actions: { some: { action: "skip", createdAt: { gte: new Date(now.getTime() - UNDO_SKIP_MS) } } },
    },
    select: { id: true },
  });
  const undoable = new Set(recent.map((r) => r.id));
  const result = await retryNow(prisma, { ...target, ids: target.ids.filter((id) => undoable.has(id)), note: target.note ?? "Undo skip" });
  const others = await prisma.orderSync.findMany({
    where: { shop: target.shop, id: { in: target.ids.filter((id) => !undoable.has(id)) } },
    select: { id: true, orderName: true },
  });
  for (const row of others) {
    result.errors[row.id] = `The skip of ${row.orderName} can no longer be undone (more than 10 minutes ago, or the order changed since): open the order and choose "Retry".`;
  }
  const seen = new Set([...result.done, ...result.busy, ...others.map((r) => r.id)]);
  result.notFound.push(...target.ids.filter((id) => !seen.has(id)));
  return result;
}
