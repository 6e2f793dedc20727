// The JSON body the Generic HTTPS JSON connector sends: an envelope around the
// canonical order, described by docs/canonical-order.schema.json (version 2).
import { CANONICAL_ORDER_SCHEMA_VERSION, type CanonicalOrder, type CanonicalRefund } from "../../sync/order/canonical-order";
import type { ErpOrderRef } from "../port";

export type GenericOperation = "create" | "update" | "cancel" | "refund";

export interface GenericOrderRequest {
  schemaVersion: typeof CANONICAL_ORDER_SCHEMA_VERSION;
  operation: GenericOperation;
  /** What the receiver answered when the order was created (absent on create). */
  erpDocument: ErpOrderRef | null;
  order: CanonicalOrder;
  /** Only for operation "refund". */
  refund: CanonicalRefund | null;
}

export function buildOrderRequest(
  operation: GenericOperation,
  order: CanonicalOrder,
  opts: { erpDocument?: ErpOrderRef | null; refund?: CanonicalRefund | null } = {},
): GenericOrderRequest {
  return {
    schemaVersion: CANONICAL_ORDER_SCHEMA_VERSION,
    operation,
    erpDocument: opts.erpDocument ?? null,
    order,
    refund: opts.refund ?? null,
  };
}
