// "Re-fetch from Shopify" from a page: the order is read through the admin
// session the page already has (the library's GraphQL client, so the shop's
// own token and its refresh), with the same query and REST shaping the
// reconciliation uses, and handed to the engine as a fresh snapshot.
import type { FetchOrder } from "../sync/delivery/replay";
import type { AdminClient, AdminCallStats } from "../shopify-admin/admin-client";
import { fetchOrderForSync } from "../reconciliation/order-fetcher";
import { graphqlOrderToRestPayload } from "../reconciliation/graphql-order-to-rest";

/** The part of the library's admin context this needs. */
export interface LibraryAdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

const NO_STATS: AdminCallStats = { requests: 0, throttled: 0, retries: 0, actualCost: 0, waitedMs: 0 };

/** Adapts the library's admin.graphql to the AdminClient the order fetcher takes. */
export function adminClientFromLibrary(shop: string, admin: LibraryAdminGraphql): AdminClient {
  return {
    shop,
    async query<T>(document: string, variables?: Record<string, unknown>) {
      const response = await admin.graphql(document, { variables });
      const body = (await response.json()) as { data?: T; errors?: unknown };
      if (!body.data) throw new Error("Shopify answered without data");
      return { data: body.data };
    },
    stats: () => ({ ...NO_STATS }),
    bucket: () => ({}),
  };
}

export function fetchOrderThroughAdmin(shop: string, admin: LibraryAdminGraphql): FetchOrder {
  const client = adminClientFromLibrary(shop, admin);
  return async (_shop, orderGid) => {
    const order = await fetchOrderForSync(client, orderGid);
    return order ? graphqlOrderToRestPayload(order) : null;
  };
}
