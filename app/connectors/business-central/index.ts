// Definition of the Business Central connector for the registry.
import type { ConnectorDefinition } from "../port";
import { BUSINESS_CENTRAL_DEFAULT_LIMITS, businessCentralFields, parseBusinessCentralConfig, type BusinessCentralConfig } from "./config";
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
};
