// Reads complete orders from the Admin API for the sync engine: one query
// brings an order with its first line items and its refund ids; the rare
// order with more lines is completed with follow-up pages and each refund is
// read in full, so nothing is silently cut off.
import {
  ORDER_FOR_SYNC_QUERY,
  ORDER_LINE_ITEMS_PAGE_QUERY,
  ORDERS_FOR_SYNC_PAGE_QUERY,
  REFUND_FOR_SYNC_QUERY,
} from "../graphql/orders";
import type { AdminClient } from "../shopify-admin/admin-client";
import type { Connection, GqlLineItem, GqlOrder, GqlRefund } from "./graphql-order-to-rest";

const LINE_ITEM_PAGE = 50;

interface PageResult {
  orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlOrder[] };
}

/** One full order by GID; null when Shopify no longer has it (or hides it). */
export async function fetchOrderForSync(admin: AdminClient, gid: string, signal?: AbortSignal): Promise<GqlOrder | null> {
  const { data } = await admin.query<{ order: GqlOrder | null }>(ORDER_FOR_SYNC_QUERY, { id: gid }, { signal });
  return data.order ? completeOrder(admin, data.order, signal) : null;
}

/** One page of full orders matching a search filter, oldest update first. */
export async function fetchOrdersForSyncPage(
  admin: AdminClient,
  filter: string,
  first: number,
  after: string | null,
  signal?: AbortSignal,
): Promise<{ orders: GqlOrder[]; hasNextPage: boolean; endCursor: string | null }> {
  const { data } = await admin.query<PageResult>(ORDERS_FOR_SYNC_PAGE_QUERY, { first, after, query: filter }, { signal });
  const orders: GqlOrder[] = [];
  for (const order of data.orders.nodes) orders.push(await completeOrder(admin, order, signal));
  return { orders, hasNextPage: data.orders.pageInfo.hasNextPage, endCursor: data.orders.pageInfo.endCursor };
}

/** Fetch what did not fit in the first query: more line items, more refunds. */
export async function completeOrder(admin: AdminClient, order: GqlOrder, signal?: AbortSignal): Promise<GqlOrder> {
  let lineItems = order.lineItems;
  let after = lineItems.pageInfo?.hasNextPage ? (lineItems.pageInfo.endCursor ?? null) : null;
  while (after) {
    const { data } = await admin.query<{ order: { lineItems: Connection<GqlLineItem> } | null }>(
      ORDER_LINE_ITEMS_PAGE_QUERY,
      { id: order.id, first: LINE_ITEM_PAGE, after },
      { signal },
    );
    if (!data.order) break;
    lineItems = { nodes: [...lineItems.nodes, ...data.order.lineItems.nodes], pageInfo: data.order.lineItems.pageInfo };
    after = data.order.lineItems.pageInfo?.hasNextPage ? (data.order.lineItems.pageInfo.endCursor ?? null) : null;
  }
  // The order query brings refund ids only; each refund is read in full.
  const refundIds = (order.refunds as unknown as { id: string }[]).map((r) => r.id);
  const refunds = refundIds.length ? await fetchRefunds(admin, refundIds, signal) : [];
  return { ...order, lineItems, refunds };
}

/** Full refunds by id (bulk results carry only refund ids). */
export async function fetchRefunds(admin: AdminClient, ids: string[], signal?: AbortSignal): Promise<GqlRefund[]> {
  const refunds: GqlRefund[] = [];
  for (const id of ids) {
    const { data } = await admin.query<{ refund: GqlRefund | null }>(REFUND_FOR_SYNC_QUERY, { id }, { signal });
    if (data.refund) refunds.push(data.refund);
  }
  return refunds;
}

