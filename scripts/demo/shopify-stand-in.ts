// What Shopify itself would provide around the embedded app, on one loopback
// server:
//  - the Admin GraphQL API of the demo shop: the project's fake Admin API
//    (testkit/fake-admin-api.ts: queries validated against the real
//    2026-10 schema, costed, rate limited), plus the shop query the dashboard
//    makes, answered from the same schema;
//  - the admin's side of App Bridge: the App Bridge stand-in script
//    (test/support/browser/app-bridge-stub.js) and fresh session tokens for it,
//    JWTs signed with the app's secret exactly as Shopify's admin signs them;
//  - "open the app": a redirect to an embedded page with shop, host and a
//    fresh id_token, as the admin loads the app's iframe. A printed URL with a
//    token in it would expire after a minute; this one never does.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { execute, Kind, parse, type OperationDefinitionNode } from "graphql";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { adminSchema, FakeAdminApi, validateAdminOperation } from "../../testkit/fake-admin-api";

const STUB_FILE = path.resolve(__dirname, "../../test/support/browser/app-bridge-stub.js");
// Same lifetime as Shopify's session tokens: one minute.
const TOKEN_LIFETIME_S = 60;

export interface ShopifyStandInOptions {
  shop: string;
  shopName: string;
  currency: string;
  apiKey: string;
  apiSecret: string;
  apiVersion: string;
  /** The offline token seeded for the shop; the fake Admin API accepts only it. */
  accessToken: string;
}

export class ShopifyStandIn {
  readonly adminApi: FakeAdminApi;
  private server!: Server;
  url = "";
  /** Where the app runs; set once it is up (the redirect needs it). */
  appUrl = "";

  constructor(private readonly options: ShopifyStandInOptions) {
    this.adminApi = new FakeAdminApi({ shop: options.shop, accessToken: options.accessToken, apiVersion: options.apiVersion });
  }

  async start(host: string): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((error) => fail(res, error)));
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get appBridgeUrl(): string {
    return `${this.url}/__test__/app-bridge.js`;
  }

  /** A session token for the demo shop, as Shopify's admin hands App Bridge. */
  async sessionToken(): Promise<string> {
    const store = this.options.shop.replace(".myshopify.com", "");
    const now = Math.floor(Date.now() / 1000);
    const { token } = await getJwt(store, this.options.apiKey, this.options.apiSecret, {
      exp: now + TOKEN_LIFETIME_S,
      nbf: now - 5,
      iat: now - 5,
    });
    return token;
  }

  /** An embedded page URL of the app, as the admin would load it, with a fresh token. */
  async embeddedUrl(pathname: string): Promise<string> {
    const store = this.options.shop.replace(".myshopify.com", "");
    const url = new URL(pathname, this.appUrl);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", this.options.shop);
    url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${store}`).toString("base64url"));
    url.searchParams.set("id_token", await this.sessionToken());
    return url.href;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const cors = this.appUrl ? { "Access-Control-Allow-Origin": new URL(this.appUrl).origin } : {};

    if (req.method === "GET" && url.pathname === "/__test__/app-bridge.js") {
      res.writeHead(200, { "Content-Type": "application/javascript", "Cache-Control": "no-store" });
      return void res.end(readFileSync(STUB_FILE, "utf8"));
    }
    if (url.pathname === "/__test__/id-token") {
      // The stub fetches tokens from the page's origin (the app): cross-origin here.
      if (req.method === "OPTIONS") {
        res.writeHead(204, { ...cors, "Access-Control-Allow-Methods": "GET" });
        return void res.end();
      }
      res.writeHead(200, { ...cors, "Content-Type": "text/plain", "Cache-Control": "no-store" });
      return void res.end(await this.sessionToken());
    }
    if (req.method === "POST" && url.pathname.startsWith("/admin/api/")) {
      return this.adminGraphql(req, res, url);
    }
    if (req.method === "GET" && (url.pathname === "/" || url.pathname.startsWith("/app"))) {
      const target = url.pathname === "/" ? "/app" : url.pathname;
      res.writeHead(302, { Location: await this.embeddedUrl(target + url.search), "Cache-Control": "no-store" });
      return void res.end();
    }
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("Not found");
  }

  private async adminGraphql(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);

    const shopAnswer = this.shopQuery(body, headers);
    const answer =
      shopAnswer ??
      (await this.adminApi.fetch(`https://${this.options.shop}${url.pathname}${url.search}`, { method: "POST", headers, body }));
    res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json" });
    res.end(await answer.text());
  }

  /** The fake Admin API has no `shop` field; the dashboard's shop query is answered here. */
  private shopQuery(body: string, headers: Headers): Response | null {
    let request: { query?: string; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(body);
    } catch {
      return null;
    }
    if (typeof request.query !== "string") return null;
    let document;
    try {
      document = parse(request.query);
    } catch {
      return null;
    }
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const onlyShop = op?.operation === "query" && op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === "shop");
    if (!onlyShop) return null;
    if (headers.get("x-shopify-access-token") !== this.adminApi.accessToken) {
      return Response.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, { status: 401 });
    }
    const errors = validateAdminOperation(request.query);
    if (errors.length) return Response.json({ errors: errors.map((message) => ({ message })) });
    const shop = {
      name: this.options.shopName,
      myshopifyDomain: this.options.shop,
      currencyCode: this.options.currency,
      plan: { publicDisplayName: "Development", partnerDevelopment: true, shopifyPlus: false },
    };
    const result = execute({ schema: adminSchema(), document, rootValue: { shop }, variableValues: request.variables });
    return Response.json(result);
  }
}

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(500, { "Content-Type": "text/plain" });
  res.end(error instanceof Error ? error.message : "internal error");
}
