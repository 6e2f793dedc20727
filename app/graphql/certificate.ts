// Admin GraphQL operations of the completeness certificate
// (app/certificate/): how many orders Shopify says were created in a window,
// and the orders themselves, a page at a time, with only the fields the
// certificate compares (cheap: about 3 cost points per 250 orders listed).

/**
 * Shopify's own count of the orders created in the window. `limit: null`
 * lifts the default cap of 10,000 (Admin API reference, `ordersCount`:
 * "pass null for no limit"); `precision` says whether it is exact.
 */
export const CERTIFICATE_ORDERS_COUNT_QUERY = `#graphql
  query CertificateOrdersCount($query: String!) {
    ordersCount(query: $query, limit: null) { count precision }
  }
`;

/** One page of the orders created in the window, oldest first. */
export const CERTIFICATE_ORDERS_PAGE_QUERY = `#graphql
  query CertificateOrdersPage($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        legacyResourceId
        name
        createdAt
        cancelledAt
        test
        currentTotalPriceSet { shopMoney { amount currencyCode } }
      }
    }
  }
`;
