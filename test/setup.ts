// Environment every test sees. The Shopify library reads these at import
// time; they match @shopify/shopify-api/test-helpers so its helpers (getJwt,
// getHmac, setUpValidRequest) produce credentials our app accepts.
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.SCOPES ??= "read_orders";
process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.LOG_LEVEL ??= "silent";
