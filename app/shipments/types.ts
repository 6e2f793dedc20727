// The shapes of the shipment flow (ERP shipment -> Shopify fulfilment), shared
// by the connectors that read shipments, the pure planner and the engine.
// Nothing here knows about Prisma, Remix or GraphQL.

/** One package's tracking, as the ERP or its shipping module knows it. */
export interface ShipmentTracking {
  number: string;
  /** Carrier, e.g. "DHL Express" (Shopify recognises its own list of names). */
  company?: string | null;
  /** Tracking page; Shopify builds one for carriers it knows when absent. */
  url?: string | null;
}

/** One shipped line. Matched by Shopify line item id when the ERP kept it, else by SKU. */
export interface ShipmentLine {
  /** Shopify line item id (legacy numeric id as a string): the canonical order's lineId. */
  lineId?: string | null;
  sku?: string | null;
  quantity: number;
}

/** A shipment the ERP made for one of the app's orders. */
export interface ErpShipment {
  /** The ERP's own id of the shipment: one fulfilment per id, ever. */
  shipmentId: string;
  /** What staff see in the ERP ("CUS-0042"), when it differs from the id. */
  documentNumber?: string | null;
  /** The order's external id as the app sent it (prefix + Shopify order id). */
  externalId: string;
  /** ISO 8601 time the ERP marked it shipped/done. */
  shippedAt?: string | null;
  /** Warehouse the ERP shipped from, when it says so (compared with Shopify's location name). */
  locationName?: string | null;
  lines: ShipmentLine[];
  tracking: ShipmentTracking[];
}

/** Shopify's fulfilment order status (FulfillmentOrderStatus in the 2026-10 schema). */
export type FulfillmentOrderStatus = "OPEN" | "IN_PROGRESS" | "ON_HOLD" | "SCHEDULED" | "INCOMPLETE" | "CLOSED" | "CANCELLED";

export interface FulfillmentOrderLine {
  /** gid://shopify/FulfillmentOrderLineItem/… */
  id: string;
  /** Legacy id of the order's line item. */
  lineItemId: string;
  sku: string | null;
  name: string;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface FulfillmentOrderView {
  id: string;
  status: FulfillmentOrderStatus;
  locationName: string;
  holdReasons: string[];
  lines: FulfillmentOrderLine[];
}

/** A fulfilment already on the order (ours from an earlier attempt, or anyone's). */
export interface ExistingFulfillment {
  id: string;
  name: string;
  createdAt: string;
  status: string;
  trackingNumbers: string[];
  /** Quantities by legacy line item id. */
  quantities: Record<string, number>;
}

export interface OrderFulfillmentView {
  orderGid: string;
  orderName: string;
  fulfillmentOrders: FulfillmentOrderView[];
  fulfillments: ExistingFulfillment[];
}

/** fulfillmentCreate's FulfillmentInput, as the planner builds it. */
export interface FulfillmentCreateInput {
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[];
  notifyCustomer: boolean;
  trackingInfo?: { company?: string; numbers?: string[]; urls?: string[] };
}
