// The ERP item search route (/app/erp-items) with real session-token
// requests, each shop on a Tryton of its own (a small JSON-RPC stand-in on
// loopback that records what it is asked): a shop's search goes to its own
// ERP only, a request without a session reaches no ERP, a query shorter than
// two characters is not sent, and an ERP refusal comes back in words. The
// connectors' searches themselves are tested against a real trytond and
// Business Central's contract (test/connectors/).
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForApp } from "../support/app-modules";
import { overrideAppConfig } from "../support/app-env";
import type { TestDatabase } from "../../testkit/db";

const STORE = "item-search";
const SHOP = `${STORE}.myshopify.com`;
const OTHER_STORE = "item-search-other";
const OTHER = `${OTHER_STORE}.myshopify.com`;
const GENERIC = "item-search-generic.myshopify.com";

interface FakeTryton {
  url: string;
  /** The product searches it answered: the ilike patterns asked. */
  searches: string[];
  /** Set to make product searches fail as Tryton does (HTTP 200, a UserError). */
  refuse: string | null;
  close(): Promise<void>;
}

/** Just enough of Tryton's JSON-RPC for the item search: login, the user's company, product.product search_read. */
async function fakeTryton(products: { code: string; name: string }[]): Promise<FakeTryton> {
  const state = { searches: [] as string[], refuse: null as string | null };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      const reply = (payload: object) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ id, ...payload }));
      if (method === "common.db.login") return reply({ result: [1, "session-key"] });
      if (method === "model.res.user.get_preferences") return reply({ result: { company: 1 } });
      if (method === "model.product.product.search_read") {
        if (state.refuse) return reply({ error: ["UserError", [state.refuse, ""]] });
        const domain = params[0] as [unknown, ["OR", [string, string, string], [string, string, string]]];
        const pattern = domain[1][1][2];
        state.searches.push(pattern);
        const needle = pattern.replace(/^%|%$/g, "").toLowerCase();
        return reply({ result: products.filter((p) => p.code.toLowerCase().includes(needle) || p.name.toLowerCase().includes(needle)) });
      }
      reply({ error: ["NotImplemented", [method]] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    get searches() {
      return state.searches;
    },
    get refuse() {
      return state.refuse;
    },
    set refuse(value) {
      state.refuse = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Handler = (args: LoaderFunctionArgs) => Promise<unknown>;
let db: TestDatabase;
let route: { loader: Handler };
let mine: FakeTryton;
let theirs: FakeTryton;
let restoreConfig: () => void;

async function call(request: Request): Promise<Response> {
  try {
    const result = await route.loader({ request, params: {}, context: {} });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const search = (store: string, q: string) =>
  setUpValidRequest({ type: RequestType.Bearer, store, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY }, new Request(`${APP_URL}/app/erp-items?q=${encodeURIComponent(q)}`));

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  // The stand-in ERPs listen on loopback, which the URL guard lets through only when told to.
  restoreConfig = overrideAppConfig({ ALLOW_PRIVATE_ERP_URLS: "true" });
  route = (await import("../../app/routes/app.erp-items")) as unknown as typeof route;
  const { sessionStorage } = await import("../../app/shopify.server");
  const { encryptSecrets } = await import("../../app/security/crypto.server");
  mine = await fakeTryton([
    { code: "TEE-0042", name: "Classic tee, organic" },
    { code: "OLD-TEE-M", name: "Old tee / M" },
    { code: "MUG-WHITE", name: "White mug" },
  ]);
  theirs = await fakeTryton([{ code: "TEE-SECRET", name: "Another shop's tee" }]);
  for (const [shop, erp] of [
    [SHOP, mine],
    [OTHER, theirs],
  ] as const) {
    await sessionStorage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_orders", expires: new Date(Date.now() + 3600_000) }));
    await db.prisma.shopSettings.create({
      data: {
        shop,
        connectorType: "tryton",
        connectorConfig: JSON.stringify({ url: erp.url, database: "erpsync", username: "admin", shippingProductCode: "SHIPPING" }),
        connectorSecrets: encryptSecrets(shop, { password: "secret" }),
      },
    });
  }
  await db.prisma.shopSettings.create({ data: { shop: GENERIC, connectorType: "generic-http", connectorConfig: JSON.stringify({ baseUrl: "https://erp.example.com/api" }), connectorSecrets: encryptSecrets(GENERIC, { signingSecret: "whsec-0123456789abcdef" }) } });
});

afterAll(async () => {
  restoreConfig?.();
  await mine?.close();
  await theirs?.close();
  await db?.cleanup();
});

describe("ERP item search route", () => {
  it("answers the shop's own ERP items, number or name, numbers that start with the query first", async () => {
    const response = await call(await search(STORE, "tee"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      query: "tee",
      items: [
        { number: "TEE-0042", name: "Classic tee, organic" },
        { number: "OLD-TEE-M", name: "Old tee / M" },
      ],
      error: null,
    });
    expect(mine.searches).toEqual(["%tee%"]);
    expect(theirs.searches).toEqual([]);
  });

  it("refuses a request without a session, and no ERP is asked", async () => {
    const before = mine.searches.length + theirs.searches.length;
    const response = await call(new Request(`${APP_URL}/app/erp-items?q=tee`));
    expect(response.status).not.toBe(200);
    expect(mine.searches.length + theirs.searches.length).toBe(before);
  });

  it("does not ask the ERP for fewer than two characters", async () => {
    const before = mine.searches.length;
    expect(await (await call(await search(STORE, " t "))).json()).toEqual({ query: "t", items: [], error: null });
    expect(mine.searches.length).toBe(before);
  });

  it("an ERP refusal comes back in words, with no items", async () => {
    mine.refuse = "You are not allowed to read the model Variant.";
    try {
      expect(await (await call(await search(STORE, "mug"))).json()).toEqual({
        query: "mug",
        items: [],
        error: "Could not search your ERP: Tryton refused the request: You are not allowed to read the model Variant.",
      });
    } finally {
      mine.refuse = null;
    }
  });

  it("the field offers a search only where the connector can list items", async () => {
    const { canSearchErpItems, searchErpItems } = await import("../../app/models/erp-items.server");
    expect(await canSearchErpItems(db.prisma, SHOP)).toBe(true);
    expect(await canSearchErpItems(db.prisma, GENERIC)).toBe(false);
    expect(await canSearchErpItems(db.prisma, "no-settings.myshopify.com")).toBe(false);
    expect(await searchErpItems(db.prisma, GENERIC, "tee")).toMatchObject({ items: [], error: expect.stringMatching(/cannot list items/) });
  });
});
