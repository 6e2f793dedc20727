// What staff can do to ledger rows from the pages and the admin block: retry
// now, re-fetch from Shopify and retry, mark resolved, skip. The sync engine
// (app/sync/delivery/replay.ts) owns the state changes, the shop scoping and the
// OrderAction record; this module names the actor and turns the engine's
// answer into one plain sentence for a toast.
import type { PrismaClient } from "@prisma/client";
import { markResolved, refetchAndRetry, retryNow, skip, type FetchOrder, type ReplayResult } from "../sync/delivery/replay";

export const ORDER_ACTIONS = ["retry_now", "refetch_and_retry", "mark_resolved", "skip"] as const;
export type OrderActionName = (typeof ORDER_ACTIONS)[number];

/** A bulk action touches at most this many rows per click (one page is 50). */
export const MAX_BULK_IDS = 250;

export function isOrderAction(value: unknown): value is OrderActionName {
  return typeof value === "string" && (ORDER_ACTIONS as readonly string[]).includes(value);
}

export interface ActionSummary {
  done: number;
  notFound: number;
  busy: number;
  errors: string[];
  /** True when every requested row was changed. */
  ok: boolean;
  /** One sentence for the toast. */
  message: string;
}

const DONE_WORDS: Record<OrderActionName, [string, string]> = {
  retry_now: ["order will be retried now", "orders will be retried now"],
  refetch_and_retry: ["order was re-fetched from Shopify and will be retried", "orders were re-fetched from Shopify and will be retried"],
  mark_resolved: ["order marked as resolved", "orders marked as resolved"],
  skip: ["order skipped", "orders skipped"],
};

/**
 * Who pressed the button: the staff member's user id from the session token
 * (`sub`), so the order's history says who did what. Without a user (should
 * not happen in the admin) the shop is named, never left blank.
 */
export function actorFromSessionToken(sessionToken: { sub?: string } | undefined, shop: string): string {
  return sessionToken?.sub ? `staff user ${sessionToken.sub}` : `shop ${shop}`;
}

export function summarize(action: OrderActionName, result: ReplayResult): ActionSummary {
  const done = result.done.length;
  const errors = Object.values(result.errors);
  const parts: string[] = [];
  const [one, many] = DONE_WORDS[action];
  if (done > 0) parts.push(`${done} ${done === 1 ? one : many}.`);
  if (result.busy.length > 0)
    parts.push(`${result.busy.length} ${result.busy.length === 1 ? "is" : "are"} being sent right now; try again in a moment.`);
  if (errors.length > 0) parts.push(errors.length === 1 ? errors[0] : `${errors.length} could not be re-fetched: ${errors[0]}`);
  if (result.notFound.length > 0) parts.push(`${result.notFound.length} not found in this shop.`);
  return {
    done,
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
  },
): Promise<ActionSummary> {
  const target = { shop: input.shop, actor: input.actor, ids: [...new Set(input.ids)].slice(0, MAX_BULK_IDS), note: input.note };
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
      result = await markResolved(prisma, target);
      break;
    case "skip":
      result = await skip(prisma, target);
      break;
  }
  return summarize(input.action, result);
}
