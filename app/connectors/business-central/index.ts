// Definition of the Business Central connector for the registry.
import type { ConnectorDefinition } from "../port";
import { BUSINESS_CENTRAL_DEFAULT_LIMITS, businessCentralBookings, businessCentralFields, parseBusinessCentralConfig, type BusinessCentralConfig } from "./config";
import { previewParts, settingValues } from "../support/document-preview";

const BOOKING_KEYS = ["shippingAccountNumber", "giftCardAccountNumber", "tipAccountNumber", "dutiesAccountNumber", "adjustmentAccountNumber"] as const;
import { BusinessCentralConnector } from "./connector";

export const BUSINESS_CENTRAL_TYPE = "business-central";

export const businessCentralConnector: ConnectorDefinition<BusinessCentralConfig> = {
  describe: () => ({
    type: BUSINESS_CENTRAL_TYPE,
    name: "Microsoft Dynamics 365 Business Central",
    description: "Creates each order as a sales order in Business Central (API v2.0), with the customer found by e-mail and the items by number; refunds become sales credit memos.",
    fields: businessCentralFields,
    defaultLimits: BUSINESS_CENTRAL_DEFAULT_LIMITS,
    skuFallbackAllowed: true,
  }),
  parseConfig: parseBusinessCentralConfig,
  create: (config, deps) => new BusinessCentralConnector(config, deps),
  // Business Central adds tax itself; whether its prices include tax depends on
  // the customer it finds, so the preview uses the convention createOrder
  // checks settings with (prices without tax).
  previewDocument: (order, values) =>
    previewParts(
      order,
      businessCentralBookings(settingValues(values, BOOKING_KEYS) as Partial<BusinessCentralConfig> as BusinessCentralConfig),
      { erpAddsTax: true, pricesIncludeTax: false },
    ),
};
