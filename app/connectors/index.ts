// Registers every available ERP connector. Import this module once (the app
// server and the worker do: `import "~/connectors/index"`) before asking the
// registry for a connector. Adding an ERP = a folder + one line below.
import { registerConnector } from "./registry";
import { BUSINESS_CENTRAL_TYPE, businessCentralConnector } from "./business-central";
import { GENERIC_HTTP_TYPE, genericHttpConnector } from "./generic-http";
import { TRYTON_TYPE, trytonConnector } from "./tryton";

registerConnector(BUSINESS_CENTRAL_TYPE, businessCentralConnector);
registerConnector(GENERIC_HTTP_TYPE, genericHttpConnector);
registerConnector(TRYTON_TYPE, trytonConnector);
