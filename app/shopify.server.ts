// The one Shopify app configuration (as in Shopify's Remix template): auth,
// sessions in Prisma, expiring offline tokens for the worker, App Store
// distribution. Routes import `authenticate` from here and nothing else.
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { EncryptedPrismaSessionStorage } from "./security/encrypted-session-storage.server";
import prisma from "./db.server";
import { ADMIN_API_VERSION } from "./graphql/api-version";
import { markShopInstalled } from "./shops/shop-lifecycle.server";

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
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
