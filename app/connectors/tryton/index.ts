// Definition of the Tryton connector for the registry.
import type { ConnectorDefinition } from "../port";
import { TRYTON_DEFAULT_LIMITS, parseTrytonConfig, trytonBookings, trytonFields, type TrytonConfig } from "./config";
import { previewParts, settingValues } from "../support/document-preview";

const BOOKING_KEYS = ["shippingProductCode", "taxProductCode", "giftCardProductCode", "tipProductCode", "dutiesProductCode", "adjustmentProductCode"] as const;
import { TrytonConnector } from "./connector";

export const TRYTON_TYPE = "tryton";

export const trytonConnector: ConnectorDefinition<TrytonConfig> = {
  describe: () => ({
    type: TRYTON_TYPE,
    name: "Tryton",
    description: "Creates each order as a sale quotation in Tryton (tested with 6.0), finding or creating the customer by e-mail and the products by code.",
    fields: trytonFields,
    defaultLimits: TRYTON_DEFAULT_LIMITS,
    skuFallbackAllowed: true,
  }),
  parseConfig: parseTrytonConfig,
  create: (config, deps) => new TrytonConnector(config, deps),
  // Lines are written without Tryton taxes (connector.ts): the same parts createOrder books.
  previewDocument: (order, values) =>
    previewParts(order, trytonBookings(settingValues(values, BOOKING_KEYS) as Partial<TrytonConfig> as TrytonConfig), { erpAddsTax: false }),
};
