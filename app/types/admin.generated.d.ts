/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.d.ts';

export type CertificateOrdersCountQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type CertificateOrdersCountQuery = { ordersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count' | 'precision'>> };

export type CertificateOrdersPageQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query: AdminTypes.Scalars['String']['input'];
}>;


export type CertificateOrdersPageQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'createdAt' | 'cancelledAt' | 'test'>
      & { currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
    )> } };

export type OrderFulfillmentsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderFulfillmentsQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'name'>
    & { fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'>
        & { assignedLocation: Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'reason'>>, lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'sku' | 'productTitle' | 'variantTitle' | 'totalQuantity' | 'remainingQuantity'>
            & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
          )> } }
      )> }, fulfillments: Array<(
      Pick<AdminTypes.Fulfillment, 'id' | 'name' | 'createdAt' | 'status'>
      & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'number'>>, fulfillmentLineItems: { nodes: Array<(
          Pick<AdminTypes.FulfillmentLineItem, 'quantity'>
          & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
        )> } }
    )> }
  )> };

export type ShipmentFulfillmentCreateMutationVariables = AdminTypes.Exact<{
  fulfillment: AdminTypes.FulfillmentInput;
}>;


export type ShipmentFulfillmentCreateMutation = { fulfillmentCreate?: AdminTypes.Maybe<{ fulfillment?: AdminTypes.Maybe<(
      Pick<AdminTypes.Fulfillment, 'id' | 'name' | 'status'>
      & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'number' | 'company' | 'url'>> }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type AppAccessScopesQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type AppAccessScopesQuery = { currentAppInstallation: { accessScopes: Array<Pick<AdminTypes.AccessScope, 'handle'>> } };

export type StockLocationsQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type StockLocationsQuery = { locations: { nodes: Array<Pick<AdminTypes.Location, 'id' | 'name' | 'isActive'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type StockLocationLevelsQueryVariables = AdminTypes.Exact<{
  locationId: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type StockLocationLevelsQuery = { location?: AdminTypes.Maybe<(
    Pick<AdminTypes.Location, 'id'>
    & { inventoryLevels: { nodes: Array<{ quantities: Array<Pick<AdminTypes.InventoryQuantity, 'name' | 'quantity'>>, item: Pick<AdminTypes.InventoryItem, 'id' | 'sku' | 'tracked'> }>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type StockItemLevelsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type StockItemLevelsQuery = { inventoryItem?: AdminTypes.Maybe<(
    Pick<AdminTypes.InventoryItem, 'id' | 'sku' | 'tracked'>
    & { inventoryLevels: { nodes: Array<{ location: Pick<AdminTypes.Location, 'id'>, quantities: Array<Pick<AdminTypes.InventoryQuantity, 'name' | 'quantity'>> }> } }
  )> };

export type StockGrantedScopesQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type StockGrantedScopesQuery = { currentAppInstallation: { accessScopes: Array<Pick<AdminTypes.AccessScope, 'handle'>> } };

export type StockSetQuantitiesMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.InventorySetQuantitiesInput;
  idempotencyKey: AdminTypes.Scalars['String']['input'];
}>;


export type StockSetQuantitiesMutation = { inventorySetQuantities?: AdminTypes.Maybe<{ inventoryAdjustmentGroup?: AdminTypes.Maybe<Pick<AdminTypes.InventoryAdjustmentGroup, 'id'>>, userErrors: Array<Pick<AdminTypes.InventorySetQuantitiesUserError, 'code' | 'field' | 'message'>> }> };

export type StockVariantsCountQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type StockVariantsCountQuery = { productVariantsCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count'>> };

export type StockBulkLevelsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type StockBulkLevelsQuery = { locations: { edges: Array<{ node: (
        Pick<AdminTypes.Location, 'id'>
        & { inventoryLevels: { edges: Array<{ node: { quantities: Array<Pick<AdminTypes.InventoryQuantity, 'name' | 'quantity'>>, item: Pick<AdminTypes.InventoryItem, 'id' | 'sku' | 'tracked'> } }> } }
      ) }> } };

export type ShopMoneyFragment = { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> };

export type TaxLineFieldsFragment = (
  Pick<AdminTypes.TaxLine, 'title' | 'rate'>
  & { priceSet: ShopMoneyFragment }
);

export type AddressFieldsFragment = Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>;

export type DiscountAllocationFieldsFragment = { allocatedAmountSet: ShopMoneyFragment, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> };

export type LineItemFieldsFragment = (
  Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'variantTitle' | 'name' | 'quantity' | 'currentQuantity' | 'isGiftCard' | 'requiresShipping' | 'taxable' | 'vendor'>
  & { originalUnitPriceSet: ShopMoneyFragment, totalDiscountSet: ShopMoneyFragment, discountAllocations: Array<DiscountAllocationFieldsFragment>, taxLines: Array<TaxLineFieldsFragment>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>>, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>> }
);

export type ShippingLineFieldsFragment = (
  Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source' | 'carrierIdentifier'>
  & { originalPriceSet: ShopMoneyFragment, discountedPriceSet: ShopMoneyFragment, taxLines: Array<TaxLineFieldsFragment>, discountAllocations: Array<DiscountAllocationFieldsFragment> }
);

type DiscountValue_MoneyV2_Fragment = (
  { __typename: 'MoneyV2' }
  & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
);

type DiscountValue_PricingPercentageValue_Fragment = (
  { __typename: 'PricingPercentageValue' }
  & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
);

export type DiscountValueFragment = DiscountValue_MoneyV2_Fragment | DiscountValue_PricingPercentageValue_Fragment;

type DiscountApplicationFields_AutomaticDiscountApplication_Fragment = (
  { __typename: 'AutomaticDiscountApplication' }
  & Pick<AdminTypes.AutomaticDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: DiscountValue_MoneyV2_Fragment | DiscountValue_PricingPercentageValue_Fragment }
);

type DiscountApplicationFields_DiscountCodeApplication_Fragment = (
  { __typename: 'DiscountCodeApplication' }
  & Pick<AdminTypes.DiscountCodeApplication, 'code' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: DiscountValue_MoneyV2_Fragment | DiscountValue_PricingPercentageValue_Fragment }
);

type DiscountApplicationFields_ManualDiscountApplication_Fragment = (
  { __typename: 'ManualDiscountApplication' }
  & Pick<AdminTypes.ManualDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: DiscountValue_MoneyV2_Fragment | DiscountValue_PricingPercentageValue_Fragment }
);

type DiscountApplicationFields_ScriptDiscountApplication_Fragment = (
  { __typename: 'ScriptDiscountApplication' }
  & Pick<AdminTypes.ScriptDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: DiscountValue_MoneyV2_Fragment | DiscountValue_PricingPercentageValue_Fragment }
);

export type DiscountApplicationFieldsFragment = DiscountApplicationFields_AutomaticDiscountApplication_Fragment | DiscountApplicationFields_DiscountCodeApplication_Fragment | DiscountApplicationFields_ManualDiscountApplication_Fragment | DiscountApplicationFields_ScriptDiscountApplication_Fragment;

export type RefundFieldsFragment = (
  Pick<AdminTypes.Refund, 'id' | 'createdAt' | 'processedAt' | 'note'>
  & { totalRefundedSet: ShopMoneyFragment, duties?: AdminTypes.Maybe<Array<{ amountSet: ShopMoneyFragment }>>, refundLineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      Pick<AdminTypes.RefundLineItem, 'id' | 'quantity' | 'restockType'>
      & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'>, subtotalSet: ShopMoneyFragment, totalTaxSet: ShopMoneyFragment }
    )> }, refundShippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<{ subtotalAmountSet: ShopMoneyFragment, taxAmountSet: ShopMoneyFragment }> }, orderAdjustments: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      Pick<AdminTypes.OrderAdjustment, 'id' | 'reason'>
      & { amountSet: ShopMoneyFragment, taxAmountSet: ShopMoneyFragment }
    )> }, transactions: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'gateway' | 'processedAt'>
      & { amountSet: ShopMoneyFragment }
    )> } }
);

export type OrderFieldsFragment = (
  Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'number' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'cancelReason' | 'currencyCode' | 'taxesIncluded' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'test' | 'tags' | 'note' | 'email' | 'phone' | 'sourceName' | 'discountCodes'>
  & { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
    & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>> }
  )>, billingAddress?: AdminTypes.Maybe<AddressFieldsFragment>, shippingAddress?: AdminTypes.Maybe<AddressFieldsFragment>, subtotalPriceSet?: AdminTypes.Maybe<ShopMoneyFragment>, totalPriceSet: ShopMoneyFragment, totalDiscountsSet?: AdminTypes.Maybe<ShopMoneyFragment>, totalTaxSet?: AdminTypes.Maybe<ShopMoneyFragment>, totalShippingPriceSet: ShopMoneyFragment, currentSubtotalPriceSet: ShopMoneyFragment, currentTotalPriceSet: ShopMoneyFragment, currentTotalTaxSet: ShopMoneyFragment, currentTotalDiscountsSet: ShopMoneyFragment, currentShippingPriceSet: ShopMoneyFragment, currentTotalDutiesSet?: AdminTypes.Maybe<ShopMoneyFragment>, totalTipReceivedSet: ShopMoneyFragment, totalRefundedSet: ShopMoneyFragment, taxLines: Array<TaxLineFieldsFragment> }
);

export type SyncOrderFragment = (
  { discountApplications: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<DiscountApplicationFields_AutomaticDiscountApplication_Fragment | DiscountApplicationFields_DiscountCodeApplication_Fragment | DiscountApplicationFields_ManualDiscountApplication_Fragment | DiscountApplicationFields_ScriptDiscountApplication_Fragment> }, lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<LineItemFieldsFragment> }, shippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<ShippingLineFieldsFragment> }, refunds: Array<Pick<AdminTypes.Refund, 'id'>> }
  & OrderFieldsFragment
);

export type ReconcileOrdersPageQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query: AdminTypes.Scalars['String']['input'];
}>;


export type ReconcileOrdersPageQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'updatedAt'>> } };

export type OrdersForSyncPageQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query: AdminTypes.Scalars['String']['input'];
}>;


export type OrdersForSyncPageQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<SyncOrderFragment> } };

export type OrderForSyncQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderForSyncQuery = { order?: AdminTypes.Maybe<SyncOrderFragment> };

export type OrderLineItemsPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type OrderLineItemsPageQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<LineItemFieldsFragment> } }
  )> };

export type RefundForSyncQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type RefundForSyncQuery = { refund?: AdminTypes.Maybe<RefundFieldsFragment> };

export type OrdersCountQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type OrdersCountQuery = { ordersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count' | 'precision'>> };

export type BulkOrdersForSyncQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type BulkOrdersForSyncQuery = { orders: { edges: Array<{ node: (
        { refunds: Array<Pick<AdminTypes.Refund, 'id'>>, discountApplications: { edges: Array<{ node: DiscountApplicationFields_AutomaticDiscountApplication_Fragment | DiscountApplicationFields_DiscountCodeApplication_Fragment | DiscountApplicationFields_ManualDiscountApplication_Fragment | DiscountApplicationFields_ScriptDiscountApplication_Fragment }> }, lineItems: { edges: Array<{ node: LineItemFieldsFragment }> }, shippingLines: { edges: Array<{ node: ShippingLineFieldsFragment }> } }
        & OrderFieldsFragment
      ) }> } };

export type BulkOperationRunQueryMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
  groupObjects: AdminTypes.Scalars['Boolean']['input'];
}>;


export type BulkOperationRunQueryMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message' | 'code'>> }> };

export type BulkOperationStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BulkOperationStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'rootObjectCount' | 'fileSize' | 'url' | 'partialDataUrl' | 'createdAt' | 'completedAt'>> };

export type BulkOperationCancelMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BulkOperationCancelMutation = { bulkOperationCancel?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type ShopOverviewQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopOverviewQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'myshopifyDomain' | 'currencyCode'>
    & { plan: Pick<AdminTypes.ShopPlan, 'publicDisplayName' | 'partnerDevelopment' | 'shopifyPlus'> }
  ) };

interface GeneratedQueryTypes {
  "#graphql\n  query CertificateOrdersCount($query: String!) {\n    ordersCount(query: $query, limit: null) { count precision }\n  }\n": {return: CertificateOrdersCountQuery, variables: CertificateOrdersCountQueryVariables},
  "#graphql\n  query CertificateOrdersPage($first: Int!, $after: String, $query: String!) {\n    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        legacyResourceId\n        name\n        createdAt\n        cancelledAt\n        test\n        currentTotalPriceSet { shopMoney { amount currencyCode } }\n      }\n    }\n  }\n": {return: CertificateOrdersPageQuery, variables: CertificateOrdersPageQueryVariables},
  "#graphql\n  query OrderFulfillments($id: ID!) {\n    order(id: $id) {\n      id\n      name\n      fulfillmentOrders(first: 5) {\n        nodes {\n          id\n          status\n          assignedLocation { name }\n          fulfillmentHolds { reason }\n          lineItems(first: 30) {\n            nodes {\n              id\n              sku\n              productTitle\n              variantTitle\n              totalQuantity\n              remainingQuantity\n              lineItem { id }\n            }\n          }\n        }\n      }\n      fulfillments(first: 8) {\n        id\n        name\n        createdAt\n        status\n        trackingInfo(first: 5) { number }\n        fulfillmentLineItems(first: 30) {\n          nodes {\n            quantity\n            lineItem { id }\n          }\n        }\n      }\n    }\n  }\n": {return: OrderFulfillmentsQuery, variables: OrderFulfillmentsQueryVariables},
  "#graphql\n  query AppAccessScopes {\n    currentAppInstallation {\n      accessScopes { handle }\n    }\n  }\n": {return: AppAccessScopesQuery, variables: AppAccessScopesQueryVariables},
  "#graphql\n  query StockLocations($after: String) {\n    locations(first: 250, after: $after, includeInactive: false) {\n      nodes {\n        id\n        name\n        isActive\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {return: StockLocationsQuery, variables: StockLocationsQueryVariables},
  "#graphql\n  query StockLocationLevels($locationId: ID!, $after: String) {\n    location(id: $locationId) {\n      id\n      inventoryLevels(first: 250, after: $after) {\n        nodes {\n          quantities(names: [\"available\"]) {\n            name\n            quantity\n          }\n          item {\n            id\n            sku\n            tracked\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": {return: StockLocationLevelsQuery, variables: StockLocationLevelsQueryVariables},
  "#graphql\n  query StockItemLevels($id: ID!) {\n    inventoryItem(id: $id) {\n      id\n      sku\n      tracked\n      inventoryLevels(first: 50) {\n        nodes {\n          location {\n            id\n          }\n          quantities(names: [\"available\"]) {\n            name\n            quantity\n          }\n        }\n      }\n    }\n  }\n": {return: StockItemLevelsQuery, variables: StockItemLevelsQueryVariables},
  "#graphql\n  query StockGrantedScopes {\n    currentAppInstallation {\n      accessScopes {\n        handle\n      }\n    }\n  }\n": {return: StockGrantedScopesQuery, variables: StockGrantedScopesQueryVariables},
  "#graphql\n  query StockVariantsCount {\n    productVariantsCount {\n      count\n    }\n  }\n": {return: StockVariantsCountQuery, variables: StockVariantsCountQueryVariables},
  "#graphql\n  query StockBulkLevels {\n    locations {\n      edges {\n        node {\n          id\n          inventoryLevels {\n            edges {\n              node {\n                quantities(names: [\"available\"]) {\n                  name\n                  quantity\n                }\n                item {\n                  id\n                  sku\n                  tracked\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: StockBulkLevelsQuery, variables: StockBulkLevelsQueryVariables},
  "#graphql\n  query ReconcileOrdersPage($first: Int!, $after: String, $query: String!) {\n    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id legacyResourceId name updatedAt }\n    }\n  }\n": {return: ReconcileOrdersPageQuery, variables: ReconcileOrdersPageQueryVariables},
  "#graphql\n  query OrdersForSyncPage($first: Int!, $after: String, $query: String!) {\n    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {\n      pageInfo { hasNextPage endCursor }\n      nodes { ...SyncOrder }\n    }\n  }\n": {return: OrdersForSyncPageQuery, variables: OrdersForSyncPageQueryVariables},
  "#graphql\n  query OrderForSync($id: ID!) {\n    order(id: $id) { ...SyncOrder }\n  }\n": {return: OrderForSyncQuery, variables: OrderForSyncQueryVariables},
  "#graphql\n  query OrderLineItemsPage($id: ID!, $first: Int!, $after: String) {\n    order(id: $id) {\n      id\n      lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...LineItemFields } }\n    }\n  }\n": {return: OrderLineItemsPageQuery, variables: OrderLineItemsPageQueryVariables},
  "#graphql\n  query RefundForSync($id: ID!) {\n    refund(id: $id) { ...RefundFields }\n  }\n": {return: RefundForSyncQuery, variables: RefundForSyncQueryVariables},
  "#graphql\n  query OrdersCount($query: String!) {\n    ordersCount(query: $query, limit: null) { count precision }\n  }\n": {return: OrdersCountQuery, variables: OrdersCountQueryVariables},
  "#graphql\n  query AppAccessScopes {\n    currentAppInstallation { accessScopes { handle } }\n  }\n": {return: AppAccessScopesQuery, variables: AppAccessScopesQueryVariables},
  "#graphql\n    query BulkOrdersForSync {\n      orders(query: \"BULK_ORDERS_FILTER\", sortKey: UPDATED_AT) {\n        edges {\n          node {\n            ...OrderFields\n            refunds { id }\n            discountApplications { edges { node { ...DiscountApplicationFields } } }\n            lineItems { edges { node { ...LineItemFields } } }\n            shippingLines { edges { node { ...ShippingLineFields } } }\n          }\n        }\n      }\n    }\n  ": {return: BulkOrdersForSyncQuery, variables: BulkOrdersForSyncQueryVariables},
  "#graphql\n  query BulkOperationStatus($id: ID!) {\n    bulkOperation(id: $id) {\n      id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt\n    }\n  }\n": {return: BulkOperationStatusQuery, variables: BulkOperationStatusQueryVariables},
  "#graphql\n  query ShopOverview {\n    shop {\n      name\n      myshopifyDomain\n      currencyCode\n      plan {\n        publicDisplayName\n        partnerDevelopment\n        shopifyPlus\n      }\n    }\n  }\n": {return: ShopOverviewQuery, variables: ShopOverviewQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation ShipmentFulfillmentCreate($fulfillment: FulfillmentInput!) {\n    fulfillmentCreate(fulfillment: $fulfillment) {\n      fulfillment {\n        id\n        name\n        status\n        trackingInfo(first: 10) { number company url }\n      }\n      userErrors { field message }\n    }\n  }\n": {return: ShipmentFulfillmentCreateMutation, variables: ShipmentFulfillmentCreateMutationVariables},
  "#graphql\n  mutation StockSetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {\n    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {\n      inventoryAdjustmentGroup {\n        id\n      }\n      userErrors {\n        code\n        field\n        message\n      }\n    }\n  }\n": {return: StockSetQuantitiesMutation, variables: StockSetQuantitiesMutationVariables},
  "#graphql\n  mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {\n    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }\n": {return: BulkOperationRunQueryMutation, variables: BulkOperationRunQueryMutationVariables},
  "#graphql\n  mutation BulkOperationCancel($id: ID!) {\n    bulkOperationCancel(id: $id) {\n      bulkOperation { id status }\n      userErrors { field message }\n    }\n  }\n": {return: BulkOperationCancelMutation, variables: BulkOperationCancelMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
