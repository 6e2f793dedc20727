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
import { exampleOrder, exampleRefund, giftCardLine, guestPosOrder, tipLine } from "./support/canonical-order-example";
import type { CanonicalOrder } from "~/sync/order/canonical-order";
import { refundComponentsTotal } from "~/sync/order/refund-mapper";

const installed = findTrytond() !== null;
if (!installed) {
  console.warn("Skipping Tryton connector tests: trytond is not installed. Run scripts/tryton/install.sh (needs apt-get) to enable them.");
}

const ctx = (key = "test") => ({ idempotencyKey: key });

/**
 * What the sale must total: lines after discounts, shipping, duties, and the
 * tax when prices exclude it (on the tax product): what the customer pays.
 */
function expectedTrytonTotal(order: CanonicalOrder): string {
  const lines = order.lines.map((l) => subtractDecimals(multiplyDecimal(l.unitPrice, l.quantity), l.discount));
  const shipping = order.shippingLines.map((s) => subtractDecimals(s.price, s.discount));
  return addDecimals(...lines, ...shipping, order.totals.duties, order.taxesIncluded ? "0" : order.totals.tax);
}

/** Service products the settings name for parts that are not product lines. */
const BOOKING_PRODUCTS = {
  taxProductCode: "TAX",
  giftCardProductCode: "GIFTCARD",
  tipProductCode: "TIP",
  dutiesProductCode: "DUTIES",
  adjustmentProductCode: "REFUND-ADJ",
} as const;

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
  let defaultPartyCode: string;

  const configFor = (overrides: Record<string, unknown> = {}) =>
    trytonConnector.parseConfig({
      url: server.url,
      database: server.database,
      username: server.username,
      password: server.password,
      shippingProductCode: "SHIPPING",
      ...BOOKING_PRODUCTS,
      defaultPartyCode,
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

  /** The sale's lines as "code quantity × price" (prices without trailing zeros past the cents), comments as "comment: <text>". */
  const lineSummary = async (saleId: string | number) => {
    const lines = (await inspect.call("model.sale.line.search_read", [[["sale", "=", Number(saleId)]], 0, null, [["sequence", "ASC"], ["id", "ASC"]], ["type", "product", "quantity", "unit_price", "description"], { company: server.companyId }])) as {
      type: string;
      product: number | null;
      quantity: number | null;
      unit_price: { decimal: string } | string | null;
      description: string;
    }[];
    const products = (await inspect.call("model.product.product.read", [[...new Set(lines.map((l) => l.product).filter((p) => p !== null))], ["code"], {}])) as { id: number; code: string }[];
    const code = new Map(products.map((p) => [p.id, p.code]));
    const price = (p: { decimal: string } | string) => (typeof p === "string" ? p : p.decimal).replace(/(\.\d\d\d*?)0+$/, "$1");
    return lines.map((l) => (l.type === "comment" ? `comment: ${l.description}` : `${code.get(l.product!)} ${l.quantity} × ${price(l.unit_price!)}`));
  };

  beforeAll(async () => {
    server = await startTryton();
    inspect = new SeedRpc(server.url, server.password);
    await inspect.login();
    // The service products the settings name (the shared seed has SHIPPING only).
    const companyCtx = { company: server.companyId };
    const [unit] = await inspect.call("model.product.uom.search", [[["symbol", "=", "u"]], 0, 1, null, companyCtx]);
    for (const code of Object.values(BOOKING_PRODUCTS)) {
      await inspect.call("model.product.template.create", [
        [{ name: code, type: "service", default_uom: unit, sale_uom: unit, salable: true, list_price: "0", code, products: [["create", [{}]]] }],
        companyCtx,
      ]);
    }
    const [party] = await inspect.call<Array<{ code: string }>>("model.party.party.search_read", [[["name", "=", TRYTON_SEED.existingCustomer.name]], 0, 1, null, ["code"], {}]);
    defaultPartyCode = party.code;
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
    // Two product lines, shipping, and the tax the prices exclude on the tax product:
    // the sale totals what the customer paid, as Shopify says.
    expect(await lineSummary(ref.documentId)).toEqual(["TSHIRT-BLUE-M 2 × 17.99", "MUG-WHITE 1 × 8.50", "SHIPPING 1 × 5.00", "TAX 1 × 2.67"]);
    expect(ref.status).toBe("quotation");
    expect(ref.documentNumber).toBeTruthy();
    expect(compareDecimals(ref.total!, order.totals.total)).toBe(0);
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
    // The return sale adds up to the money returned: the shirt at its refunded value, and its tax on the tax product.
    expect(compareDecimals(refundRef!.total!, "-" + refund.amount)).toBe(0);
    expect(await lineSummary(refundRef!.documentId)).toEqual(["TSHIRT-BLUE-M -1 × 17.99", "TAX -1 × 1.08"]);

    const cancelled = await connector.cancelOrder(updated, order, ctx());
    expect(cancelled.status).toBe("cancelled");
    expect((await connector.cancelOrder(updated, order, ctx())).status).toBe("cancelled");
    const error = await catchErpError(connector.updateOrder(updated, changed, ctx()));
    expect(error.kind).toBe("permanent");
    expect(error.userMessage).toMatch(/already cancelled/);
  });

  it("a tax-inclusive order and its refund (shipping, duties, a negative adjustment) add up to Shopify's total and the money returned", async () => {
    const base = exampleOrder();
    // Prices include 20 % VAT: 3 shirts at 24.00 less 2.00 discount, shipping 6.00 (1.00 VAT), duties 4.00.
    const order = exampleOrder({
      taxesIncluded: true,
      lines: [{ ...base.lines[0], quantity: 3, orderedQuantity: 3, unitPrice: "24.00", discount: "2.00", taxLines: [{ title: "VAT", rate: "0.2", amount: "11.67" }] }],
      shippingLines: [{ ...base.shippingLines[0], price: "6.00", taxLines: [{ title: "VAT", rate: "0.2", amount: "1.00" }] }],
      taxLines: [{ title: "VAT", rate: "0.2", amount: "12.67" }],
      totals: { subtotal: "70.00", discounts: "2.00", shipping: "6.00", tax: "12.67", duties: "4.00", tips: "0.00", total: "80.00" },
    });
    const ref = await connector.createOrder(order, ctx());
    // 70.00 over 3 units has no exact unit price: 2 at 23.33 and 1 at 23.34. No tax line: it is inside the prices.
    expect(await lineSummary(ref.documentId)).toEqual([
      "TSHIRT-BLUE-M 2 × 23.33",
      "TSHIRT-BLUE-M 1 × 23.34",
      "SHIPPING 1 × 6.00",
      "DUTIES 1 × 4.00",
    ]);
    expect(compareDecimals(ref.total!, order.totals.total)).toBe(0);

    // One shirt back (23.33 incl. 3.89 VAT), shipping and duties refunded, 1.33 less returned than calculated.
    const refund = exampleRefund(order, {
      refundId: "700001",
      lines: [{ lineId: order.lines[0].lineId, sku: order.lines[0].sku, quantity: 1, amount: "23.33", tax: "3.89", restockType: "return" }],
      shipping: "6.00",
      tax: "4.89",
      duties: "4.00",
      adjustment: "-1.33",
      amount: "32.00",
    });
    expect(refundComponentsTotal(refund, true)).toBe("32.00"); // the engine's invariant holds for this refund
    await connector.recordRefund(ref, order, refund, ctx());
    const refundRef = await (connector as TrytonConnector).findRefund(order, refund.refundId, ctx());
    expect(compareDecimals(refundRef!.total!, "-32.00")).toBe(0);
    expect(await lineSummary(refundRef!.documentId)).toEqual([
      "TSHIRT-BLUE-M -1 × 23.33",
      "SHIPPING -1 × 6.00",
      "DUTIES -1 × 4.00",
      "REFUND-ADJ -1 × -1.33",
    ]);
  });

  it("books a tip, a gift card sold and duties on their products, and the sale totals Shopify's total", async () => {
    const base = exampleOrder();
    const order = exampleOrder({
      lines: [base.lines[1], tipLine("5.00"), giftCardLine("25.00")],
      taxLines: [{ title: "KY State Tax", rate: "0.06", amount: "0.51" }],
      totals: { subtotal: "38.50", discounts: "0.00", shipping: "5.00", tax: "0.51", duties: "3.50", tips: "5.00", total: "47.51" },
    });
    const ref = await connector.createOrder(order, ctx());
    expect(await lineSummary(ref.documentId)).toEqual([
      "MUG-WHITE 1 × 8.50",
      "TIP 1 × 5.00",
      "GIFTCARD 1 × 25.00",
      "SHIPPING 1 × 5.00",
      "DUTIES 1 × 3.50",
      "TAX 1 × 0.51",
    ]);
    expect(compareDecimals(ref.total!, order.totals.total)).toBe(0);
  });

  it("a guest point-of-sale order (no customer, no e-mail, no shipping) goes to the default party", async () => {
    const order = guestPosOrder();
    const ref = await connector.createOrder(order, ctx());
    const [sale] = await salesWithReference(order.externalId);
    const [defaultParty] = await inspect.call("model.party.party.search", [[["code", "=", defaultPartyCode]], 0, 1, null, {}]);
    expect(sale.party).toBe(defaultParty);
    expect(compareDecimals(ref.total!, "9.01")).toBe(0);

    // Without that setting, the order needs attention and says which setting to fill in.
    const noDefault = trytonConnector.create(configFor({ defaultPartyCode: "" }));
    const error = await catchErpError(noDefault.createOrder(guestPosOrder(), ctx()));
    expect(error.kind).toBe("permanent");
    expect(error.userMessage).toContain('Set "Customer for orders without e-mail" in Settings');
  });

  it("an order with a tip or duties but no product set for them needs attention naming each setting, and nothing is created", async () => {
    const base = exampleOrder();
    const order = exampleOrder({ lines: [base.lines[1], tipLine("2.00")], totals: { ...base.totals, duties: "1.50" } });
    const bare = trytonConnector.create(configFor({ tipProductCode: "", dutiesProductCode: "" }));
    const error = await catchErpError(bare.createOrder(order, ctx()));
    expect(error.kind).toBe("permanent");
    expect(error.userMessage).toBe(
      `Cannot sync order #1042: it has a tip of 2.00 USD, but "Tip product code" is not set; it has duties of 1.50 USD, but "Duties product code" is not set. Set "Tip product code" and "Duties product code" in Settings, then retry.`,
    );
    // A code that Tryton does not have is named with its setting too.
    const wrong = await catchErpError(trytonConnector.create(configFor({ tipProductCode: "NO-SUCH-TIP" })).createOrder(order, ctx()));
    expect(wrong.userMessage).toContain('"NO-SUCH-TIP", set as "Tip product code" in Settings, does not exist in Tryton');
    expect(await salesWithReference(order.externalId)).toHaveLength(0);
  });

  it("a return with exchange credits the returned shirt in full and notes the exchange; the return sale is money returned + exchange credit", async () => {
    const base = exampleOrder();
    const exchangeMug = { ...base.lines[1], lineId: "900000000000000004" };
    const order = exampleOrder({
      taxesIncluded: true,
      lines: [{ ...base.lines[0], quantity: 1, orderedQuantity: 1, discount: "0.00", taxLines: [] }, exchangeMug],
      shippingLines: [],
      taxLines: [],
      totals: { subtotal: "28.49", discounts: "0.00", shipping: "0.00", tax: "0.00", duties: "0.00", tips: "0.00", total: "28.49" },
    });
    const ref = await connector.createOrder(order, ctx());
    const refund = exampleRefund(order, {
      refundId: "700002",
      lines: [{ lineId: order.lines[0].lineId, sku: order.lines[0].sku, quantity: 1, amount: "19.99", tax: "0.00", restockType: "return" }],
      tax: "0.00",
      exchangeCredit: "8.50",
      amount: "11.49",
    });
    expect(refundComponentsTotal(refund, true)).toBe("19.99");
    await connector.recordRefund(ref, order, refund, ctx());
    const refundRef = await (connector as TrytonConnector).findRefund(order, refund.refundId, ctx());
    expect(compareDecimals(refundRef!.total!, "-19.99")).toBe(0);
    expect(await lineSummary(refundRef!.documentId)).toEqual([
      "TSHIRT-BLUE-M -1 × 19.99",
      "comment: Exchange: 8.50 USD of this credit paid for exchange items on the order; money returned 11.49 USD",
    ]);
  });

  /** A connector of its own (empty caches) whose JSON-RPC methods are counted. */
  const countedConnector = () => {
    const methods: string[] = [];
    const counted = trytonConnector.create(configFor(), {
      fetch: async (input, init) => {
        methods.push(String(JSON.parse(String(init?.body)).method).replace(/^model\./, ""));
        return fetch(input, init);
      },
    });
    return { counted, methods };
  };

  it("a returning customer's order is 4 RPCs (look-up by reference, create, quote, read): products, currency and party come from the caches", async () => {
    const { counted, methods } = countedConnector();
    const first = exampleOrder();
    await counted.createOrder(first, ctx());
    expect(methods).toContain("party.contact_mechanism.search_read");
    methods.length = 0;
    const again = exampleOrder({ customer: first.customer });
    const ref = await counted.createOrder(again, ctx());
    expect(methods).toEqual(["sale.sale.search_read", "sale.sale.create", "sale.sale.quote", "sale.sale.search_read"]);
    const [sale] = await salesWithReference(again.externalId);
    expect(sale.party).toBe((await salesWithReference(first.externalId))[0].party);
    expect(compareDecimals(ref.total!, expectedTrytonTotal(again))).toBe(0);
  });

  it("a product made unsalable in Tryton after it was cached: Tryton refuses the sale, the product is looked up again once, and Tryton's refusal reaches staff; the sale is not sent twice", async () => {
    const { counted, methods } = countedConnector();
    const companyCtx = { company: server.companyId };
    const [unit] = await inspect.call("model.product.uom.search", [[["symbol", "=", "u"]], 0, 1, null, companyCtx]);
    const code = `SEASONAL-${Date.now()}`;
    const [template] = await inspect.call("model.product.template.create", [
      [{ name: "Seasonal mug", type: "goods", default_uom: unit, sale_uom: unit, salable: true, list_price: "8.50", code, products: [["create", [{}]]] }],
      companyCtx,
    ]);
    const base = exampleOrder();
    const withSeasonal = () => exampleOrder({ lines: [{ ...base.lines[1], sku: code, itemNumber: code, displayName: "Seasonal mug" }] });
    await counted.createOrder(withSeasonal(), ctx());
    await inspect.call("model.product.template.write", [[template], { salable: false }, companyCtx]);

    methods.length = 0;
    const order = withSeasonal();
    const error = await catchErpError(counted.createOrder(order, ctx()));
    expect(error.kind).toBe("permanent");
    expect(error.userMessage).toMatch(/^Tryton refused the request/);
    // Refused once; the cached product, currency and party asked again; the same answers, so no second create.
    expect(methods.filter((m) => m === "sale.sale.create")).toHaveLength(1);
    expect(methods.slice(methods.indexOf("sale.sale.create") + 1)).toEqual(expect.arrayContaining(["product.product.search_read", "party.contact_mechanism.search_read"]));
    expect(await salesWithReference(order.externalId)).toEqual([]);
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
