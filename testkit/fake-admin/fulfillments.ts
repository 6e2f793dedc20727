// Fulfilment orders and fulfilments for the fake Admin API
// (testkit/fake-admin-api.ts), kept in their own module. It models what the
// shipment flow depends on, the way Shopify documents it:
// - each order gets fulfilment orders per location (OPEN, IN_PROGRESS,
//   ON_HOLD with hold reasons, SCHEDULED, CLOSED, CANCELLED), whose line items
//   carry totalQuantity/remainingQuantity and the order's line item;
// - fulfillmentCreate takes line items of fulfilment orders of ONE order at
//   ONE location, only OPEN or IN_PROGRESS, never more than remains; anything
//   else is a userError, as Shopify answers it. Without the
//   write_merchant_managed_fulfillment_orders scope it is ACCESS_DENIED;
// - a fulfilment lowers remainingQuantity, moves the fulfilment order to
//   IN_PROGRESS or CLOSED, and changes the order (displayFulfillmentStatus,
//   updatedAt), so loop guards can be tested.
// The documents still go through the fake's validation against the committed
// 2026-10 schema and its cost/THROTTLED bucket.
import { GraphQLError } from "graphql";
import type { Clock } from "../../app/lib/clock";
import type { FakeOrder } from "../fake-admin-api";

type Obj = Record<string, unknown>;

export type FakeFulfillmentOrderStatus = "OPEN" | "IN_PROGRESS" | "ON_HOLD" | "SCHEDULED" | "CLOSED" | "CANCELLED";

export interface FakeFulfillmentOrderLine extends Obj {
  id: string;
  sku: string | null;
  productTitle: string;
  variantTitle: string | null;
  totalQuantity: number;
  remainingQuantity: number;
  requiresShipping: boolean;
  lineItem: Obj;
}

export interface FakeFulfillmentOrder extends Obj {
  __typename: "FulfillmentOrder";
  id: string;
  orderId: string;
  status: FakeFulfillmentOrderStatus;
  assignedLocation: { name: string; countryCode: string };
  fulfillmentHolds: { id: string; reason: string; displayReason: string; heldByRequestingApp: boolean }[];
  lineItems: FakeFulfillmentOrderLine[];
}

export interface FakeFulfillment extends Obj {
  __typename: "Fulfillment";
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  status: "SUCCESS" | "CANCELLED";
  notifyCustomer: boolean;
  trackingInfo: { number: string | null; company: string | null; url: string | null }[];
  fulfillmentLineItems: { id: string; quantity: number; lineItem: Obj }[];
}

/** How an order's line items are spread over locations (indexes into lineItems). */
export interface LocationSpec {
  name: string;
  lines?: number[];
  status?: FakeFulfillmentOrderStatus;
  holdReason?: string;
}

let nextId = 5_000_000_000_000n;
const newId = () => (nextId++).toString();

export class FakeFulfillments {
  readonly created: FakeFulfillment[] = [];
  /** Every fulfillmentCreate call, accepted or not. */
  readonly calls: { input: Obj; accepted: boolean; userErrors: string[] }[] = [];

  constructor(
    private readonly orders: () => FakeOrder[],
    private readonly scopes: () => string[],
    private readonly clock: Clock,
  ) {}

  /** Give an order its fulfilment orders (default: all shippable lines OPEN at "Main"). */
  setUp(order: FakeOrder, locations: LocationSpec[] = [{ name: "Main" }]): FakeFulfillmentOrder[] {
    const lines = order.lineItems as Obj[];
    const fos: FakeFulfillmentOrder[] = locations.map((loc) => {
      const indexes = loc.lines ?? lines.map((_, i) => i);
      const status = loc.status ?? "OPEN";
      return {
        __typename: "FulfillmentOrder",
        id: `gid://shopify/FulfillmentOrder/${newId()}`,
        orderId: order.id,
        status,
        assignedLocation: { name: loc.name, countryCode: "DE" },
        fulfillmentHolds:
          status === "ON_HOLD" ? [{ id: `gid://shopify/FulfillmentHold/${newId()}`, reason: loc.holdReason ?? "AWAITING_PAYMENT", displayReason: "On hold", heldByRequestingApp: false }] : [],
        lineItems: indexes
          .filter((i) => lines[i] && lines[i].requiresShipping !== false)
          .map((i) => {
            const li = lines[i];
            const qty = Number(li.currentQuantity ?? li.quantity);
            return {
              __typename: "FulfillmentOrderLineItem",
              id: `gid://shopify/FulfillmentOrderLineItem/${newId()}`,
              sku: (li.sku as string | null) ?? null,
              productTitle: String(li.title),
              variantTitle: (li.variantTitle as string | null) ?? null,
              totalQuantity: qty,
              remainingQuantity: status === "CLOSED" || status === "CANCELLED" ? 0 : qty,
              requiresShipping: true,
              lineItem: li,
            };
          }),
      };
    });
    order.fulfillmentOrders = fos;
    order.fulfillments ??= [];
    return fos;
  }

  fulfillmentOrdersOf(order: FakeOrder): FakeFulfillmentOrder[] {
    return (order.fulfillmentOrders as FakeFulfillmentOrder[] | undefined) ?? [];
  }

  fulfillmentsOf(order: FakeOrder): FakeFulfillment[] {
    return (order.fulfillments as FakeFulfillment[] | undefined) ?? [];
  }

  /** Mutations to merge into the fake's mutation root. */
  mutations(): Obj {
    return { fulfillmentCreate: (args: Obj) => this.create(args.fulfillment as Obj) };
  }

  private create(input: Obj): Obj {
    if (!this.scopes().includes("write_merchant_managed_fulfillment_orders")) {
      throw new GraphQLError("Access denied for fulfillmentCreate field. Required access: `write_merchant_managed_fulfillment_orders` access scope.", {
        extensions: { code: "ACCESS_DENIED" },
      });
    }
    const userErrors: string[] = [];
    const groups = (input.lineItemsByFulfillmentOrder as { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] }[]) ?? [];
    const all = this.orders().flatMap((o) => this.fulfillmentOrdersOf(o).map((fo) => ({ order: o, fo })));
    const found = groups.map((g) => ({ g, hit: all.find((x) => x.fo.id === g.fulfillmentOrderId) }));
    const fail = (message: string) => {
      this.calls.push({ input, accepted: false, userErrors: [message] });
      return { fulfillment: null, userErrors: [{ field: ["fulfillment"], message }] };
    };
    if (groups.length === 0) return fail("Line items by fulfillment order must not be empty.");
    for (const { g, hit } of found) if (!hit) return fail(`Fulfillment order ${g.fulfillmentOrderId} does not exist.`);
    const hits = found.map((f) => ({ g: f.g, ...f.hit! }));
    if (new Set(hits.map((h) => h.order.id)).size > 1) return fail("All fulfillment orders must belong to the same order.");
    if (new Set(hits.map((h) => h.fo.assignedLocation.name)).size > 1) return fail("All fulfillment orders must be assigned to the same location.");
    const picks: { item: FakeFulfillmentOrderLine; quantity: number }[] = [];
    for (const h of hits) {
      if (h.fo.status !== "OPEN" && h.fo.status !== "IN_PROGRESS") userErrors.push(`Fulfillment order ${h.fo.id} has an unfulfillable status= ${h.fo.status.toLowerCase()}.`);
      const wanted = h.g.fulfillmentOrderLineItems ?? h.fo.lineItems.map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
      for (const w of wanted) {
        const item = h.fo.lineItems.find((l) => l.id === w.id);
        if (!item) userErrors.push(`Fulfillment order line item ${w.id} does not exist on ${h.fo.id}.`);
        else if (w.quantity <= 0 || w.quantity > item.remainingQuantity) userErrors.push(`Invalid fulfillment order line item quantity requested for ${w.id}.`);
        else picks.push({ item, quantity: w.quantity });
      }
    }
    if (userErrors.length) {
      this.calls.push({ input, accepted: false, userErrors });
      return { fulfillment: null, userErrors: userErrors.map((message) => ({ field: ["fulfillment"], message })) };
    }
    const order = hits[0].order;
    for (const p of picks) p.item.remainingQuantity -= p.quantity;
    for (const h of hits) h.fo.status = h.fo.lineItems.every((l) => l.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
    const now = new Date(this.clock.now()).toISOString();
    const tracking = (input.trackingInfo as { company?: string; number?: string; numbers?: string[]; url?: string; urls?: string[] } | undefined) ?? {};
    const numbers = tracking.numbers ?? (tracking.number ? [tracking.number] : []);
    const urls = tracking.urls ?? (tracking.url ? [tracking.url] : []);
    const existing = this.fulfillmentsOf(order);
    const fulfillment: FakeFulfillment = {
      __typename: "Fulfillment",
      id: `gid://shopify/Fulfillment/${newId()}`,
      name: `${order.name}-F${existing.length + 1}`,
      createdAt: now,
      updatedAt: now,
      status: "SUCCESS",
      notifyCustomer: input.notifyCustomer === true,
      trackingInfo: numbers.map((number, i) => ({ number, company: tracking.company ?? null, url: urls[i] ?? null })),
      fulfillmentLineItems: picks.map((p) => ({ __typename: "FulfillmentLineItem", id: `gid://shopify/FulfillmentLineItem/${newId()}`, quantity: p.quantity, lineItem: p.item.lineItem })),
    };
    order.fulfillments = [...existing, fulfillment];
    this.created.push(fulfillment);
    const fos = this.fulfillmentOrdersOf(order);
    const left = fos.reduce((s, fo) => s + fo.lineItems.reduce((t, l) => t + l.remainingQuantity, 0), 0);
    order.displayFulfillmentStatus = left === 0 ? "FULFILLED" : "PARTIALLY_FULFILLED";
    order.updatedAt = now.replace(/\.\d{3}Z$/, "Z");
    this.calls.push({ input, accepted: true, userErrors: [] });
    return { fulfillment, userErrors: [] };
  }
}

/**
 * A fetch in front of the fake that loses answers: while `lose()` says so, the
 * request reaches Shopify (and is carried out) but the caller sees a network
 * failure, as when a connection drops after sending.
 */
export function losingAnswers(inner: typeof fetch, lose: (body: string) => boolean): typeof fetch {
  return async (input, init) => {
    const body = typeof init?.body === "string" ? init.body : "";
    const response = await inner(input, init);
    if (lose(body)) {
      await response.text();
      throw new TypeError("fetch failed: connection reset after the request was sent");
    }
    return response;
  };
}
