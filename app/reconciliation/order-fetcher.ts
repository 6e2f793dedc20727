// Reads complete orders from the Admin API for the sync engine: one query
// brings an order with its first line items and its refund ids; the rare
// order with more lines is completed with follow-up pages and each refund is
// read in full, so nothing is silently cut off. Answers are typed by codegen
// from the operations in app/graphql/orders.ts.
import {
  ORDER_FOR_SYNC_QUERY,
  ORDER_LINE_ITEMS_PAGE_QUERY,
  ORDERS_FOR_SYNC_PAGE_QUERY,
  REFUND_FOR_SYNC_QUERY,
} from "../graphql/orders";
import type { AdminClient } from "../shopify-admin/admin-client";
import type {
  OrderForSyncQuery,
  OrderLineItemsPageQuery,
  OrdersForSyncPageQuery,
  RefundForSyncQuery,
  SyncOrderFragment,
} from "../types/admin.generated";
import type { GqlOrder, GqlRefund } from "./graphql-order-to-rest";

const LINE_ITEM_PAGE = 50;

/** One full order by GID; null when Shopify no longer has it (or hides it). */
export async function fetchOrderForSync(admin: AdminClient, gid: string, signal?: AbortSignal): Promise<GqlOrder | null> {
  const { data } = await admin.query<OrderForSyncQuery>(ORDER_FOR_SYNC_QUERY, { id: gid }, { signal });
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
  const { data } = await admin.query<OrdersForSyncPageQuery>(ORDERS_FOR_SYNC_PAGE_QUERY, { first, after, query: filter }, { signal });
  const orders: GqlOrder[] = [];
  for (const order of data.orders.nodes) orders.push(await completeOrder(admin, order, signal));
  return { orders, hasNextPage: data.orders.pageInfo.hasNextPage, endCursor: data.orders.pageInfo.endCursor ?? null };
}

/** Fetch what did not fit in the first query: more line items, more refunds. */
export async function completeOrder(admin: AdminClient, order: SyncOrderFragment, signal?: AbortSignal): Promise<GqlOrder> {
  const lineItems = [...order.lineItems.nodes];
  let after = order.lineItems.pageInfo.hasNextPage ? (order.lineItems.pageInfo.endCursor ?? null) : null;
  while (after) {
    const { data } = await admin.query<OrderLineItemsPageQuery>(ORDER_LINE_ITEMS_PAGE_QUERY, { id: order.id, first: LINE_ITEM_PAGE, after }, { signal });
    if (!data.order) break;
    lineItems.push(...data.order.lineItems.nodes);
    after = data.order.lineItems.pageInfo.hasNextPage ? (data.order.lineItems.pageInfo.endCursor ?? null) : null;
  }
  // The order query brings refund ids only; each refund is read in full.
  const refundIds = order.refunds.map((r) => r.id);
  const refunds = refundIds.length ? await fetchRefunds(admin, refundIds, signal) : [];
  return { ...order, lineItems: { nodes: lineItems }, refunds };
}

/** Full refunds by id (bulk results carry only refund ids). */
export async function fetchRefunds(admin: AdminClient, ids: string[], signal?: AbortSignal): Promise<GqlRefund[]> {
  const refunds: GqlRefund[] = [];
  for (const id of ids) {
    const { data } = await admin.query<RefundForSyncQuery>(REFUND_FOR_SYNC_QUERY, { id }, { signal });
    if (data.refund) refunds.push(data.refund);
  }
  return refunds;
}
