// Definition of the Generic HTTPS JSON connector for the registry.
import type { ConnectorDefinition } from "../port";
import { GENERIC_HTTP_DEFAULT_LIMITS, genericHttpFields, parseGenericHttpConfig, type GenericHttpConfig } from "./config";
import { GenericHttpConnector } from "./connector";

export const GENERIC_HTTP_TYPE = "generic-http";

export const genericHttpConnector: ConnectorDefinition<GenericHttpConfig> = {
  describe: () => ({
    type: GENERIC_HTTP_TYPE,
    name: "Generic HTTPS JSON",
    description:
      "Sends each order as signed JSON to a web address you choose. For ERPs without a ready-made connector, through a small service your developer runs.",
    fields: genericHttpFields,
    defaultLimits: GENERIC_HTTP_DEFAULT_LIMITS,
    skuFallbackAllowed: true,
  }),
  parseConfig: parseGenericHttpConfig,
  create: (config, deps) => new GenericHttpConnector(config, deps),
};
