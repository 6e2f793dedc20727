// Admin GraphQL operations for stock sync (app/stock/): Shopify's locations,
// the available quantity of every inventory item stocked at a location, one
// item's levels (re-read after a compare-and-swap conflict), the granted
// scopes, and the one write: inventorySetQuantities with compare-and-swap
// (changeFromQuantity) and the @idempotent directive, both required for this
// mutation since API 2026-04 (see the mutation's description in
// admin-2026-10.graphql).

/** Shopify's locations (a shop has at most a few hundred; one page of 250 is read, then the next). */
export const STOCK_LOCATIONS_QUERY = `#graphql
  query StockLocations($after: String) {
    locations(first: 250, after: $after, includeInactive: false) {
      nodes {
        id
        name
        isActive
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * Every inventory item stocked at one location with its available quantity.
 * 250 levels cost about 750 points, under the 1,000 a single query may cost.
 */
export const STOCK_LOCATION_LEVELS_QUERY = `#graphql
  query StockLocationLevels($locationId: ID!, $after: String) {
    location(id: $locationId) {
      id
      inventoryLevels(first: 250, after: $after) {
        nodes {
          quantities(names: ["available"]) {
            name
            quantity
          }
          item {
            id
            sku
            tracked
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** One item's available quantity at every location (after CHANGE_FROM_QUANTITY_STALE). */
export const STOCK_ITEM_LEVELS_QUERY = `#graphql
  query StockItemLevels($id: ID!) {
    inventoryItem(id: $id) {
      id
      sku
      tracked
      inventoryLevels(first: 50) {
        nodes {
          location {
            id
          }
          quantities(names: ["available"]) {
            name
            quantity
          }
        }
      }
    }
  }
`;

/** The scopes the merchant granted (optional scopes included once approved). */
export const STOCK_GRANTED_SCOPES_QUERY = `#graphql
  query StockGrantedScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

/**
 * Sets available quantities, each only if Shopify still holds the quantity
 * the app read (changeFromQuantity). The idempotency key names the run and
 * batch, so a batch resent after a lost answer is applied once.
 */
export const STOCK_SET_QUANTITIES_MUTATION = `#graphql
  mutation StockSetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** How many variants the store has: a large catalogue is read with a bulk operation. */
export const STOCK_VARIANTS_COUNT_QUERY = `#graphql
  query StockVariantsCount {
    productVariantsCount {
      count
    }
  }
`;

/**
 * Every location with every inventory level, as a bulk operation (sent as a
 * string to bulkOperationRunQuery): a few cost points however large the
 * catalogue, where paging costs about 3 points a level.
 */
export const STOCK_BULK_LEVELS_QUERY = `#graphql
  query StockBulkLevels {
    locations {
      edges {
        node {
          id
          inventoryLevels {
            edges {
              node {
                quantities(names: ["available"]) {
                  name
                  quantity
                }
                item {
                  id
                  sku
                  tracked
                }
              }
            }
          }
        }
      }
    }
  }
`;
