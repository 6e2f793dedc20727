// Every available ERP connector, by type. Adding an ERP = a folder under
// app/connectors/ plus one line here.
import type { ConnectorDefinition } from "./port";

const connectors: Record<string, ConnectorDefinition<any>> = {};

export function registerConnector(type: string, definition: ConnectorDefinition<any>): void {
  connectors[type] = definition;
}

export function getConnectorDefinition(type: string): ConnectorDefinition<any> | undefined {
  return connectors[type];
}

export function listConnectorDefinitions(): ConnectorDefinition<any>[] {
  return Object.values(connectors);
}
