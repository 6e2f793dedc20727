/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.d.ts';

export type ShopMoneyFragment = { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> };

export type TaxLineFieldsFragment = (
  Pick<AdminTypes.TaxLine, 'title' | 'rate'>
  & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
);

export type AddressFieldsFragment = Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>;

export type DiscountAllocationFieldsFragment = { allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> };

export type LineItemFieldsFragment = (
  Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'variantTitle' | 'name' | 'quantity' | 'currentQuantity' | 'isGiftCard' | 'requiresShipping' | 'taxable' | 'vendor'>
  & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }>, taxLines: Array<(
    Pick<AdminTypes.TaxLine, 'title' | 'rate'>
    & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
  )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>>, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>> }
);

export type ShippingLineFieldsFragment = (
  Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source' | 'carrierIdentifier'>
  & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountedPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
    Pick<AdminTypes.TaxLine, 'title' | 'rate'>
    & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
  )>, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }> }
);

type DiscountApplicationFields_AutomaticDiscountApplication_Fragment = (
  { __typename: 'AutomaticDiscountApplication' }
  & Pick<AdminTypes.AutomaticDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: (
    { __typename: 'MoneyV2' }
    & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
  ) | (
    { __typename: 'PricingPercentageValue' }
    & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
  ) }
);

type DiscountApplicationFields_DiscountCodeApplication_Fragment = (
  { __typename: 'DiscountCodeApplication' }
  & Pick<AdminTypes.DiscountCodeApplication, 'code' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: (
    { __typename: 'MoneyV2' }
    & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
  ) | (
    { __typename: 'PricingPercentageValue' }
    & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
  ) }
);

type DiscountApplicationFields_ManualDiscountApplication_Fragment = (
  { __typename: 'ManualDiscountApplication' }
  & Pick<AdminTypes.ManualDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: (
    { __typename: 'MoneyV2' }
    & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
  ) | (
    { __typename: 'PricingPercentageValue' }
    & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
  ) }
);

type DiscountApplicationFields_ScriptDiscountApplication_Fragment = (
  { __typename: 'ScriptDiscountApplication' }
  & Pick<AdminTypes.ScriptDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
  & { value: (
    { __typename: 'MoneyV2' }
    & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
  ) | (
    { __typename: 'PricingPercentageValue' }
    & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
  ) }
);

export type DiscountApplicationFieldsFragment = DiscountApplicationFields_AutomaticDiscountApplication_Fragment | DiscountApplicationFields_DiscountCodeApplication_Fragment | DiscountApplicationFields_ManualDiscountApplication_Fragment | DiscountApplicationFields_ScriptDiscountApplication_Fragment;

export type RefundFieldsFragment = (
  Pick<AdminTypes.Refund, 'id' | 'createdAt' | 'processedAt' | 'note'>
  & { totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, duties?: AdminTypes.Maybe<Array<{ amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }>>, refundLineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      Pick<AdminTypes.RefundLineItem, 'id' | 'quantity' | 'restockType'>
      & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'>, subtotalSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
    )> }, refundShippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<{ subtotalAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> }, orderAdjustments: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      Pick<AdminTypes.OrderAdjustment, 'id' | 'reason'>
      & { amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
    )> }, transactions: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'gateway' | 'processedAt'>
      & { amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
    )> } }
);

export type OrderFieldsFragment = (
  Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'number' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'cancelReason' | 'currencyCode' | 'taxesIncluded' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'test' | 'tags' | 'note' | 'email' | 'phone' | 'sourceName' | 'discountCodes'>
  & { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
    & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>> }
  )>, billingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTaxSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDiscountsSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDutiesSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTipReceivedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
    Pick<AdminTypes.TaxLine, 'title' | 'rate'>
    & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
  )> }
);

export type SyncOrderFragment = (
  Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'number' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'cancelReason' | 'currencyCode' | 'taxesIncluded' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'test' | 'tags' | 'note' | 'email' | 'phone' | 'sourceName' | 'discountCodes'>
  & { discountApplications: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      { __typename: 'AutomaticDiscountApplication' }
      & Pick<AdminTypes.AutomaticDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
      & { value: (
        { __typename: 'MoneyV2' }
        & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
      ) | (
        { __typename: 'PricingPercentageValue' }
        & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
      ) }
    ) | (
      { __typename: 'DiscountCodeApplication' }
      & Pick<AdminTypes.DiscountCodeApplication, 'code' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
      & { value: (
        { __typename: 'MoneyV2' }
        & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
      ) | (
        { __typename: 'PricingPercentageValue' }
        & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
      ) }
    ) | (
      { __typename: 'ManualDiscountApplication' }
      & Pick<AdminTypes.ManualDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
      & { value: (
        { __typename: 'MoneyV2' }
        & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
      ) | (
        { __typename: 'PricingPercentageValue' }
        & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
      ) }
    ) | (
      { __typename: 'ScriptDiscountApplication' }
      & Pick<AdminTypes.ScriptDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
      & { value: (
        { __typename: 'MoneyV2' }
        & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
      ) | (
        { __typename: 'PricingPercentageValue' }
        & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
      ) }
    )> }, lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'variantTitle' | 'name' | 'quantity' | 'currentQuantity' | 'isGiftCard' | 'requiresShipping' | 'taxable' | 'vendor'>
      & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }>, taxLines: Array<(
        Pick<AdminTypes.TaxLine, 'title' | 'rate'>
        & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>>, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>> }
    )> }, shippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
      Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source' | 'carrierIdentifier'>
      & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountedPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
        Pick<AdminTypes.TaxLine, 'title' | 'rate'>
        & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )>, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }> }
    )> }, refunds: Array<Pick<AdminTypes.Refund, 'id'>>, customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
    & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>> }
  )>, billingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTaxSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDiscountsSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDutiesSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTipReceivedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
    Pick<AdminTypes.TaxLine, 'title' | 'rate'>
    & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
  )> }
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


export type OrdersForSyncPageQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'number' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'cancelReason' | 'currencyCode' | 'taxesIncluded' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'test' | 'tags' | 'note' | 'email' | 'phone' | 'sourceName' | 'discountCodes'>
      & { discountApplications: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
          { __typename: 'AutomaticDiscountApplication' }
          & Pick<AdminTypes.AutomaticDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
          & { value: (
            { __typename: 'MoneyV2' }
            & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
          ) | (
            { __typename: 'PricingPercentageValue' }
            & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
          ) }
        ) | (
          { __typename: 'DiscountCodeApplication' }
          & Pick<AdminTypes.DiscountCodeApplication, 'code' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
          & { value: (
            { __typename: 'MoneyV2' }
            & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
          ) | (
            { __typename: 'PricingPercentageValue' }
            & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
          ) }
        ) | (
          { __typename: 'ManualDiscountApplication' }
          & Pick<AdminTypes.ManualDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
          & { value: (
            { __typename: 'MoneyV2' }
            & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
          ) | (
            { __typename: 'PricingPercentageValue' }
            & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
          ) }
        ) | (
          { __typename: 'ScriptDiscountApplication' }
          & Pick<AdminTypes.ScriptDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
          & { value: (
            { __typename: 'MoneyV2' }
            & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
          ) | (
            { __typename: 'PricingPercentageValue' }
            & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
          ) }
        )> }, lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
          Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'variantTitle' | 'name' | 'quantity' | 'currentQuantity' | 'isGiftCard' | 'requiresShipping' | 'taxable' | 'vendor'>
          & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }>, taxLines: Array<(
            Pick<AdminTypes.TaxLine, 'title' | 'rate'>
            & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
          )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>>, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>> }
        )> }, shippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
          Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source' | 'carrierIdentifier'>
          & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountedPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
            Pick<AdminTypes.TaxLine, 'title' | 'rate'>
            & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
          )>, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }> }
        )> }, refunds: Array<Pick<AdminTypes.Refund, 'id'>>, customer?: AdminTypes.Maybe<(
        Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
        & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>> }
      )>, billingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTaxSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDiscountsSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDutiesSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTipReceivedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
        Pick<AdminTypes.TaxLine, 'title' | 'rate'>
        & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> }
    )> } };

export type OrderForSyncQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderForSyncQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'number' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'cancelReason' | 'currencyCode' | 'taxesIncluded' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'test' | 'tags' | 'note' | 'email' | 'phone' | 'sourceName' | 'discountCodes'>
    & { discountApplications: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
        { __typename: 'AutomaticDiscountApplication' }
        & Pick<AdminTypes.AutomaticDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
        & { value: (
          { __typename: 'MoneyV2' }
          & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
        ) | (
          { __typename: 'PricingPercentageValue' }
          & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
        ) }
      ) | (
        { __typename: 'DiscountCodeApplication' }
        & Pick<AdminTypes.DiscountCodeApplication, 'code' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
        & { value: (
          { __typename: 'MoneyV2' }
          & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
        ) | (
          { __typename: 'PricingPercentageValue' }
          & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
        ) }
      ) | (
        { __typename: 'ManualDiscountApplication' }
        & Pick<AdminTypes.ManualDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
        & { value: (
          { __typename: 'MoneyV2' }
          & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
        ) | (
          { __typename: 'PricingPercentageValue' }
          & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
        ) }
      ) | (
        { __typename: 'ScriptDiscountApplication' }
        & Pick<AdminTypes.ScriptDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
        & { value: (
          { __typename: 'MoneyV2' }
          & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
        ) | (
          { __typename: 'PricingPercentageValue' }
          & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
        ) }
      )> }, lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
        Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'variantTitle' | 'name' | 'quantity' | 'currentQuantity' | 'isGiftCard' | 'requiresShipping' | 'taxable' | 'vendor'>
        & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }>, taxLines: Array<(
          Pick<AdminTypes.TaxLine, 'title' | 'rate'>
          & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
        )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>>, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>> }
      )> }, shippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
        Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source' | 'carrierIdentifier'>
        & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountedPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
          Pick<AdminTypes.TaxLine, 'title' | 'rate'>
          & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
        )>, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }> }
      )> }, refunds: Array<Pick<AdminTypes.Refund, 'id'>>, customer?: AdminTypes.Maybe<(
      Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
      & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>> }
    )>, billingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTaxSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDiscountsSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDutiesSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTipReceivedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
      Pick<AdminTypes.TaxLine, 'title' | 'rate'>
      & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
    )> }
  )> };

export type OrderLineItemsPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type OrderLineItemsPageQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
        Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'variantTitle' | 'name' | 'quantity' | 'currentQuantity' | 'isGiftCard' | 'requiresShipping' | 'taxable' | 'vendor'>
        & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }>, taxLines: Array<(
          Pick<AdminTypes.TaxLine, 'title' | 'rate'>
          & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
        )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>>, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>> }
      )> } }
  )> };

export type RefundForSyncQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type RefundForSyncQuery = { refund?: AdminTypes.Maybe<(
    Pick<AdminTypes.Refund, 'id' | 'createdAt' | 'processedAt' | 'note'>
    & { totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, duties?: AdminTypes.Maybe<Array<{ amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }>>, refundLineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
        Pick<AdminTypes.RefundLineItem, 'id' | 'quantity' | 'restockType'>
        & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'>, subtotalSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> }, refundShippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<{ subtotalAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> }, orderAdjustments: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
        Pick<AdminTypes.OrderAdjustment, 'id' | 'reason'>
        & { amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> }, transactions: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
        Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'gateway' | 'processedAt'>
        & { amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> } }
  )> };

export type OrdersCountQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type OrdersCountQuery = { ordersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count' | 'precision'>> };

export type AppAccessScopesQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type AppAccessScopesQuery = { currentAppInstallation: { accessScopes: Array<Pick<AdminTypes.AccessScope, 'handle'>> } };

export type BulkOrdersForSyncQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type BulkOrdersForSyncQuery = { orders: { edges: Array<{ node: (
        Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'number' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'cancelReason' | 'currencyCode' | 'taxesIncluded' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'test' | 'tags' | 'note' | 'email' | 'phone' | 'sourceName' | 'discountCodes'>
        & { refunds: Array<Pick<AdminTypes.Refund, 'id'>>, discountApplications: { edges: Array<{ node: (
              { __typename: 'AutomaticDiscountApplication' }
              & Pick<AdminTypes.AutomaticDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
              & { value: (
                { __typename: 'MoneyV2' }
                & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
              ) | (
                { __typename: 'PricingPercentageValue' }
                & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
              ) }
            ) | (
              { __typename: 'DiscountCodeApplication' }
              & Pick<AdminTypes.DiscountCodeApplication, 'code' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
              & { value: (
                { __typename: 'MoneyV2' }
                & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
              ) | (
                { __typename: 'PricingPercentageValue' }
                & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
              ) }
            ) | (
              { __typename: 'ManualDiscountApplication' }
              & Pick<AdminTypes.ManualDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
              & { value: (
                { __typename: 'MoneyV2' }
                & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
              ) | (
                { __typename: 'PricingPercentageValue' }
                & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
              ) }
            ) | (
              { __typename: 'ScriptDiscountApplication' }
              & Pick<AdminTypes.ScriptDiscountApplication, 'title' | 'index' | 'allocationMethod' | 'targetSelection' | 'targetType'>
              & { value: (
                { __typename: 'MoneyV2' }
                & Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>
              ) | (
                { __typename: 'PricingPercentageValue' }
                & Pick<AdminTypes.PricingPercentageValue, 'percentage'>
              ) }
            ) }> }, lineItems: { edges: Array<{ node: (
              Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'variantTitle' | 'name' | 'quantity' | 'currentQuantity' | 'isGiftCard' | 'requiresShipping' | 'taxable' | 'vendor'>
              & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }>, taxLines: Array<(
                Pick<AdminTypes.TaxLine, 'title' | 'rate'>
                & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
              )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>>, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>> }
            ) }> }, shippingLines: { edges: Array<{ node: (
              Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source' | 'carrierIdentifier'>
              & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountedPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
                Pick<AdminTypes.TaxLine, 'title' | 'rate'>
                & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
              )>, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountApplication: Pick<AdminTypes.AutomaticDiscountApplication, 'index'> | Pick<AdminTypes.DiscountCodeApplication, 'index'> | Pick<AdminTypes.ManualDiscountApplication, 'index'> | Pick<AdminTypes.ScriptDiscountApplication, 'index'> }> }
            ) }> }, customer?: AdminTypes.Maybe<(
          Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
          & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>> }
        )>, billingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2' | 'phone'>>, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTaxSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDiscountsSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, currentTotalDutiesSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalTipReceivedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxLines: Array<(
          Pick<AdminTypes.TaxLine, 'title' | 'rate'>
          & { priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
        )> }
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
  "#graphql\n  mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {\n    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }\n": {return: BulkOperationRunQueryMutation, variables: BulkOperationRunQueryMutationVariables},
  "#graphql\n  mutation BulkOperationCancel($id: ID!) {\n    bulkOperationCancel(id: $id) {\n      bulkOperation { id status }\n      userErrors { field message }\n    }\n  }\n": {return: BulkOperationCancelMutation, variables: BulkOperationCancelMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
