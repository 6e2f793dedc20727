// The Tryton connector against a real Tryton 6.0 server. beforeAll starts a
// throwaway trytond (scripts/tryton/tryton-server.ts) on a free loopback port
// with a seeded SQLite database and stops it afterwards. Skips, saying why,
// when Tryton is not installed (run scripts/tryton/install.sh).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trytonConnector } from "~/connectors/tryton";
import type { TrytonConnector } from "~/connectors/tryton/connector";
import { ErpError, type ErpConnector } from "~/connectors/port";
import { addDecimals, multiplyDecimal, subtractDecimals, compareDecimals } from "~/lib/decimal";
import { SeedRpc, TRYTON_SEED, findTrytond, startTryton, type TrytonServer } from "../../scripts/tryton/tryton-server";
import { exampleOrder, exampleRefund } from "./support/canonical-order-example";
import type { CanonicalOrder } from "~/sync/canonical-order";

const installed = findTrytond() !== null;
if (!installed) {
  console.warn("Skipping Tryton connector tests: trytond is not installed. Run scripts/tryton/install.sh (needs apt-get) to enable them.");
}

const ctx = (key = "test") => ({ idempotencyKey: key });

/** What Tryton should total for a sale (no taxes configured in the seed). */
function expectedTrytonTotal(order: CanonicalOrder): string {
  const lines = order.lines.map((l) => subtractDecimals(multiplyDecimal(l.unitPrice, l.quantity), l.discount));
  const shipping = order.shippingLines.map((s) => subtractDecimals(s.price, s.discount));
  return addDecimals(...lines, ...shipping);
}

async function catchErpError(promise: Promise<unknown>): Promise<ErpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErpError) return error;
    throw error;
  }
  throw new Error("expected an ErpError, but the call succeeded");
}

describe.skipIf(!installed)("Tryton connector (real Tryton 6.0)", () => {
  let server: TrytonServer;
  let inspect: SeedRpc;
  let connector: ErpConnector;

  const configFor = (overrides: Record<string, unknown> = {}) =>
    trytonConnector.parseConfig({
      url: server.url,
      database: server.database,
      username: server.username,
      password: server.password,
      shippingProductCode: "SHIPPING",
      ...overrides,
    });

  const salesWithReference = async (reference: string) =>
    (await inspect.call("model.sale.sale.search_read", [[["reference", "=", reference]], 0, null, null, ["id", "state", "total_amount", "party", "lines"], { company: server.companyId }])) as {
      id: number;
      state: string;
      total_amount: { decimal: string } | string;
      party: number;
      lines: number[];
    }[];

  beforeAll(async () => {
    server = await startTryton();
    inspect = new SeedRpc(server.url, server.password);
    await inspect.login();
    connector = trytonConnector.create(configFor());
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("reports a successful connection with the company name", async () => {
    const result = await connector.testConnection();
    expect(result.ok).toBe(true);
    expect(result.message).toContain(TRYTON_SEED.companyName);
  });

  it("reports a wrong password in plain words instead of throwing", async () => {
    const wrong = trytonConnector.create(configFor({ password: "not-the-password" }));
    const result = await wrong.testConnection();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused the user name or password/);
    expect(result.message).not.toContain("not-the-password");
  });

  it("creates a quoted sale with the external id as reference, the right lines and total", async () => {
    const order = exampleOrder();
    const ref = await connector.createOrder(order, ctx());

    const sales = await salesWithReference(order.externalId);
    expect(sales).toHaveLength(1);
    expect(String(sales[0].id)).toBe(ref.documentId);
    expect(sales[0].state).toBe("quotation");
    // two product lines + one shipping line
    expect(sales[0].lines).toHaveLength(order.lines.length + order.shippingLines.length);
    expect(ref.status).toBe("quotation");
    expect(ref.documentNumber).toBeTruthy();
    expect(compareDecimals(ref.total!, expectedTrytonTotal(order))).toBe(0);
    expect(ref.url).toContain(`/model/sale.sale/${ref.documentId}`);

    // The sale's address is the customer's, with Tryton's country record for the ISO code.
    const [address] = (await inspect.call("model.party.address.search_read", [[["party", "=", sales[0].party]], 0, 1, null, ["city", "postal_code", "country"], {}])) as Record<string, unknown>[];
    const [country] = await inspect.call("model.country.country.search", [[["code", "=", order.billingAddress!.countryCode]], 0, 1, null, {}]);
    expect(address).toMatchObject({ city: order.billingAddress!.city, postal_code: order.billingAddress!.zip, country });
    expect(country).toBeGreaterThan(0);

    // The customer was created by e-mail, and is reused by the next order.
    const [mechanism] = (await inspect.call("model.party.contact_mechanism.search_read", [[["value", "=", order.customer!.email]], 0, null, null, ["party"], {}])) as { party: number }[];
    expect(mechanism.party).toBe(sales[0].party);
    const second = exampleOrder({ customer: order.customer });
    await connector.createOrder(second, ctx());
    expect((await salesWithReference(second.externalId))[0].party).toBe(sales[0].party);
  });

  it("finds an order by external id, and returns null for one it never got", async () => {
    const order = exampleOrder();
    const created = await connector.createOrder(order, ctx());
    expect(await connector.findOrder(order.externalId, ctx())).toMatchObject({ documentId: created.documentId });
    expect(await connector.findOrder("shopify-does-not-exist", ctx())).toBeNull();
  });

  it("makes exactly one sale when the same order is sent 8 times at once", async () => {
    const order = exampleOrder();
    // Separate connector instances too, as two workers in one process would have.
    const senders = Array.from({ length: 8 }, (_, i) => (i % 2 ? connector : trytonConnector.create(configFor())));
    const refs = await Promise.all(senders.map((c, i) => c.createOrder(order, ctx(`k${i}`))));
    expect(new Set(refs.map((r) => r.documentId)).size).toBe(1);
    expect(await salesWithReference(order.externalId)).toHaveLength(1);
  });

  it("creates orders of several new customers at once (Tryton's party numbering does not clash)", async () => {
    const orders = Array.from({ length: 6 }, () => exampleOrder());
    const refs = await Promise.all(orders.map((o) => connector.createOrder(o, ctx())));
    expect(new Set(refs.map((r) => r.documentId)).size).toBe(orders.length);
    for (const o of orders) expect(await salesWithReference(o.externalId)).toHaveLength(1);
  });

  it("recovers from an answer lost after Tryton created the sale: outcome unknown, then no duplicate", async () => {
    const order = exampleOrder();
    let dropped = false;
    // Lets the create reach Tryton, then loses the answer like a reset connection would.
    const lossyFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!dropped && typeof init?.body === "string" && init.body.includes('"model.sale.sale.create"')) {
        dropped = true;
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
      }
      return res;
    };
    const flaky = trytonConnector.create(configFor(), { fetch: lossyFetch });
    const error = await catchErpError(flaky.createOrder(order, ctx()));
    expect(error.kind).toBe("transient");
    expect(error.outcomeUnknown).toBe(true);

    const ref = await flaky.createOrder(order, ctx());
    const sales = await salesWithReference(order.externalId);
    expect(sales).toHaveLength(1);
    expect(String(sales[0].id)).toBe(ref.documentId);
    expect(ref.status).toBe("quotation");
  });

  it("rejects an unknown product as a permanent problem naming the line and item number, creating nothing", async () => {
    const base = exampleOrder();
    const order = exampleOrder({
      lines: [base.lines[0], { ...base.lines[1], sku: "NO-SUCH-SKU", itemNumber: "NO-SUCH-SKU", displayName: "Red scarf / L" }],
    });
    const error = await catchErpError(connector.createOrder(order, ctx()));
    expect(error.kind).toBe("permanent");
    expect(error.userMessage).toContain('"Red scarf / L"');
    expect(error.userMessage).toContain("NO-SUCH-SKU");
    expect(error.userMessage).toContain(order.name);
    expect(await salesWithReference(order.externalId)).toHaveLength(0);
  });

  it("passes Tryton's own refusal (UserError) on as a permanent error with Tryton's message", async () => {
    const base = exampleOrder();
    const order = exampleOrder({ lines: [{ ...base.lines[0], sku: "SPARE-PART", itemNumber: "SPARE-PART", displayName: "Spare part" }] });
    const error = await catchErpError(connector.createOrder(order, ctx()));
    expect(error.kind).toBe("permanent");
    expect(error.userMessage).toMatch(/^Tryton refused the request: .+/);
    expect(error.message).toMatch(/ValidationError|UserError/);
  });

  it("signs in again when Tryton forgets the session (HTTP 401) and carries on", async () => {
    let sabotaged = 0;
    // Replaces the session on one request, as an expired session would look to Tryton.
    const expiringFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      if (sabotaged === 0 && headers.has("Authorization") && String(init?.body).includes("search_read")) {
        sabotaged += 1;
        headers.set("Authorization", "Session " + Buffer.from("admin:1:expired-session").toString("base64"));
        return fetch(input, { ...init, headers });
      }
      return fetch(input, init);
    };
    const c = trytonConnector.create(configFor(), { fetch: expiringFetch });
    const order = exampleOrder();
    await c.createOrder(order, ctx());
    expect(sabotaged).toBe(1);
    expect(await c.findOrder(order.externalId, ctx())).not.toBeNull();
  });

  it("updates, cancels and records a refund as a return sale, each idempotently", async () => {
    const order = exampleOrder();
    const ref = await connector.createOrder(order, ctx());

    const changed: CanonicalOrder = { ...order, lines: [{ ...order.lines[0], quantity: 3 }, order.lines[1]] };
    const updated = await connector.updateOrder(ref, changed, ctx());
    expect(updated.documentId).toBe(ref.documentId);
    expect(compareDecimals(updated.total!, expectedTrytonTotal(changed))).toBe(0);
    expect(compareDecimals(updated.total!, ref.total!)).toBe(1);

    const refund = exampleRefund(order);
    const afterRefund = await connector.recordRefund(updated, order, refund, ctx());
    // The engine keeps what recordRefund answers as the order's document.
    expect(afterRefund.documentId).toBe(ref.documentId);
    await connector.recordRefund(updated, order, refund, ctx());
    const returnSales = await salesWithReference(`${order.externalId}/refund/${refund.refundId}`);
    expect(returnSales).toHaveLength(1);
    const refundRef = await (connector as TrytonConnector).findRefund(order, refund.refundId, ctx());
    expect(refundRef?.documentId).toBe(String(returnSales[0].id));
    expect(compareDecimals(refundRef!.total!, "-" + refund.amount)).toBe(0);

    const cancelled = await connector.cancelOrder(updated, order, ctx());
    expect(cancelled.status).toBe("cancelled");
    expect((await connector.cancelOrder(updated, order, ctx())).status).toBe("cancelled");
    const error = await catchErpError(connector.updateOrder(updated, changed, ctx()));
    expect(error.kind).toBe("permanent");
    expect(error.userMessage).toMatch(/already cancelled/);
  });

  it("measures create and look-up latency (figures in docs/connectors.md)", async () => {
    const creates: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < 15; i++) {
      const order = exampleOrder();
      let t = performance.now();
      await connector.createOrder(order, ctx());
      creates.push(performance.now() - t);
      t = performance.now();
      expect(await connector.findOrder(order.externalId, ctx())).not.toBeNull();
      lookups.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const max = (xs: number[]) => Math.max(...xs);
    console.log(
      `Tryton latency over ${creates.length} orders: createOrder (look-up + party + products + create + quote + read) median ${median(creates).toFixed(0)} ms, max ${max(creates).toFixed(0)} ms; findOrder median ${median(lookups).toFixed(0)} ms, max ${max(lookups).toFixed(0)} ms`,
    );
    expect(creates).toHaveLength(15);
  });
});
