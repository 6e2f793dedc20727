// Units Shopify has sold that the ERP has not received yet, read from the
// order ledger. Shopify took them off its available quantity when the order
// was placed; the ERP's figure still includes them until the sales order
// arrives. Subtracting them keeps stock from bouncing back up in between
// (docs/stock.md, "The formula").
import { gidFor } from "../lib/shopify-gid";
import { parseJsonExact } from "../sync/order/exact-json";
import type { UnsyncedSold } from "./plan";

/** The ledger fields this needs (OrderSync). */
export interface LedgerOrderForStock {
  state: string;
  snapshot: string;
  erpDocumentId: string | null;
  cancelledInShopify: boolean;
  /** When the ledger recorded the ERP's acceptance (null until then). */
  syncedAt?: Date | null;
}

/** Ledger states whose order counts as "not in the ERP" when it has no ERP document yet. */
export const UNSYNCED_STATES = ["pending", "sending", "retrying", "needs_attention", "failed"] as const;

/**
 * An order counts while it has no ERP document: never created in the ERP,
 * not cancelled, not skipped. Its lines count with their current quantity
 * (after edits and refunds) at the order's location, or the primary one.
 *
 * With `erpReadAt` (when the ERP's figures were read), an order the ERP
 * received after that moment counts too: the figure read still held its
 * units. (One that was in flight at that moment counts as well, which can
 * only understate stock until the next run, never oversell.)
 */
export function unsyncedSoldOf(rows: Iterable<LedgerOrderForStock>, erpReadAt?: Date): UnsyncedSold[] {
  const out: UnsyncedSold[] = [];
  for (const row of rows) {
    if (row.cancelledInShopify) continue;
    const notInErp = !row.erpDocumentId && (UNSYNCED_STATES as readonly string[]).includes(row.state);
    const receivedAfterRead = !!erpReadAt && !!row.syncedAt && row.syncedAt.getTime() >= erpReadAt.getTime();
    if (!notInErp && !receivedAfterRead) continue;
    if (!row.snapshot) continue;
    let order: unknown;
    try {
      order = parseJsonExact(row.snapshot);
    } catch {
      continue; // a snapshot the engine cannot read is already a needs-attention order
    }
    if (!order || typeof order !== "object") continue;
    const o = order as { location_id?: unknown; cancelled_at?: unknown; line_items?: unknown };
    if (o.cancelled_at) continue;
    const locationId = o.location_id === null || o.location_id === undefined || o.location_id === "" ? null : gidFor("Location", String(o.location_id));
    if (!Array.isArray(o.line_items)) continue;
    for (const li of o.line_items as Array<Record<string, unknown>>) {
      const sku = typeof li.sku === "string" ? li.sku : "";
      if (!sku.trim()) continue;
      const quantity = typeof li.current_quantity === "number" ? li.current_quantity : typeof li.quantity === "number" ? li.quantity : 0;
      if (!Number.isInteger(quantity) || quantity <= 0) continue;
      out.push({ sku, locationId, quantity });
    }
  }
  return out;
}
