// The one Shopify app configuration (as in Shopify's Remix template): auth,
// sessions in Prisma, expiring offline tokens for the worker, App Store
// distribution. Routes import `authenticate` from here and nothing else.
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { shopifyApi } from "@shopify/shopify-api";
import { EncryptedPrismaSessionStorage } from "./security/encrypted-session-storage.server";
import prisma from "./db.server";
import { ADMIN_API_VERSION } from "./graphql/api-version";
import { markShopInstalled } from "./shops/shop-lifecycle.server";

const customShopDomains = process.env.SHOP_CUSTOM_DOMAIN ? [process.env.SHOP_CUSTOM_DOMAIN] : undefined;

const shopify = shopifyApp({
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecretKey: process.env.SHOPIFY_API_SECRET || "",
  apiVersion: ADMIN_API_VERSION,
  scopes: process.env.SCOPES?.split(","),
  appUrl: process.env.SHOPIFY_APP_URL || "",
  authPathPrefix: "/auth",
  // Sessions in Prisma, with access/refresh tokens encrypted at rest.
  sessionStorage: new EncryptedPrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: {
    // Token exchange instead of the OAuth redirect dance (Shopify-managed install).
    unstable_newEmbeddedAuthStrategy: true,
    // Offline tokens expire and are refreshed by the library: the worker and
    // reconciliation call the Admin API long after the merchant's visit.
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await markShopInstalled(prisma, session.shop);
    },
  },
  ...(customShopDomains ? { customShopDomains } : {}),
});

/**
 * The library's shop-domain rule (something.myshopify.com, or the custom
 * domain configured), for the order webhooks' own verification
 * (webhooks/verify-order-webhook.server.ts). Throws InvalidShopError.
 */
const shopDomainRules = shopifyApi({
  apiKey: process.env.SHOPIFY_API_KEY || "unset",
  apiSecretKey: process.env.SHOPIFY_API_SECRET || "unset",
  apiVersion: ADMIN_API_VERSION,
  hostName: new URL(process.env.SHOPIFY_APP_URL || "http://localhost").host,
  isEmbeddedApp: true,
  ...(customShopDomains ? { customShopDomains } : {}),
  logger: { level: 0 },
});
export function webhookShopCheck(shop: string): string {
  return shopDomainRules.utils.sanitizeShop(shop, true)!;
}

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
