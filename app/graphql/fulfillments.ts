// Admin GraphQL operations of the shipment flow (app/shipments/): read an
// order's fulfilment orders and fulfilments, create a fulfilment, and check
// the fulfilment scopes. Validated against admin-2026-10.graphql by the
// operations test and by the fake Admin API on every call.
//
// Sizes: an order has few fulfilment orders (one per location and hold) and
// fulfilments; 5 fulfilment orders and 8 fulfilments of 30 line items each
// keep the requested cost (about 870 points) below Shopify's 1,000-point
// limit per query. Larger orders are not read whole: docs/shipments.md.

/** What the planner needs: fulfilment orders with their line items, and existing fulfilments. */
export const ORDER_FULFILLMENTS_QUERY = `#graphql
  query OrderFulfillments($id: ID!) {
    order(id: $id) {
      id
      name
      fulfillmentOrders(first: 5) {
        nodes {
          id
          status
          assignedLocation { name }
          fulfillmentHolds { reason }
          lineItems(first: 30) {
            nodes {
              id
              sku
              productTitle
              variantTitle
              totalQuantity
              remainingQuantity
              lineItem { id }
            }
          }
        }
      }
      fulfillments(first: 8) {
        id
        name
        createdAt
        status
        trackingInfo(first: 5) { number }
        fulfillmentLineItems(first: 30) {
          nodes {
            quantity
            lineItem { id }
          }
        }
      }
    }
  }
`;

/** Not idempotent: the engine sends it once per attempt and looks up before any repeat. */
export const FULFILLMENT_CREATE_MUTATION = `#graphql
  mutation ShipmentFulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
        name
        status
        trackingInfo(first: 10) { number company url }
      }
      userErrors { field message }
    }
  }
`;

/** The scopes the merchant granted (optional scopes show up here once approved). */
export const APP_SCOPES_QUERY = `#graphql
  query AppAccessScopes {
    currentAppInstallation {
      accessScopes { handle }
    }
  }
`;
