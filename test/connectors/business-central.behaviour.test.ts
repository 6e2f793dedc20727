// How the Business Central connector behaves when BC or Microsoft sign-in
// misbehave: token caching, revoked tokens, throttling, timeouts after a
// commit, concurrent deliveries, refusals. Uses an in-memory fake of API v2.0
// injected as fetch (no network).
import { describe, expect, it } from "vitest";
import { businessCentralConnector } from "~/connectors/business-central";
import { ErpError } from "~/connectors/port";
import { exampleOrder } from "./support/canonical-order-example";
import { FAKE_API_BASE, FAKE_COMPANY_ID, FAKE_TOKEN_URL, FakeBusinessCentral } from "./support/fake-business-central";

const SECRET = "super-secret-client-value";
const ctx = { idempotencyKey: "k" };

function setup(extra: Record<string, unknown> = {}, now?: () => number) {
  const bc = new FakeBusinessCentral();
  const connector = businessCentralConnector.create(
    businessCentralConnector.parseConfig({
      tenantId: "contoso.onmicrosoft.com",
      companyId: FAKE_COMPANY_ID,
      clientId: "11111111-2222-4333-8444-555555555555",
      clientSecret: SECRET,
      apiBaseUrl: FAKE_API_BASE,
      tokenUrl: FAKE_TOKEN_URL,
      defaultCustomerNumber: "WEB",
      ...extra,
    }),
    { fetch: bc.fetch, now },
  );
  return { bc, connector };
}

async function erpError(p: Promise<unknown>): Promise<ErpError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!(e instanceof ErpError)) throw new Error(`expected ErpError, got ${String(e)}`);
  return e;
}

describe("Business Central connector behaviour", () => {
  it("creates one sales order with the external id, customer by e-mail, and reports BC's total", async () => {
    const { bc, connector } = setup();
    const order = exampleOrder({ customer: { ...exampleOrder().customer!, email: "known@example.com" } });
    const ref = await connector.createOrder(order, ctx);
    expect(bc.orders).toHaveLength(1);
    expect(bc.orders[0]).toMatchObject({ externalDocumentNumber: order.externalId, customerNumber: "C00010" });
    expect(ref).toMatchObject({ documentId: bc.orders[0].id, documentNumber: bc.orders[0].number, total: String(bc.orders[0].totalAmountIncludingTax) });
    // Sending it again (webhook delivered twice) finds it instead of duplicating.
    expect((await connector.createOrder(order, ctx)).documentId).toBe(ref.documentId);
    expect(bc.orders).toHaveLength(1);
  });

  it("falls back to the default customer number when no customer has the e-mail", async () => {
    const { bc, connector } = setup();
    await connector.createOrder(exampleOrder(), ctx);
    expect(bc.orders[0].customerNumber).toBe("WEB");
  });

  it("without a default customer, an unknown e-mail needs attention with advice", async () => {
    const { bc, connector } = setup({ defaultCustomerNumber: "" });
    const e = await erpError(connector.createOrder(exampleOrder(), ctx));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toMatch(/no Business Central customer has the order's e-mail.*default customer number/);
    expect(bc.orders).toHaveLength(0);
  });

  it("signs in once and reuses the token until it is about to expire", async () => {
    let clock = 1_000_000;
    const { bc, connector } = setup({}, () => clock);
    await connector.findOrder("shopify-1", ctx);
    await connector.findOrder("shopify-2", ctx);
    await connector.createOrder(exampleOrder(), ctx);
    expect(bc.tokenRequests).toBe(1);
    clock += 3_599_000 - 30_000; // inside the renewal margin
    await connector.findOrder("shopify-3", ctx);
    expect(bc.tokenRequests).toBe(2);
  });

  it("gets a new token and repeats the request once when BC rejects a revoked token", async () => {
    const { bc, connector } = setup();
    await connector.findOrder("shopify-1", ctx);
    bc.revokedTokens.add("tok-1");
    await connector.findOrder("shopify-2", ctx);
    expect(bc.tokenRequests).toBe(2);
    expect(bc.apiRequests.at(-1)!.authorization).toBe("Bearer tok-2");
  });

  it("a wrong client secret is a permanent problem explained without the secret", async () => {
    const { bc, connector } = setup();
    bc.rejectClientSecret = true;
    const e = await erpError(connector.createOrder(exampleOrder(), ctx));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toContain("Invalid client secret provided");
    expect(e.userMessage).toMatch(/Check the tenant id, client id and client secret/);
    expect(JSON.stringify(e)).not.toContain(SECRET);
    expect(e.userMessage).not.toContain("Trace ID");
    const test = await connector.testConnection();
    expect(test.ok).toBe(false);
  });

  it("throttling (429) is transient and honours Retry-After", async () => {
    const { bc, connector } = setup();
    bc.failNext("GET", { status: 429, headers: { "Retry-After": "7" } });
    const e = await erpError(connector.findOrder("shopify-1", ctx));
    expect(e).toMatchObject({ kind: "transient", retryAfterMs: 7000, outcomeUnknown: false, httpStatus: 429 });
  });

  it("a 500 on the create is transient with unknown outcome; a 503 is transient and known not applied", async () => {
    const { bc, connector } = setup();
    bc.failNext("POST", { status: 500 });
    expect(await erpError(connector.createOrder(exampleOrder(), ctx))).toMatchObject({ kind: "transient", outcomeUnknown: true });
    bc.failNext("POST", { status: 503 });
    expect(await erpError(connector.createOrder(exampleOrder(), ctx))).toMatchObject({ kind: "transient", outcomeUnknown: false });
  });

  it("a timeout after BC committed the order leaves the outcome unknown, and the retry does not duplicate it", async () => {
    const { bc, connector } = setup({ timeoutMs: 1000 });
    const order = exampleOrder();
    bc.failNext("POST", { hangAfterCommit: true });
    const e = await erpError(connector.createOrder(order, ctx));
    expect(e).toMatchObject({ kind: "transient", outcomeUnknown: true });
    expect(e.userMessage).toMatch(/did not answer within 1 second/);
    const ref = await connector.createOrder(order, ctx);
    expect(bc.orders).toHaveLength(1);
    expect(ref.documentId).toBe(bc.orders[0].id);
  });

  it("8 concurrent deliveries of one order make one sales order", async () => {
    const { bc, connector } = setup();
    bc.writeDelayMs = 20;
    const order = exampleOrder();
    const refs = await Promise.all(Array.from({ length: 8 }, () => connector.createOrder(order, ctx)));
    expect(new Set(refs.map((r) => r.documentId)).size).toBe(1);
    expect(bc.orders).toHaveLength(1);
  });

  it("an item BC does not know is a permanent problem naming the line, and nothing is created", async () => {
    const { bc, connector } = setup();
    bc.items.delete("MUG-WHITE");
    const e = await erpError(connector.createOrder(exampleOrder(), ctx));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toMatch(/Cannot sync order #1042: Business Central has no item for "White mug" \(item number MUG-WHITE\)/);
    expect(bc.orders).toHaveLength(0);
  });

  it("BC's own refusal is passed on to staff, without Microsoft's correlation id", async () => {
    const { bc, connector } = setup();
    bc.failNext("POST", {
      status: 400,
      body: { error: { code: "Internal_FieldValidationFailure", message: "Customer No. WEB is blocked for Ship. CorrelationId: 6c8f2b8e-1111-4222-8333-123456789abc." } },
    });
    const e = await erpError(connector.createOrder(exampleOrder(), ctx));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toBe("Business Central rejected the order: Customer No. WEB is blocked for Ship. Correct this (in Shopify or in Business Central), then retry.");
  });

  it("refuses a reference longer than BC's 35 characters before sending anything", async () => {
    const { bc, connector } = setup();
    const e = await erpError(connector.createOrder(exampleOrder({ externalId: "a-very-long-prefix-for-shopify-orders-450789469" }), ctx));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toMatch(/longer than the 35 characters/);
    expect(bc.apiRequests).toHaveLength(0);
  });
});
