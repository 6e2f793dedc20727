// Orders the fake Admin API lists, made from REST-shaped orders (the
// webhook payloads the demo and tests send), so a Shopify stand-in that
// received orders by webhook also lists them to queries such as the
// completeness certificate's (app/graphql/certificate.ts). Only the head of
// the order (ids, name, dates, cancellation, test flag, totals) is filled:
// enough for listing and counting, not for re-syncing the order.
import { parseJsonExact } from "../../app/sync/order/exact-json";
import type { FakeAdminApi, FakeOrder } from "../fake-admin-api";

type Rest = Record<string, unknown> & { id: unknown; name: string; created_at: string; updated_at?: string; cancelled_at?: string | null; test?: boolean; currency?: string };

function money(amount: unknown, currency: string) {
  return { shopMoney: { amount: String(amount ?? "0.00"), currencyCode: currency }, presentmentMoney: { amount: String(amount ?? "0.00"), currencyCode: currency } };
}

export function fakeOrderFromRest(input: string | Rest): FakeOrder {
  const o = (typeof input === "string" ? parseJsonExact(input) : input) as Rest;
  const id = String(o.id);
  const currency = o.currency ?? "USD";
  return {
    __typename: "Order",
    id: `gid://shopify/Order/${id}`,
    legacyResourceId: id,
    name: o.name,
    createdAt: o.created_at,
    updatedAt: o.updated_at ?? o.created_at,
    cancelledAt: o.cancelled_at ?? null,
    test: o.test ?? false,
    currencyCode: currency,
    totalPriceSet: money(o.total_price, currency),
    currentTotalPriceSet: money(o.current_total_price ?? o.total_price, currency),
    lineItems: [],
    refunds: [],
  };
}

/** Adds the order, or replaces the one with its id (a later version of it). */
export function upsertRestOrder(api: FakeAdminApi, input: string | Rest): FakeOrder {
  const order = fakeOrderFromRest(input);
  const at = api.orders.findIndex((o) => o.legacyResourceId === order.legacyResourceId);
  if (at >= 0) api.orders[at] = order;
  else api.orders.push(order);
  return order;
}
