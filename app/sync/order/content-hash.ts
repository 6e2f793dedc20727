// Loop guard: a hash of what the ERP cares about in an order. An
// orders/updated that changes nothing in here (a fulfillment, the app's own
// tag, a metafield…) leads to no ERP write. Cancellation and refunds are
// tracked by their own fields (cancelSynced, refundsSynced), so they are left
// out here too.
import { createHash } from "node:crypto";
import type { CanonicalOrder } from "./canonical-order";

/** Tags the app (or its ERP write-back) may add to orders; they never count as a change. */
export const APP_TAG_PREFIX = "erp-sync";

export function isAppTag(tag: string): boolean {
  return tag.toLowerCase().startsWith(APP_TAG_PREFIX);
}

export function contentHashOf(order: CanonicalOrder): string {
  const relevant = {
    ...order,
    updatedAt: undefined,
    fulfillmentStatus: undefined,
    cancelledAt: undefined,
    cancelReason: undefined,
    refunds: undefined,
    tags: order.tags.filter((t) => !isAppTag(t)).sort(),
    lines: order.lines.map((l) => ({ ...l, itemNumber: undefined })),
  };
  return createHash("sha256").update(JSON.stringify(relevant)).digest("hex");
}
