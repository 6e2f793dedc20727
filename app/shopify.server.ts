// The one Shopify app configuration (as in Shopify's Remix template): auth,
// sessions in Prisma, expiring offline tokens for the worker, App Store
// distribution, and two answers of authenticate.admin made clearer for the
// admin's fetches (authenticateAdmin). Routes import `authenticate` from here
// and nothing else.
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { shopifyApi } from "@shopify/shopify-api";
import { EncryptedPrismaSessionStorage } from "./security/encrypted-session-storage.server";
import prisma from "./db/db.server";
import { ADMIN_API_VERSION } from "./graphql/api-version";
import { markShopInstalled } from "./shops/shop-lifecycle.server";
import { logger } from "./logger.server";
import { assertStartConfig, config } from "./config.server";

// The web app and the worker both load this module first: a missing variable stops them here.
assertStartConfig();
const settings = config().shopify;
const customShopDomains = settings.customShopDomain ? [settings.customShopDomain] : undefined;

const shopify = shopifyApp({
  apiKey: settings.apiKey,
  apiSecretKey: settings.apiSecret || "",
  apiVersion: ADMIN_API_VERSION,
  scopes: settings.scopes,
  appUrl: settings.appUrl || "",
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
  apiKey: settings.apiKey || "unset",
  apiSecretKey: settings.apiSecret || "unset",
  apiVersion: ADMIN_API_VERSION,
  hostName: new URL(settings.appUrl || "http://localhost").host,
  isEmbeddedApp: true,
  ...(customShopDomains ? { customShopDomains } : {}),
  logger: { level: 0 },
});
export function webhookShopCheck(shop: string): string {
  return shopDomainRules.utils.sanitizeShop(shop, true)!;
}

/**
 * The library's answer to "get a new session token and send this request
 * again" (App Bridge does, once), as it sends it for an invalid token.
 */
const RETRY_WITH_NEW_SESSION_TOKEN = { "X-Shopify-Retry-Invalid-Session-Request": "1" };

const NO_SESSION_TOKEN =
  "This request has no Shopify session token, so nothing was changed. Open the app from your Shopify admin and try again.";

/** Our answer in place of the library's, keeping the CORS headers it added (admin extensions call cross-origin). */
function replaceAnswer(libraryAnswer: Response, status: number, body: string | null, headers: Record<string, string>): Response {
  const answer = new Response(body, { status, headers });
  libraryAnswer.headers.forEach((value, name) => {
    if (name.startsWith("access-control-")) answer.headers.set(name, value);
  });
  return answer;
}

/** The shop a session token was issued for (its `dest`), for log lines; the library has verified the token. */
function shopOfSessionToken(authorization: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(authorization.replace("Bearer ", "").split(".")[1], "base64url").toString("utf8"));
    return new URL(payload.dest).hostname;
  } catch {
    return undefined;
  }
}

/**
 * authenticate.admin with two of the library's answers changed, both for
 * requests made by the embedded admin's pages:
 * - An action (POST, PUT, PATCH, DELETE) without a session token gets 401.
 *   The library takes it for a page being opened and redirects it to log
 *   in, which Remix hands a page's fetch as "204 + X-Remix-Redirect": a save
 *   that did nothing and said nothing.
 * - A fetch with a valid session token whose shop has no usable offline
 *   session needs a token exchange with Shopify. When that fails for any
 *   reason but the token (Shopify unreachable, 5xx), the library answers 500;
 *   it gets 401 with the library's retry header instead, so App Bridge gets a
 *   new token and retries once, as it does for an invalid token. A page
 *   opened with the token in its URL keeps the library's 500: a retry there
 *   would be a reload, and a reload loop while Shopify is down helps nobody.
 */
const authenticateAdmin: typeof shopify.authenticate.admin = async (request) => {
  try {
    return await shopify.authenticate.admin(request);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    const authorization = request.headers.get("Authorization");
    const isAction = !["GET", "HEAD", "OPTIONS"].includes(request.method);
    if (!authorization && isAction && thrown.status >= 300 && thrown.status < 400) {
      throw replaceAnswer(thrown, 401, NO_SESSION_TOKEN, { "Content-Type": "text/plain; charset=utf-8" });
    }
    if (authorization && thrown.status === 500) {
      logger.warn(
        { shop: shopOfSessionToken(authorization), path: new URL(request.url).pathname },
        "Shopify session could not be renewed (token exchange with Shopify failed); answered 401 so App Bridge retries with a new session token",
      );
      throw replaceAnswer(thrown, 401, null, RETRY_WITH_NEW_SESSION_TOKEN);
    }
    throw thrown;
  }
};

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
/** Routes authenticate through this: the library's, with authenticateAdmin's answers for the admin. */
export const authenticate: typeof shopify.authenticate = { ...shopify.authenticate, admin: authenticateAdmin };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
