// The one Admin API version the app speaks, and the schema file it is typed from.
// Keep in step with `api_version` in shopify.app.toml.
import { ApiVersion } from "@shopify/shopify-app-remix/server";

export const ADMIN_API_VERSION = ApiVersion.October26;
