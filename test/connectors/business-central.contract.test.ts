// Contract tests: the Business Central connector's real HTTP requests are sent
// to Prism mocking Microsoft's published Business Central API (v1.0 OpenAPI,
// test/fixtures/business-central/). beforeAll starts Prism on a free loopback
// port with --errors, so any request that breaks the contract gets a 422.
//
// Prism validates requests; its answers are samples ("string", a fixed GUID),
// so the recording proxy below swaps in answers the scenario needs (empty
// look-ups, the items asked for) AFTER Prism has judged the request.
//
// The v1.0 contract has no `$batch` path (OData's batch endpoint is not in
// Microsoft's OpenAPI), so Prism cannot judge a batch as a whole. The proxy
// checks the envelope against OData's JSON batch format and sends each inner
// request to Prism on its own, so every look-up inside a batch is validated
// against the contract like a plain request (docs/connectors.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { businessCentralConnector } from "~/connectors/business-central";
import { ErpError } from "~/connectors/port";
import { exampleOrder, exampleRefund, giftCardLine, guestPosOrder, taxInclusiveOrder, tipLine } from "./support/canonical-order-example";
import { startPrism, type PrismServer } from "./support/prism";

const SPEC = "test/fixtures/business-central/business-central-v1.0.openapi.yaml";
const COMPANY_ID = "5d115c9c-44e3-ea11-bb43-000d3a2feca1";
const TOKEN_URL = "https://login.test.invalid/tenant/oauth2/v2.0/token";

interface Exchange {
  method: string;
  path: string;
  status: number;
  body?: unknown;
  validation?: { location: string[]; message: string }[];
  /** Sent inside a `$batch` request (recorded after it). */
  batched?: boolean;
}

/** OData JSON batch request format (OData JSON Format 4.01, "Batch Requests and Responses"), as BC takes it. */
const jsonBatchRequest = z.object({
  requests: z
    .array(
      z
        .object({
          id: z.string().min(1),
          method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]),
          // Relative to the service root (…/api/v2.0/), never absolute.
          url: z.string().regex(/^[^/][^:]*$/),
          headers: z.record(z.string(), z.string()).optional(),
          body: z.unknown().optional(),
          atomicityGroup: z.string().optional(),
          dependsOn: z.array(z.string()).optional(),
        })
        .strict(),
    )
    .min(1)
    .max(100),
});

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** What the scenario's Business Central says where Prism's samples would decide at random. */
const scenario: {
  pricesIncludeTax: boolean;
  held: { salesOrders: Record<string, unknown>[]; salesInvoices: Record<string, unknown>[] };
  items: { number: string; displayName: string; blocked: boolean }[];
} = {
  pricesIncludeTax: false,
  /** Documents BC holds, answered to look-ups by externalDocumentNumber (read-back tests). */
  held: { salesOrders: [], salesInvoices: [] },
  /** The item catalogue the item search filters (item numbers are Code fields: upper-case). */
  items: [
    { number: "1896-S", displayName: "ATHENS Desk", blocked: false },
    { number: "70000", displayName: "SIDE PANEL TEE", blocked: false },
    { number: "OLD-TEE-M", displayName: "Old tee / M", blocked: false },
    { number: "TEE-0042", displayName: "Classic Tee, organic", blocked: false },
    { number: "TEE-0099", displayName: "Tee (discontinued)", blocked: true },
  ],
};

/** Forwards to Prism, records its verdict, and adapts sample answers to the scenario. */
function contractProxy(prismUrl: string, exchanges: Exchange[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (url.href === TOKEN_URL) return jsonResponse({ access_token: "test-token", token_type: "Bearer", expires_in: 3599 });
    if (url.pathname === "/api/$batch") return batchThroughPrism(prismUrl, exchanges, url, init);
    return throughPrism(prismUrl, exchanges, url, init);
  };
}

/** A `$batch`: the envelope checked against OData's JSON batch format, each inner request sent to Prism alone. */
async function batchThroughPrism(prismUrl: string, exchanges: Exchange[], url: URL, init: RequestInit | undefined): Promise<Response> {
  const body = JSON.parse(String(init?.body));
  const envelope = jsonBatchRequest.safeParse(body);
  const headers = new Headers(init?.headers);
  const envelopeOk = envelope.success && init?.method === "POST" && /^application\/json/.test(headers.get("content-type") ?? "");
  exchanges.push({
    method: init?.method ?? "GET",
    path: "/$batch",
    status: envelopeOk ? 200 : 400,
    body,
    validation: envelope.success ? undefined : envelope.error.issues.map((i) => ({ location: ["body", ...i.path.map(String)], message: i.message })),
  });
  if (!envelopeOk) return jsonResponse({ error: { code: "BadRequest", message: "Not an OData JSON batch request" } }, 400);
  const responses = [];
  for (const inner of envelope.data.requests) {
    const innerHeaders = new Headers({ ...inner.headers, Authorization: headers.get("authorization") ?? "" });
    const res = await throughPrism(prismUrl, exchanges, new URL(`${url.origin}/api/${inner.url}`), { method: inner.method, headers: innerHeaders, body: inner.body === undefined ? undefined : JSON.stringify(inner.body) }, true);
    const text = await res.text();
    responses.push({ id: inner.id, status: res.status, headers: { "content-type": "application/json" }, ...(text ? { body: JSON.parse(text) } : {}) });
  }
  return jsonResponse({ responses });
}

async function throughPrism(prismUrl: string, exchanges: Exchange[], url: URL, init: RequestInit | undefined, batched = false): Promise<Response> {
  const target = prismUrl + url.pathname.replace(/^\/api/, "") + url.search;
  const res = await fetch(target, init);
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  const method = init?.method ?? "GET";
  const path = decodeURIComponent(url.pathname.replace(/^\/api/, "")) + decodeURIComponent(url.search);
  exchanges.push({
    method,
    path,
    status: res.status,
    body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    validation: parsed?.validation,
    ...(batched ? { batched } : {}),
  });
  if (res.status >= 400 && parsed?.type !== "https://stoplight.io/prism/errors#SCHEMA_TOO_COMPLEX") {
    return new Response(text, { status: res.status, headers: res.headers });
  }
  if (res.status === 204) return new Response(null, { status: 204 });
  // Scenario answers (the request already passed Prism's validation).
  const filter = url.searchParams.get("$filter") ?? "";
  if (method === "GET" && /externalDocumentNumber eq/.test(filter)) {
    const wanted = new Set([...filter.matchAll(/externalDocumentNumber eq '((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'")));
    const set = /\/salesInvoices$/.test(url.pathname) ? scenario.held.salesInvoices : scenario.held.salesOrders;
    return jsonResponse({ value: set.filter((d) => wanted.has(String(d.externalDocumentNumber))) });
  }
  if (method === "GET" && /\/items$/.test(url.pathname) && /inventory/.test(url.searchParams.get("$select") ?? "")) {
    // Stock: two pages, the first pointing to the second (server-driven paging).
    if (!url.searchParams.has("$skiptoken")) {
      const next = new URL(url.href);
      next.searchParams.set("$skiptoken", "2");
      return jsonResponse({ value: [{ number: "1896-S", type: "Inventory", inventory: 12 }, { number: "SERVICE-1", type: "Service", inventory: 0 }], "@odata.nextLink": next.href });
    }
    return jsonResponse({ value: [{ number: "1900-S", type: "Inventory", inventory: 2.5 }] });
  }
  if (method === "GET" && /\/items$/.test(url.pathname) && filter.includes("contains(")) {
    // As BC filters: each contains() is case-sensitive (AL's *text*), and `or` across two fields is refused.
    const terms = [...filter.matchAll(/contains\((number|displayName),'((?:[^']|'')*)'\)/g)].map((m) => ({ field: m[1] as "number" | "displayName", text: m[2].replace(/''/g, "'") }));
    if (new Set(terms.map((t) => t.field)).size > 1) return jsonResponse({ error: { code: "BadRequest", message: "The 'OR' operator is not supported on distinct fields on an OData filter." } }, 400);
    const found = scenario.items.filter((item) => terms.some((t) => item[t.field].includes(t.text)));
    return jsonResponse({ value: found.slice(0, Number(url.searchParams.get("$top") ?? found.length)) });
  }
  if (method === "GET" && /\/(items|accounts)$/.test(url.pathname)) {
    const numbers = [...filter.matchAll(/number eq '([^']*)'/g)].map((m) => m[1]);
    return jsonResponse({ value: numbers.map((n, i) => ({ id: `00000000-0000-4000-8000-00000000000${i}`, number: n })) });
  }
  if (method === "GET" && /\/companies\([^)]*\)$/.test(url.pathname)) return jsonResponse({ id: COMPANY_ID, name: "CRONUS USA, Inc.", displayName: "CRONUS USA, Inc." });
  // Sample status "string" stands for an order still open for changes; the
  // customer's prices exclude tax (BC's default) unless the scenario says otherwise.
  if (method === "GET" && /\/salesOrders\([^)]*\)$/.test(url.pathname)) return jsonResponse({ ...parsed, status: "Open", pricesIncludeTax: scenario.pricesIncludeTax });
  if (/\/(salesOrders|salesCreditMemos)(\([^)]*\))?$/.test(url.pathname) && parsed && typeof parsed === "object") {
    return jsonResponse({ ...parsed, pricesIncludeTax: scenario.pricesIncludeTax }, res.status);
  }
  return new Response(res.status === 204 ? null : text, { status: res.status, headers: res.headers });
}

const invalid = (exchanges: Exchange[]) => exchanges.filter((e) => e.status === 422 || e.status === 401 || e.status === 400);

describe("Business Central connector against the published API contract (Prism)", () => {
  let prism: PrismServer;
  let exchanges: Exchange[];

  const connectorFor = (apiVersion: "v1.0" | "v2.0", extra: Record<string, unknown> = {}) =>
    businessCentralConnector.create(
      businessCentralConnector.parseConfig({
        tenantId: "contoso.onmicrosoft.com",
        environment: "sandbox",
        companyId: COMPANY_ID,
        clientId: "11111111-2222-4333-8444-555555555555",
        clientSecret: "client-secret-value",
        apiVersion,
        apiBaseUrl: "http://127.0.0.1:9/api",
        tokenUrl: TOKEN_URL,
        shippingAccountNumber: "40100",
        localCurrencyCode: "EUR",
        ...extra,
      }),
      { fetch: contractProxy(prism.url, exchanges) },
    );

  beforeAll(async () => {
    prism = await startPrism(SPEC);
  });
  afterAll(async () => {
    await prism?.stop();
  });

  it("creates a sales order (v1.0: header, then each line) with requests that satisfy the contract", async () => {
    exchanges = [];
    const order = exampleOrder();
    const ref = await connectorFor("v1.0").createOrder(order, { idempotencyKey: "k" });

    expect(invalid(exchanges)).toEqual([]);
    const posts = exchanges.filter((e) => e.method === "POST");
    expect(posts[0].path).toBe(`/companies(${COMPANY_ID})/salesOrders`);
    expect(posts[0].body).toMatchObject({ externalDocumentNumber: order.externalId, currencyCode: "USD", email: order.customer!.email });
    const linePosts = posts.filter((p) => p.path.endsWith("/salesOrderLines"));
    // two items + shipping on the G/L account
    expect(linePosts.map((p) => (p.body as { lineType: string }).lineType)).toEqual(["Item", "Item", "Account"]);
    // money went out as exact JSON numbers
    expect((linePosts[0].body as { unitPrice: unknown }).unitPrice).toBe(19.99);
    expect(ref.documentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("looks orders up by externalDocumentNumber, in sales orders and then in posted invoices", async () => {
    exchanges = [];
    expect(await connectorFor("v1.0").findOrder("shopify-o'brien", { idempotencyKey: "k" })).toBeNull();
    expect(invalid(exchanges)).toEqual([]);
    expect(exchanges.map((e) => e.path)).toEqual([
      `/companies(${COMPANY_ID})/salesOrders?$filter=externalDocumentNumber eq 'shopify-o''brien'&$top=1`,
      `/companies(${COMPANY_ID})/salesInvoices?$filter=externalDocumentNumber eq 'shopify-o''brien'&$top=1`,
    ]);
  });

  it("updates (PATCH header, replace lines), cancels (DELETE) and refunds (credit memo) within the contract", async () => {
    exchanges = [];
    const connector = connectorFor("v1.0");
    const order = exampleOrder();
    const ref = { documentId: "497f6eca-6276-4993-bfeb-53cbbbba6f08" };
    await connector.updateOrder(ref, order, { idempotencyKey: "u" });
    await connector.recordRefund(ref, order, exampleRefund(order), { idempotencyKey: "r" });
    await connector.cancelOrder(ref, order, { idempotencyKey: "c" });

    expect(invalid(exchanges)).toEqual([]);
    const calls = exchanges.map((e) => `${e.method} ${e.path.replace(/\?.*$/, "").replace(COMPANY_ID, "C").replace(ref.documentId, "D")}`);
    expect(calls).toContain("PATCH /companies(C)/salesOrders(D)");
    expect(calls).toContain("POST /companies(C)/salesCreditMemos");
    expect(calls.some((c) => /^POST \/companies\(C\)\/salesCreditMemos\([^)]+\)\/salesCreditMemoLines$/.test(c))).toBe(true);
    expect(calls).toContain("DELETE /companies(C)/salesOrders(D)");
  });

  it("a credit memo with every kind of part, and an order with a tip, a gift card and duties, stay within the contract (v1.0: G/L lines by accountId)", async () => {
    exchanges = [];
    const accounts = { giftCardAccountNumber: "40200", tipAccountNumber: "40300", dutiesAccountNumber: "40400", adjustmentAccountNumber: "40500" };
    const connector = connectorFor("v1.0", accounts);
    const base = exampleOrder();
    const order = exampleOrder({ lines: [...base.lines, tipLine("5.00"), giftCardLine("25.00")], totals: { ...base.totals, duties: "3.00" } });
    const ref = await connector.createOrder(order, { idempotencyKey: "k" });
    const refund = exampleRefund(order, { shipping: "5.00", duties: "3.00", adjustment: "-0.07", exchangeCredit: "0.00", amount: "27.00" });
    await connector.recordRefund(ref, order, refund, { idempotencyKey: "r" });

    expect(invalid(exchanges)).toEqual([]);
    const linesPosted = (set: string) =>
      exchanges.filter((e) => e.method === "POST" && e.path.endsWith(set)).map((e) => e.body as { lineType: string; accountId?: string; itemId?: string; unitPrice?: number });
    expect(linesPosted("/salesOrderLines").map((l) => l.lineType)).toEqual(["Item", "Item", "Account", "Account", "Account", "Account"]);
    const memoLines = linesPosted("/salesCreditMemoLines");
    expect(memoLines.map((l) => `${l.lineType} ${l.unitPrice}`)).toEqual(["Item 19.99", "Account 5", "Account 3", "Account -0.07"]);
    expect(memoLines.filter((l) => l.lineType === "Account").every((l) => /^[0-9a-f-]{36}$/.test(l.accountId ?? ""))).toBe(true);
  });

  it("a guest point-of-sale order (no customer, no addresses, no shipping) stays within the contract, on the default customer", async () => {
    exchanges = [];
    await connectorFor("v1.0", { defaultCustomerNumber: "10000" }).createOrder(guestPosOrder(), { idempotencyKey: "k" });
    expect(invalid(exchanges)).toEqual([]);
    const header = exchanges.find((e) => e.method === "POST" && e.path.endsWith("/salesOrders"))!.body as Record<string, unknown>;
    expect(header.customerNumber).toBe("10000");
    expect(header).not.toHaveProperty("email");
    expect(header).not.toHaveProperty("shippingPostalAddress");
    // No customer look-up by e-mail: there is none.
    expect(exchanges.some((e) => e.path.includes("/customers"))).toBe(false);
  });

  it("v1.0: when the new header says the customer's prices include tax, the lines are posted with tax", async () => {
    exchanges = [];
    scenario.pricesIncludeTax = true;
    try {
      await connectorFor("v1.0").createOrder(taxInclusiveOrder(), { idempotencyKey: "k" });
    } finally {
      scenario.pricesIncludeTax = false;
    }
    expect(invalid(exchanges)).toEqual([]);
    const lines = exchanges.filter((e) => e.method === "POST" && e.path.endsWith("/salesOrderLines")).map((e) => (e.body as { unitPrice: number }).unitPrice);
    expect(lines).toEqual([24, 6]);
  });

  it("turns the contract's 422 (customer e-mail too long) into a permanent error naming the field", async () => {
    exchanges = [];
    const order = exampleOrder();
    order.customer = { ...order.customer!, email: `${"a".repeat(80)}@example.com` };
    const error = await connectorFor("v1.0", { defaultCustomerNumber: "10000" })
      .createOrder(order, { idempotencyKey: "k" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpError);
    const erp = error as ErpError;
    expect(erp.kind).toBe("permanent");
    expect(erp.httpStatus).toBe(422);
    expect(erp.userMessage).toMatch(/email .*80 characters/);
    expect(erp.responseSummary).not.toContain(order.customer!.email);
  });

  it("v2.0 bodies differ from the v1.0 contract only in the documented date format", async () => {
    exchanges = [];
    const order = exampleOrder();
    await connectorFor("v2.0").createOrder(order, { idempotencyKey: "k" }).catch(() => undefined);
    const post = exchanges.find((e) => e.method === "POST" && e.path.endsWith("/salesOrders"))!;
    // v2.0 sends orderDate as Edm.Date; the v1.0 contract wants date-time. Nothing else is refused.
    expect(post.validation?.map((v) => v.location.join("."))).toEqual(["body.orderDate"]);
    expect((post.body as { salesOrderLines: { lookupNumber: string }[] }).salesOrderLines.map((l) => l.lookupNumber)).toEqual([
      ...order.lines.map((l) => l.itemNumber),
      "40100",
    ]);
  });

  it("v2.0 combines a document's look-ups into one $batch, each request in it within the contract", async () => {
    exchanges = [];
    const order = exampleOrder();
    await connectorFor("v2.0").findOrder(order.externalId, { idempotencyKey: "f" });
    // Refused by the v1.0 contract on orderDate's v2.0 format (previous test): the look-ups before it are what is checked here.
    await connectorFor("v2.0").createOrder(order, { idempotencyKey: "k" }).catch(() => undefined);
    const ref = { documentId: "497f6eca-6276-4993-bfeb-53cbbbba6f08" };
    await connectorFor("v2.0").recordRefund(ref, order, exampleRefund(order), { idempotencyKey: "r" }).catch(() => undefined);

    const envelopes = exchanges.filter((e) => e.path === "/$batch");
    expect(envelopes.map((e) => e.status)).toEqual([200, 200, 200]);
    const inBatches = exchanges.filter((e) => e.batched);
    expect(invalid(inBatches)).toEqual([]);
    const shape = (e: Exchange) => `${e.method} ${e.path.replace(/\?.*$/, "").replace(COMPANY_ID, "C").replace(ref.documentId, "D")}`;
    expect(inBatches.map(shape)).toEqual([
      // findOrder: sales orders and posted invoices by externalDocumentNumber
      "GET /companies(C)/salesOrders",
      "GET /companies(C)/salesInvoices",
      // createOrder: the same duplicate check, the customer by e-mail, items, the shipping account
      "GET /companies(C)/salesOrders",
      "GET /companies(C)/salesInvoices",
      "GET /companies(C)/customers",
      "GET /companies(C)/items",
      "GET /companies(C)/accounts",
      // recordRefund: the credit memo by its number, the order's document (sales order or posted invoice), the item
      "GET /companies(C)/salesCreditMemos",
      "GET /companies(C)/salesOrders(D)",
      "GET /companies(C)/salesInvoices(D)",
      "GET /companies(C)/items",
    ]);
    // Nothing was looked up outside a batch.
    expect(exchanges.filter((e) => e.method === "GET" && !e.batched)).toEqual([]);
  });

  it("reads back by externalDocumentNumber in batched filters within the contract, counting a duplicate someone made in BC", async () => {
    const ids = Array.from({ length: 45 }, (_, i) => `shopify-${1000 + i}`);
    const order = (id: string, n: number, extra: Record<string, unknown> = {}) => ({ id: `00000000-0000-4000-8000-0000000000${n}`, number: `S-ORD${n}`, externalDocumentNumber: id, status: "Open", totalAmountIncludingTax: 42.5, ...extra });
    scenario.held = {
      salesOrders: [order(ids[0], 10), order(ids[1], 11), order(ids[1], 12), order(ids[2], 13), order("shopify-o'brien", 14)],
      // ids[2] is partly invoiced (same order, not a duplicate); ids[3] was invoiced in full.
      salesInvoices: [order(ids[2], 20, { orderNumber: "S-ORD13", status: "Paid" }), order(ids[3], 21, { status: "Paid" })],
    };
    try {
      for (const version of ["v1.0", "v2.0"] as const) {
        exchanges = [];
        const answer = await connectorFor(version).readBack!([...ids, "shopify-o'brien"], {});
        expect(invalid(exchanges)).toEqual([]);
        expect(answer.get(ids[0])!.map((d) => d.documentNumber)).toEqual(["S-ORD10"]);
        expect(answer.get(ids[1])!.map((d) => d.documentNumber)).toEqual(["S-ORD11", "S-ORD12"]);
        expect(answer.get(ids[2])!.map((d) => d.documentNumber)).toEqual(["S-ORD13"]);
        expect(answer.get(ids[3])).toEqual([expect.objectContaining({ documentNumber: "S-ORD21", status: "invoiced (Paid)", cancelled: false, total: "42.5" })]);
        expect(answer.get("shopify-o'brien")).toHaveLength(1);
        expect(answer.get(ids[4])).toEqual([]);
        // 46 ids: three filters of at most 20, on sales orders and posted invoices.
        const reads = exchanges.filter((e) => e.method === "GET");
        expect(reads).toHaveLength(6);
        if (version === "v2.0") expect(exchanges.filter((e) => e.path === "/$batch")).toHaveLength(1);
      }
    } finally {
      scenario.held = { salesOrders: [], salesInvoices: [] };
    }
  });

  it("reads a sales order back with its lines within the contract, classing the shipping account's line", async () => {
    exchanges = [];
    const doc = await connectorFor("v1.0").readOrder!({ externalId: "shopify-1", documentId: "497f6eca-6276-4993-bfeb-53cbbbba6f08" }, {});
    expect(invalid(exchanges)).toEqual([]);
    expect(exchanges.map((e) => `${e.method} ${e.path.replace(COMPANY_ID, "C")}`)).toEqual([
      "GET /companies(C)/salesOrders(497f6eca-6276-4993-bfeb-53cbbbba6f08)",
      "GET /companies(C)/salesOrders(497f6eca-6276-4993-bfeb-53cbbbba6f08)/salesOrderLines",
    ]);
    expect(doc).toMatchObject({ status: "Open", editable: true, cancelled: false });
    expect(Array.isArray(doc!.lines)).toBe(true);
  });

  it("tests the connection with the company read", async () => {
    exchanges = [];
    const result = await connectorFor("v1.0").testConnection();
    expect(invalid(exchanges)).toEqual([]);
    expect(result).toEqual({ ok: true, message: expect.stringContaining("CRONUS USA, Inc.") });
  });

  it("searches items by number and by name in two filters within the contract (v1.0), leaving blocked items out", async () => {
    exchanges = [];
    const found = await connectorFor("v1.0").searchItems!("tee", {});
    expect(invalid(exchanges)).toEqual([]);
    expect(exchanges.map((e) => e.path.replace(COMPANY_ID, "C"))).toEqual([
      "/companies(C)/items?$filter=contains(number,'TEE')&$top=20&$select=number,displayName,blocked",
      "/companies(C)/items?$filter=contains(displayName,'tee') or contains(displayName,'TEE') or contains(displayName,'Tee')&$top=20&$select=number,displayName,blocked",
    ]);
    // Numbers that start with the query, other number matches, then names (any case); TEE-0099 is blocked.
    expect(found).toEqual([
      { number: "TEE-0042", name: "Classic Tee, organic" },
      { number: "OLD-TEE-M", name: "Old tee / M" },
      { number: "70000", name: "SIDE PANEL TEE" },
    ]);
  });

  it("v2.0 sends the item search's two filters in one $batch, each within the contract; a quote in the query stays inside the literal", async () => {
    exchanges = [];
    expect(await connectorFor("v2.0").searchItems!("o'brien", {})).toEqual([]);
    expect(exchanges.filter((e) => e.path === "/$batch").map((e) => e.status)).toEqual([200]);
    const inner = exchanges.filter((e) => e.batched);
    expect(invalid(inner)).toEqual([]);
    expect(inner.map((e) => e.path.replace(COMPANY_ID, "C"))).toEqual([
      "/companies(C)/items?$filter=contains(number,'O''BRIEN')&$top=20&$select=number,displayName,blocked",
      "/companies(C)/items?$filter=contains(displayName,'o''brien') or contains(displayName,'O''BRIEN') or contains(displayName,'O''brien')&$top=20&$select=number,displayName,blocked",
    ]);
  });

  it("reads stock as the items' company-wide inventory, following the next page, within the contract", async () => {
    exchanges = [];
    const connector = connectorFor("v2.0");
    expect(await connector.listLocations!()).toEqual([{ id: "company", name: expect.stringMatching(/All Business Central locations/) }]);
    const read = await connector.readStock!({});
    expect(invalid(exchanges)).toEqual([]);
    expect(exchanges.map((e) => e.path.replace(COMPANY_ID, "C"))).toEqual([
      "/companies(C)/items?$select=number,type,inventory",
      "/companies(C)/items?$select=number,type,inventory&$skiptoken=2",
    ]);
    // Services have no stock; the fractional figure stays as sent (the planner makes it a problem item).
    expect(read).toEqual({
      complete: true,
      records: [
        { itemNumber: "1896-S", locationId: "company", quantity: 12 },
        { itemNumber: "1900-S", locationId: "company", quantity: 2.5 },
      ],
    });
  });
});
