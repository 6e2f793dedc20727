// The Generic HTTPS JSON connector against a real HTTP receiver started in
// beforeAll on a loopback port (testkit/receiving-server.ts):
// it verifies the signature, stores orders, and fails on request.
import { createServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { genericHttpConnector } from "~/connectors/generic-http";
import { ConnectorConfigError, ErpError } from "~/connectors/port";
import { exampleOrder, exampleRefund, guestPosOrder, taxInclusiveOrder } from "./support/canonical-order-example";
import { ReceivingServer } from "../../testkit/receiving-server";

const SECRET = "whsec-0123456789abcdef";

async function erpError(p: Promise<unknown>): Promise<ErpError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!(e instanceof ErpError)) throw new Error(`expected ErpError, got ${String(e)}`);
  return e;
}

describe("Generic HTTPS JSON connector", () => {
  const server = new ReceivingServer(SECRET);
  const connectorWith = (extra: Record<string, unknown> = {}) =>
    genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: server.url, signingSecret: SECRET, ...extra }));

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  afterEach(() => {
    server.expectedAuthorization = null;
  });

  it("sends the signed canonical order with idempotency and schema headers, and returns the receiver's document", async () => {
    const order = exampleOrder();
    const ref = await connectorWith().createOrder(order, { idempotencyKey: `${order.externalId}:create:1` });

    const stored = server.orders.get(order.externalId)!;
    expect(ref).toEqual({ documentId: stored.documentId, documentNumber: stored.documentNumber, total: order.totals.total, status: "open", url: expect.stringContaining(stored.documentId) });
    const req = server.requests.at(-1)!;
    expect(req.headers["idempotency-key"]).toBe(`${order.externalId}:create:1`);
    expect(req.headers["x-erp-sync-schema-version"]).toBe("2");
    expect(JSON.parse(req.body)).toMatchObject({ schemaVersion: "2", operation: "create", order: { externalId: order.externalId } });
  });

  it("is refused by the receiver when signed with another secret, as a permanent problem", async () => {
    const order = exampleOrder();
    const wrong = genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: server.url, signingSecret: "a-different-secret-value" }));
    const e = await erpError(wrong.createOrder(order, { idempotencyKey: "k" }));
    expect(e).toMatchObject({ kind: "permanent", httpStatus: 401 });
    expect(e.userMessage).toMatch(/refused our sign-in.*Signature does not match.*Check the connection settings/);
    expect(server.orders.has(order.externalId)).toBe(false);
  });

  it("finds orders by external id through the look-up path (404 = none)", async () => {
    const c = connectorWith();
    const order = exampleOrder();
    expect(await c.findOrder(order.externalId, { idempotencyKey: "k" })).toBeNull();
    const ref = await c.createOrder(order, { idempotencyKey: "k" });
    expect(await c.findOrder(order.externalId, { idempotencyKey: "k" })).toMatchObject({ documentId: ref.documentId });
  });

  it("a 500 is transient with unknown outcome; a 429 is transient and honours Retry-After", async () => {
    const c = connectorWith();
    server.failNext({ kind: "status", status: 500, body: { message: "database down" } });
    expect(await erpError(c.createOrder(exampleOrder(), { idempotencyKey: "k" }))).toMatchObject({ kind: "transient", outcomeUnknown: true, httpStatus: 500 });
    server.failNext({ kind: "status", status: 429, headers: { "Retry-After": "3" } });
    expect(await erpError(c.createOrder(exampleOrder(), { idempotencyKey: "k" }))).toMatchObject({ kind: "transient", retryAfterMs: 3000, outcomeUnknown: false });
  });

  it("a timeout after the receiver committed is transient with unknown outcome; the look-up then finds the order", async () => {
    const c = connectorWith({ timeoutMs: 1000 });
    const order = exampleOrder();
    server.failNext({ kind: "timeout-after-commit" });
    const started = Date.now();
    const e = await erpError(c.createOrder(order, { idempotencyKey: "k" }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e).toMatchObject({ kind: "transient", outcomeUnknown: true });
    // What the engine does next: look up before creating again.
    const found = await c.findOrder(order.externalId, { idempotencyKey: "k" });
    expect(found?.documentId).toBe(server.orders.get(order.externalId)!.documentId);
  });

  it("passes the receiver's field-level validation message on to staff", async () => {
    server.failNext({ kind: "status", status: 422, body: { message: "Order rejected", errors: [{ field: "order.customer.email", message: "is not a valid address" }] } });
    const e = await erpError(connectorWith().createOrder(exampleOrder(), { idempotencyKey: "k" }));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toBe(
      "Your order service rejected the order: Order rejected (order.customer.email: is not a valid address). Correct this (in Shopify or in your order service), then retry.",
    );
  });

  it("a receiver that is down is transient and known not to have received anything", async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const down = genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET }));
    expect(await erpError(down.createOrder(exampleOrder(), { idempotencyKey: "k" }))).toMatchObject({ kind: "transient", outcomeUnknown: false });
    const test = await down.testConnection();
    expect(test.ok).toBe(false);
    expect(test.message).toMatch(/Could not reach/);
  });

  it("sends update, cancel and refund to their paths with the ids filled in", async () => {
    const c = connectorWith();
    const order = exampleOrder();
    const ref = await c.createOrder(order, { idempotencyKey: "k" });
    const updated = await c.updateOrder(ref, { ...order, totals: { ...order.totals, total: "60.00" } }, { idempotencyKey: "u" });
    expect(updated.total).toBe("60.00");
    const refund = exampleRefund(order);
    await c.recordRefund(ref, order, refund, { idempotencyKey: "r" });
    const cancelled = await c.cancelOrder(ref, order, { idempotencyKey: "c" });
    expect(cancelled.status).toBe("cancelled");
    const paths = server.requests.slice(-3).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([`PUT /orders/${order.externalId}`, `POST /orders/${order.externalId}/refunds`, `POST /orders/${order.externalId}/cancel`]);
    expect(server.orders.get(order.externalId)!.refunds).toEqual([refund]);
  });

  it("sends a guest POS order with no customer, addresses or shipping, and a tax-inclusive refund exactly as the canonical model has them", async () => {
    const c = connectorWith();
    const pos = guestPosOrder();
    await c.createOrder(pos, { idempotencyKey: "k" });
    expect(JSON.parse(server.requests.at(-1)!.body).order).toMatchObject({ customer: null, billingAddress: null, shippingAddress: null, shippingLines: [] });

    const order = taxInclusiveOrder();
    const ref = await c.createOrder(order, { idempotencyKey: "k" });
    const refund = exampleRefund(order, {
      lines: [{ lineId: order.lines[0].lineId, sku: order.lines[0].sku, quantity: 1, amount: "24.00", tax: "4.00", restockType: "return" }],
      shipping: "6.00",
      tax: "5.00",
      adjustment: "-1.00",
      amount: "29.00",
    });
    await c.recordRefund(ref, order, refund, { idempotencyKey: "r" });
    // The receiver gets every part of the refund, tax inside the amounts (taxesIncluded), as the schema describes.
    expect(server.orders.get(order.externalId)!.refunds).toEqual([refund]);
    expect(JSON.parse(server.requests.at(-1)!.body).order.taxesIncluded).toBe(true);
  });

  it("authenticates with bearer, basic or a custom header as configured", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ authType: "bearer", bearerToken: "tok-123" }, "Bearer tok-123"],
      [{ authType: "basic", basicUsername: "shop", basicPassword: "pw" }, `Basic ${Buffer.from("shop:pw").toString("base64")}`],
    ];
    for (const [auth, header] of cases) {
      server.expectedAuthorization = header;
      expect((await connectorWith(auth).testConnection()).ok).toBe(true);
      expect((await connectorWith().testConnection()).ok).toBe(false);
    }
    server.expectedAuthorization = null;
    await connectorWith({ authType: "header", headerName: "X-Api-Key", headerValue: "key-9" }).testConnection();
    expect(server.requests.at(-1)!.headers["x-api-key"]).toBe("key-9");
  });

  it("explains invalid settings field by field", () => {
    const fieldErrors = (raw: Record<string, unknown>) => {
      try {
        genericHttpConnector.parseConfig(raw);
      } catch (e) {
        if (e instanceof ConnectorConfigError) return e.fieldErrors;
      }
      return {};
    };
    expect(Object.keys(fieldErrors({}))).toEqual(expect.arrayContaining(["baseUrl", "signingSecret"]));
    expect(fieldErrors({ baseUrl: "http://erp.example.com", signingSecret: SECRET }).baseUrl).toMatch(/https:\/\//);
    expect(fieldErrors({ baseUrl: "https://erp.example.com", signingSecret: "short" }).signingSecret).toMatch(/16 characters/);
    expect(fieldErrors({ baseUrl: "https://erp.example.com", signingSecret: SECRET, authType: "bearer" }).bearerToken).toMatch(/token/);
    expect(fieldErrors({ baseUrl: "https://erp.example.com", signingSecret: SECRET, lookupPath: "/orders" }).lookupPath).toMatch(/\{externalId\}/);
    // Form fields arrive as strings, blanks meaning "default".
    const config = genericHttpConnector.parseConfig({ baseUrl: "https://erp.example.com", signingSecret: SECRET, timeoutMs: "5000", createPath: " " });
    expect(config).toMatchObject({ timeoutMs: 5000, createPath: "/orders" });
  });

  it("keeps secrets out of errors even when the receiver echoes them back", async () => {
    server.failNext({ kind: "status", status: 400, body: { message: "bad request", echo: { authorization: "Bearer tok-123", token: "tok-123" } } });
    const e = await erpError(connectorWith({ authType: "bearer", bearerToken: "tok-123" }).createOrder(exampleOrder(), { idempotencyKey: "k" }));
    expect(JSON.stringify({ ...e, summary: e.responseSummary, msg: e.userMessage })).not.toContain("tok-123");
  });
});
