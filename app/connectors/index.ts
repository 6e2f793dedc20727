// Every available ERP connector, by type: a plain map, so what exists is what
// this file lists, with nothing to import for its side effects first.
// Adding an ERP = a folder under app/connectors/ plus one line below.
// Tests hand the settings code a catalog of their own (settings deps `connectors`).
import { BUSINESS_CENTRAL_TYPE, businessCentralConnector } from "./business-central";
import { GENERIC_HTTP_TYPE, genericHttpConnector } from "./generic-http";
import type { ConnectorDefinition } from "./port";
import { TRYTON_TYPE, trytonConnector } from "./tryton";

/**
 * Definitions by type. Each keeps its own config type inside: its
 * parseConfig's result only ever goes to its own create.
 */
export type ConnectorCatalog = Readonly<Record<string, ConnectorDefinition<unknown>>>;

export const CONNECTORS: ConnectorCatalog = {
  [BUSINESS_CENTRAL_TYPE]: businessCentralConnector,
  [GENERIC_HTTP_TYPE]: genericHttpConnector,
  [TRYTON_TYPE]: trytonConnector,
};

/** The definition for a stored or posted type; undefined for anything not in the catalog (including "constructor"). */
export function connectorDefinition(type: string, catalog: ConnectorCatalog = CONNECTORS): ConnectorDefinition<unknown> | undefined {
  return Object.hasOwn(catalog, type) ? catalog[type] : undefined;
}
