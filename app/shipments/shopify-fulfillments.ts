// The shipment flow's Shopify side, behind a small port so the engine is
// tested against the fake Admin API and the model test alike: read what
// Shopify shows for an order (fulfilment orders, fulfilments), create one
// fulfilment, and tell which fulfilment scopes the merchant granted. Calls go
// through the cost-aware Admin client (app/shopify-admin/), which waits for
// the shop's bucket and retries THROTTLED; fulfillmentCreate is sent once per
// attempt (sendOnce), because Shopify has no idempotency key for it.
import { APP_SCOPES_QUERY, FULFILLMENT_CREATE_MUTATION, ORDER_FULFILLMENTS_QUERY } from "../graphql/fulfillments";
import { legacyIdFromGid } from "../lib/shopify-gid";
import type { AdminClient } from "../shopify-admin/admin-client";
import type { AppAccessScopesQuery, OrderFulfillmentsQuery, ShipmentFulfillmentCreateMutation } from "../types/admin.generated";
import type { FulfillmentCreateInput, OrderFulfillmentView } from "./types";

export type CreateResult =
  | { ok: true; fulfillmentId: string; fulfillmentName: string }
  | { ok: false; userErrors: string[] };

export interface FulfillmentPort {
  /** null when Shopify has no such order (deleted, or beyond what the app may read). */
  readOrder(orderGid: string): Promise<OrderFulfillmentView | null>;
  createFulfillment(input: FulfillmentCreateInput): Promise<CreateResult>;
  grantedScopes(): Promise<string[]>;
}

/** Scopes without which the app may not create fulfilments at all (shopify.app.toml optional_scopes). */
export const REQUIRED_FULFILLMENT_SCOPES = ["read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders"] as const;

export function adminFulfillmentPort(client: AdminClient, signal?: AbortSignal): FulfillmentPort {
  return {
    async readOrder(orderGid) {
      const { data } = await client.query<OrderFulfillmentsQuery>(ORDER_FULFILLMENTS_QUERY, { id: orderGid }, { signal });
      const o = data.order;
      if (!o) return null;
      return {
        orderGid: o.id,
        orderName: o.name,
        fulfillmentOrders: o.fulfillmentOrders.nodes.map((fo) => ({
          id: fo.id,
          status: fo.status,
          locationName: fo.assignedLocation.name,
          holdReasons: fo.fulfillmentHolds.map((h) => h.reason),
          lines: fo.lineItems.nodes.map((l) => ({
            id: l.id,
            lineItemId: legacyIdFromGid(l.lineItem.id) ?? l.lineItem.id,
            sku: l.sku ?? null,
            name: l.variantTitle ? `${l.productTitle} / ${l.variantTitle}` : l.productTitle,
            totalQuantity: l.totalQuantity,
            remainingQuantity: l.remainingQuantity,
          })),
        })),
        fulfillments: o.fulfillments.map((f) => {
          const quantities: Record<string, number> = {};
          for (const li of f.fulfillmentLineItems.nodes) {
            const id = legacyIdFromGid(li.lineItem.id) ?? li.lineItem.id;
            quantities[id] = (quantities[id] ?? 0) + (li.quantity ?? 0);
          }
          return {
            id: f.id,
            name: f.name,
            createdAt: f.createdAt,
            status: f.status,
            trackingNumbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => Boolean(n)),
            quantities,
          };
        }),
      };
    },
    async createFulfillment(input) {
      const { data } = await client.query<ShipmentFulfillmentCreateMutation>(FULFILLMENT_CREATE_MUTATION, { fulfillment: input }, { signal, sendOnce: true });
      const payload = data.fulfillmentCreate;
      if (payload?.fulfillment && payload.userErrors.length === 0) {
        return { ok: true, fulfillmentId: payload.fulfillment.id, fulfillmentName: payload.fulfillment.name };
      }
      return { ok: false, userErrors: payload?.userErrors.map((e) => e.message) ?? ["Shopify returned no fulfilment"] };
    },
    async grantedScopes() {
      const { data } = await client.query<AppAccessScopesQuery>(APP_SCOPES_QUERY, {}, { signal });
      return data.currentAppInstallation.accessScopes.map((s) => s.handle);
    },
  };
}

/** The required scopes the merchant has not granted (empty = the flow may run). */
export function missingFulfillmentScopes(granted: readonly string[]): string[] {
  // A write scope implies its read scope in Shopify's model.
  const has = (s: string) => granted.includes(s) || (s.startsWith("read_") && granted.includes(s.replace(/^read_/, "write_")));
  return REQUIRED_FULFILLMENT_SCOPES.filter((s) => !has(s));
}
