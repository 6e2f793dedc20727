// Admin GraphQL operations for reconciliation and backfill. Every exported
// const is one complete operation, validated against admin-2026-10.graphql by
// the operations test. Selections are shared as plain text (not fragments) so
// the same fields can go into a bulk query, which is sent as a string.
//
// Money: only shopMoney is read. The sync engine works in shop currency, and
// every presentment amount would add cost points to each query.

const MONEY = `shopMoney { amount currencyCode }`;
const TAX_LINE = `title rate priceSet { ${MONEY} }`;
const ADDRESS = `firstName lastName name company address1 address2 city province provinceCode zip country countryCodeV2 phone`;
const DISCOUNT_ALLOCATION = `allocatedAmountSet { ${MONEY} } discountApplication { index }`;

const LINE_ITEM = `
  id sku title variantTitle name quantity currentQuantity isGiftCard requiresShipping taxable vendor
  originalUnitPriceSet { ${MONEY} }
  totalDiscountSet { ${MONEY} }
  discountAllocations { ${DISCOUNT_ALLOCATION} }
  taxLines { ${TAX_LINE} }
  product { id }
  variant { id }`;

const SHIPPING_LINE = `
  id title code source carrierIdentifier
  originalPriceSet { ${MONEY} }
  discountedPriceSet { ${MONEY} }
  taxLines { ${TAX_LINE} }
  discountAllocations { ${DISCOUNT_ALLOCATION} }`;

const DISCOUNT_APPLICATION = `
  __typename index allocationMethod targetSelection targetType
  value { __typename ... on MoneyV2 { amount currencyCode } ... on PricingPercentageValue { percentage } }
  ... on DiscountCodeApplication { code }
  ... on AutomaticDiscountApplication { title }
  ... on ManualDiscountApplication { title }
  ... on ScriptDiscountApplication { title }`;

const REFUND = `
  id createdAt processedAt note
  totalRefundedSet { ${MONEY} }
  duties { amountSet { ${MONEY} } }
  refundLineItems(first: 50) {
    pageInfo { hasNextPage }
    nodes { id quantity restockType lineItem { id sku } subtotalSet { ${MONEY} } totalTaxSet { ${MONEY} } }
  }
  refundShippingLines(first: 5) {
    pageInfo { hasNextPage }
    nodes { subtotalAmountSet { ${MONEY} } taxAmountSet { ${MONEY} } }
  }
  orderAdjustments(first: 5) {
    pageInfo { hasNextPage }
    nodes { id reason amountSet { ${MONEY} } taxAmountSet { ${MONEY} } }
  }
  transactions(first: 5) {
    pageInfo { hasNextPage }
    nodes { id kind status gateway processedAt amountSet { ${MONEY} } }
  }`;

/** Order fields without nested connections (shared by paged and bulk queries). */
const ORDER_SCALARS_AND_OBJECTS = `
  id legacyResourceId name number createdAt updatedAt processedAt cancelledAt cancelReason
  currencyCode taxesIncluded displayFinancialStatus displayFulfillmentStatus
  test tags note email phone sourceName discountCodes
  customer { id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } }
  billingAddress { ${ADDRESS} }
  shippingAddress { ${ADDRESS} }
  subtotalPriceSet { ${MONEY} }
  totalPriceSet { ${MONEY} }
  totalDiscountsSet { ${MONEY} }
  totalTaxSet { ${MONEY} }
  totalShippingPriceSet { ${MONEY} }
  currentSubtotalPriceSet { ${MONEY} }
  currentTotalPriceSet { ${MONEY} }
  currentTotalTaxSet { ${MONEY} }
  currentTotalDiscountsSet { ${MONEY} }
  currentShippingPriceSet { ${MONEY} }
  currentTotalDutiesSet { ${MONEY} }
  totalTipReceivedSet { ${MONEY} }
  totalRefundedSet { ${MONEY} }
  taxLines { ${TAX_LINE} }`;

/** Line items fetched with the order; orders with more are completed by ORDER_LINE_ITEMS_PAGE_QUERY. */
export const ORDER_LINE_ITEMS_INLINE = 5;
/**
 * A full order except refund details: refunds are few, and reading them
 * inline would double what every order query requests. Orders with refunds
 * get one REFUND_FOR_SYNC_QUERY per refund.
 */
const ORDER_FOR_SYNC = `
  ${ORDER_SCALARS_AND_OBJECTS}
  discountApplications(first: 5) { pageInfo { hasNextPage } nodes { ${DISCOUNT_APPLICATION} } }
  lineItems(first: ${ORDER_LINE_ITEMS_INLINE}) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM} } }
  shippingLines(first: 3) { pageInfo { hasNextPage } nodes { ${SHIPPING_LINE} } }
  refunds { id }`;

/**
 * Reconciliation listing: only what is needed to compare with the ledger, so
 * a page of 250 orders costs about 250 points.
 */
export const RECONCILE_ORDERS_PAGE_QUERY = `#graphql
  query ReconcileOrdersPage($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { id legacyResourceId name updatedAt }
    }
  }
`;

/**
 * Full orders for the sync engine, a page at a time (backfill of small
 * ranges). One full order requests about 200 points, so pages hold four.
 */
export const ORDERS_FOR_SYNC_PAGE_SIZE = 4;
export const ORDERS_FOR_SYNC_PAGE_QUERY = `#graphql
  query OrdersForSyncPage($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { ${ORDER_FOR_SYNC} }
    }
  }
`;

/** One full order by id (orders found missing or stale by reconciliation). */
export const ORDER_FOR_SYNC_QUERY = `#graphql
  query OrderForSync($id: ID!) {
    order(id: $id) { ${ORDER_FOR_SYNC} }
  }
`;

/** The rest of an order's line items beyond the first page. */
export const ORDER_LINE_ITEMS_PAGE_QUERY = `#graphql
  query OrderLineItemsPage($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      id
      lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM} } }
    }
  }
`;

/** One refund in full. */
export const REFUND_FOR_SYNC_QUERY = `#graphql
  query RefundForSync($id: ID!) {
    refund(id: $id) { ${REFUND} }
  }
`;

/** How many orders match a filter (decides paged vs bulk backfill, and the estimate shown). */
export const ORDERS_COUNT_QUERY = `#graphql
  query OrdersCount($query: String!) {
    ordersCount(query: $query, limit: null) { count precision }
  }
`;

/** Which scopes the shop granted (read_all_orders decides how far back a backfill may go). */
export const APP_ACCESS_SCOPES_QUERY = `#graphql
  query AppAccessScopes {
    currentAppInstallation { accessScopes { handle } }
  }
`;

/**
 * The query a bulk operation runs. BULK_ORDERS_FILTER is replaced by the
 * real search filter (as a GraphQL string literal) before it is sent. Bulk
 * queries allow at most five connections, two levels deep, so refunds are
 * read one by one with REFUND_FOR_SYNC_QUERY, as for paged reads.
 */
export const BULK_ORDERS_FILTER_PLACEHOLDER = `"BULK_ORDERS_FILTER"`;
export const BULK_ORDERS_FOR_SYNC_QUERY = `#graphql
  query BulkOrdersForSync {
    orders(query: ${BULK_ORDERS_FILTER_PLACEHOLDER}, sortKey: UPDATED_AT) {
      edges {
        node {
          ${ORDER_SCALARS_AND_OBJECTS}
          refunds { id }
          discountApplications { edges { node { ${DISCOUNT_APPLICATION} } } }
          lineItems { edges { node { ${LINE_ITEM} } } }
          shippingLines { edges { node { ${SHIPPING_LINE} } } }
        }
      }
    }
  }
`;

export const BULK_OPERATION_RUN_QUERY_MUTATION = `#graphql
  mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const BULK_OPERATION_STATUS_QUERY = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt
    }
  }
`;

export const BULK_OPERATION_CANCEL_MUTATION = `#graphql
  mutation BulkOperationCancel($id: ID!) {
    bulkOperationCancel(id: $id) {
      bulkOperation { id status }
      userErrors { field message }
    }
  }
`;
