// Admin GraphQL operations for reconciliation and backfill. Every exported
// `#graphql` const is one complete operation, validated against
// admin-2026-10.graphql by the operations tests. The order's fields are
// fragments, so codegen (npm run graphql-codegen) types every operation and
// fragment (app/types/admin.generated.d.ts) and the conversion to the webhook
// shape (app/reconciliation/graphql-order-to-rest.ts) reads those types. Each
// `#graphql` text is a literal (codegen reads the source); withFragments()
// appends the fragment definitions an operation uses when it is sent.
//
// Money: only shopMoney is read. The sync engine works in shop currency, and
// every presentment amount would add cost points to each query.
import { Kind, parse, print, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from "graphql";

const SHOP_MONEY = `#graphql
  fragment ShopMoney on MoneyBag { shopMoney { amount currencyCode } }
`;
const TAX_LINE = `#graphql
  fragment TaxLineFields on TaxLine { title rate priceSet { ...ShopMoney } }
`;
const ADDRESS = `#graphql
  fragment AddressFields on MailingAddress {
    firstName lastName name company address1 address2 city province provinceCode zip country countryCodeV2 phone
  }
`;
const DISCOUNT_ALLOCATION = `#graphql
  fragment DiscountAllocationFields on DiscountAllocation { allocatedAmountSet { ...ShopMoney } discountApplication { index } }
`;
const LINE_ITEM = `#graphql
  fragment LineItemFields on LineItem {
    id sku title variantTitle name quantity currentQuantity isGiftCard requiresShipping taxable vendor
    originalUnitPriceSet { ...ShopMoney }
    totalDiscountSet { ...ShopMoney }
    discountAllocations { ...DiscountAllocationFields }
    taxLines { ...TaxLineFields }
    product { id }
    variant { id }
  }
`;
const SHIPPING_LINE = `#graphql
  fragment ShippingLineFields on ShippingLine {
    id title code source carrierIdentifier
    originalPriceSet { ...ShopMoney }
    discountedPriceSet { ...ShopMoney }
    taxLines { ...TaxLineFields }
    discountAllocations { ...DiscountAllocationFields }
  }
`;
const DISCOUNT_VALUE = `#graphql
  fragment DiscountValue on PricingValue { __typename ... on MoneyV2 { amount currencyCode } ... on PricingPercentageValue { percentage } }
`;
const DISCOUNT_APPLICATION = `#graphql
  fragment DiscountApplicationFields on DiscountApplication {
    __typename index allocationMethod targetSelection targetType
    value { ...DiscountValue }
    ... on DiscountCodeApplication { code }
    ... on AutomaticDiscountApplication { title }
    ... on ManualDiscountApplication { title }
    ... on ScriptDiscountApplication { title }
  }
`;
const REFUND = `#graphql
  fragment RefundFields on Refund {
    id createdAt processedAt note
    totalRefundedSet { ...ShopMoney }
    duties { amountSet { ...ShopMoney } }
    refundLineItems(first: 50) {
      pageInfo { hasNextPage }
      nodes { id quantity restockType lineItem { id sku } subtotalSet { ...ShopMoney } totalTaxSet { ...ShopMoney } }
    }
    refundShippingLines(first: 5) {
      pageInfo { hasNextPage }
      nodes { subtotalAmountSet { ...ShopMoney } taxAmountSet { ...ShopMoney } }
    }
    orderAdjustments(first: 5) {
      pageInfo { hasNextPage }
      nodes { id reason amountSet { ...ShopMoney } taxAmountSet { ...ShopMoney } }
    }
    transactions(first: 5) {
      pageInfo { hasNextPage }
      nodes { id kind status gateway processedAt amountSet { ...ShopMoney } }
    }
  }
`;

/** Order fields without nested connections (shared by paged and bulk queries). */
const ORDER_FIELDS = `#graphql
  fragment OrderFields on Order {
    id legacyResourceId name number createdAt updatedAt processedAt cancelledAt cancelReason
    currencyCode taxesIncluded displayFinancialStatus displayFulfillmentStatus
    test tags note email phone sourceName discountCodes
    customer { id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } }
    billingAddress { ...AddressFields }
    shippingAddress { ...AddressFields }
    subtotalPriceSet { ...ShopMoney }
    totalPriceSet { ...ShopMoney }
    totalDiscountsSet { ...ShopMoney }
    totalTaxSet { ...ShopMoney }
    totalShippingPriceSet { ...ShopMoney }
    currentSubtotalPriceSet { ...ShopMoney }
    currentTotalPriceSet { ...ShopMoney }
    currentTotalTaxSet { ...ShopMoney }
    currentTotalDiscountsSet { ...ShopMoney }
    currentShippingPriceSet { ...ShopMoney }
    currentTotalDutiesSet { ...ShopMoney }
    totalTipReceivedSet { ...ShopMoney }
    totalRefundedSet { ...ShopMoney }
    taxLines { ...TaxLineFields }
  }
`;

/** Line items fetched with the order (the `first:` of SyncOrder's lineItems); orders with more are completed by ORDER_LINE_ITEMS_PAGE_QUERY. */
export const ORDER_LINE_ITEMS_INLINE = 5;
/**
 * A full order except refund details: refunds are few, and reading them
 * inline would double what every order query requests. Orders with refunds
 * get one REFUND_FOR_SYNC_QUERY per refund.
 */
const SYNC_ORDER = `#graphql
  fragment SyncOrder on Order {
    ...OrderFields
    discountApplications(first: 5) { pageInfo { hasNextPage } nodes { ...DiscountApplicationFields } }
    lineItems(first: 5) { pageInfo { hasNextPage endCursor } nodes { ...LineItemFields } }
    shippingLines(first: 3) { pageInfo { hasNextPage } nodes { ...ShippingLineFields } }
    refunds { id }
  }
`;

const FRAGMENTS = new Map(
  [SHOP_MONEY, TAX_LINE, ADDRESS, DISCOUNT_ALLOCATION, LINE_ITEM, SHIPPING_LINE, DISCOUNT_VALUE, DISCOUNT_APPLICATION, REFUND, ORDER_FIELDS, SYNC_ORDER].map(
    (text) => [/fragment (\w+)/.exec(text)![1], text] as const,
  ),
);

/** The operation followed by every fragment it uses, directly or through other fragments. */
function withFragments(operation: string): string {
  const used = new Set<string>();
  const collect = (text: string) => {
    for (const [, name] of text.matchAll(/\.\.\.(\w+)/g)) {
      const fragment = FRAGMENTS.get(name);
      if (fragment && !used.has(name)) {
        used.add(name);
        collect(fragment);
      }
    }
  };
  collect(operation);
  return [operation, ...[...used].map((name) => FRAGMENTS.get(name)!)].join("");
}

/**
 * The same operation with every fragment spread replaced by the fragment's
 * fields, for the bulk query: it is sent as a string to bulkOperationRunQuery,
 * which is not documented to accept fragments. Each fragment here is spread
 * only where its own type is selected, so its fields can stand in its place.
 */
function inlineFragments(operation: string): string {
  const document = parse(operation);
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const inline = (set: SelectionSetNode): SelectionSetNode => ({
    ...set,
    selections: set.selections.flatMap((selection) => {
      if (selection.kind === Kind.FRAGMENT_SPREAD) return inline(fragments.get(selection.name.value)!.selectionSet).selections;
      return selection.selectionSet ? [{ ...selection, selectionSet: inline(selection.selectionSet) }] : [selection];
    }),
  });
  const inlined: DocumentNode = {
    ...document,
    definitions: document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [{ ...d, selectionSet: inline(d.selectionSet) }] : [])),
  };
  // Not a template literal: codegen reads every `#graphql` template in this file.
  return "#graphql\n" + print(inlined) + "\n";
}

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
export const ORDERS_FOR_SYNC_PAGE_QUERY = withFragments(`#graphql
  query OrdersForSyncPage($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { ...SyncOrder }
    }
  }
`);

/** One full order by id (orders found missing or stale by reconciliation). */
export const ORDER_FOR_SYNC_QUERY = withFragments(`#graphql
  query OrderForSync($id: ID!) {
    order(id: $id) { ...SyncOrder }
  }
`);

/** The rest of an order's line items beyond the first page. */
export const ORDER_LINE_ITEMS_PAGE_QUERY = withFragments(`#graphql
  query OrderLineItemsPage($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      id
      lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...LineItemFields } }
    }
  }
`);

/** One refund in full. */
export const REFUND_FOR_SYNC_QUERY = withFragments(`#graphql
  query RefundForSync($id: ID!) {
    refund(id: $id) { ...RefundFields }
  }
`);

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
 * The query a bulk operation runs, with the order fields inlined (no
 * fragments). BULK_ORDERS_FILTER is replaced by the real search filter (as a
 * GraphQL string literal) before it is sent. Bulk queries allow at most five
 * connections, two levels deep, so refunds are read one by one with
 * REFUND_FOR_SYNC_QUERY, as for paged reads.
 */
export const BULK_ORDERS_FILTER_PLACEHOLDER = `"BULK_ORDERS_FILTER"`;
export const BULK_ORDERS_FOR_SYNC_QUERY = inlineFragments(
  withFragments(`#graphql
    query BulkOrdersForSync {
      orders(query: "BULK_ORDERS_FILTER", sortKey: UPDATED_AT) {
        edges {
          node {
            ...OrderFields
            refunds { id }
            discountApplications { edges { node { ...DiscountApplicationFields } } }
            lineItems { edges { node { ...LineItemFields } } }
            shippingLines { edges { node { ...ShippingLineFields } } }
          }
        }
      }
    }
  `),
);

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
