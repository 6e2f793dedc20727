// Admin GraphQL operations about the shop itself. Every Admin operation the
// app sends lives in app/graphql/ as a named `#graphql` document, so codegen
// types it and test/foundation/graphql-operations.test.ts validates it against
// the committed schema.

/** Dashboard: proves the install path end to end (shop name and plan). */
export const SHOP_OVERVIEW_QUERY = `#graphql
  query ShopOverview {
    shop {
      name
      myshopifyDomain
      currencyCode
      plan {
        publicDisplayName
        partnerDevelopment
        shopifyPlus
      }
    }
  }
`;
