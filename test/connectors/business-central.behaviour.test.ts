// How the Business Central connector behaves when BC or Microsoft sign-in
// misbehave: token caching, revoked tokens, throttling, timeouts after a
// commit, concurrent deliveries, refusals. Uses an in-memory fake of API v2.0
// injected as fetch (no network).
import { describe, expect, it } from "vitest";
import { businessCentralConnector } from "~/connectors/business-central";
import { ClientCredentialsTokenProvider } from "~/connectors/business-central/token-provider";
import { ErpError } from "~/connectors/port";
import { exampleOrder, exampleRefund, giftCardLine, guestPosOrder, taxInclusiveOrder, tipLine } from "./support/canonical-order-example";
import { refundComponentsTotal } from "~/sync/order/refund-mapper";
import { FAKE_API_BASE, FAKE_COMPANY_ID, FAKE_TOKEN_URL, FakeBusinessCentral, type FakeLine } from "./support/fake-business-central";

const SECRET = "super-secret-client-value";
/** The G/L accounts the settings name (the fake has them). */
const ACCOUNTS = {
  shippingAccountNumber: "40100",
  giftCardAccountNumber: "40200",
  tipAccountNumber: "40300",
  dutiesAccountNumber: "40400",
  adjustmentAccountNumber: "40500",
} as const;
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
      ...ACCOUNTS,
      ...extra,
    }),
    { fetch: bc.fetch, now },
  );
  return { bc, connector };
}

/** The writes the connector sent (not the `$batch` look-ups). */
function writesTo(bc: FakeBusinessCentral) {
  return bc.apiRequests.filter((r) => r.method !== "GET" && !r.batched && !r.path.endsWith("/$batch"));
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
    expect(e.userMessage).toMatch(/no Business Central customer has the order's e-mail.*set "Default customer number" in Settings/);
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

  it("one caller giving up while signing in does not fail the others waiting for the same token", async () => {
    let answer!: () => void;
    let tokenRequests = 0;
    const slowSignIn = ((_url: string, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        tokenRequests++;
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
        answer = () => resolve(Response.json({ access_token: "tok-shared", expires_in: 3600 }));
      })) as typeof fetch;
    const tokens = new ClientCredentialsTokenProvider(
      { tokenUrl: FAKE_TOKEN_URL, clientId: "client", clientSecret: SECRET, scope: "https://api.businesscentral.dynamics.com/.default", timeoutMs: 5_000 },
      slowSignIn,
    );
    const impatient = new AbortController();
    const first = tokens.token(impatient.signal);
    const second = tokens.token();
    const third = tokens.token(new AbortController().signal);
    impatient.abort(new Error("this delivery's deadline passed"));
    await expect(first).rejects.toBeInstanceOf(ErpError);
    answer();
    expect(await second).toBe("tok-shared");
    expect(await third).toBe("tok-shared");
    expect(tokenRequests).toBe(1);
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

  it("an item search BC fails is a classified ErpError, sent once (connectors never retry)", async () => {
    const { bc, connector } = setup();
    bc.failNext("GET", { status: 503 });
    const e = await erpError(connector.searchItems!("tee", {}));
    expect(e).toMatchObject({ kind: "transient", httpStatus: 503, outcomeUnknown: false });
    expect(bc.apiRequests.filter((r) => r.path.endsWith("/$batch"))).toHaveLength(1);
    bc.failNext("GET", { status: 403, body: { error: { code: "Authorization_RequestDenied", message: "You do not have permission to read the Item table." } } });
    expect(await erpError(connector.searchItems!("tee", {}))).toMatchObject({ kind: "permanent", userMessage: expect.stringContaining("You do not have permission to read the Item table") });
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

describe("Business Central documents add up (BC computes the tax; prices follow the customer's 'Prices Including VAT')", () => {
  /** What the connector sent as a document's lines (deep insert or the replacement lines). */
  const lineOf = (l: FakeLine) =>
    `${l.lineType} ${l.lookupNumber ?? ""} ${l.quantity ?? ""} × ${l.unitPrice ?? ""}${l.discountAmount ? ` − ${l.discountAmount}` : ""}`.replace(/ +/g, " ").trim();
  const memoOf = (bc: FakeBusinessCentral) => bc.creditMemos.at(-1)!;

  it("a tax-exclusive refund: net lines at the order's price and discount, BC adds its tax, and the memo totals the money returned", async () => {
    const { bc, connector } = setup();
    bc.taxRates.set("TSHIRT-BLUE-M", 0.06).set("MUG-WHITE", 0.06);
    const order = exampleOrder();
    const ref = await connector.createOrder(order, ctx);
    expect(ref.total).toBe(order.totals.total); // 52.15: BC's 6 % on the net lines equals Shopify's tax

    const refund = exampleRefund(order); // one shirt: 17.99 + 1.08 tax = 19.07 returned
    await connector.recordRefund(ref, order, refund, ctx);
    const memo = memoOf(bc);
    expect(memo).toMatchObject({ externalDocumentNumber: `${order.externalId}-R${refund.refundId}`, customerNumber: "WEB" });
    expect(memo.lines.map(lineOf)).toEqual(["Item TSHIRT-BLUE-M 1 × 19.99 − 2"]);
    expect(memo.totalAmountIncludingTax).toBe(19.07);
    // Recorded once: a second delivery finds the memo.
    await connector.recordRefund(ref, order, refund, ctx);
    expect(bc.creditMemos).toHaveLength(1);
  });

  it("a tax-inclusive order and refund for a customer whose BC prices exclude VAT: Shopify's VAT is taken out, BC adds it back", async () => {
    const { bc, connector } = setup();
    bc.taxRates.set("TSHIRT-BLUE-M", 0.2).set("40100", 0.2);
    const order = taxInclusiveOrder();
    const ref = await connector.createOrder(order, ctx);
    expect(bc.orders[0].pricesIncludeTax).toBe(false);
    expect(bc.orders[0].lines.map(lineOf)).toEqual(["Item TSHIRT-BLUE-M 2 × 20", "Account 40100 1 × 5"]);
    expect(ref.total).toBe("54");

    // One shirt (24.00 incl. 4.00 VAT) and the shipping (6.00 incl. 1.00 VAT) back: 30.00 returned.
    const refund = exampleRefund(order, {
      lines: [{ lineId: order.lines[0].lineId, sku: order.lines[0].sku, quantity: 1, amount: "24.00", tax: "4.00", restockType: "return" }],
      shipping: "6.00",
      tax: "5.00",
      amount: "30.00",
    });
    expect(refundComponentsTotal(refund, true)).toBe("30.00");
    await connector.recordRefund(ref, order, refund, ctx);
    expect(memoOf(bc).lines.map(lineOf)).toEqual(["Item TSHIRT-BLUE-M 1 × 20", "Account 40100 1 × 5"]);
    expect(memoOf(bc).totalAmountIncludingTax).toBe(30);
  });

  it("the same for a customer whose BC prices include VAT: lines are rewritten with VAT once BC says so, and the memo is sent with VAT", async () => {
    const { bc, connector } = setup();
    bc.taxRates.set("TSHIRT-BLUE-M", 0.2).set("40100", 0.2);
    bc.customersWithPricesIncludingTax.add("WEB");
    const order = taxInclusiveOrder();
    const ref = await connector.createOrder(order, ctx);
    expect(bc.orders[0].pricesIncludeTax).toBe(true);
    expect(bc.orders[0].lines.map(lineOf)).toEqual(["Item TSHIRT-BLUE-M 2 × 24", "Account 40100 1 × 6"]);
    expect(ref.total).toBe("54");

    const refund = exampleRefund(order, {
      lines: [{ lineId: order.lines[0].lineId, sku: order.lines[0].sku, quantity: 1, amount: "24.00", tax: "4.00", restockType: "return" }],
      shipping: "6.00",
      tax: "5.00",
      amount: "30.00",
    });
    const writesBefore = writesTo(bc).length;
    await connector.recordRefund(ref, order, refund, ctx);
    // The order told the connector the customer's convention: one POST, no rewrite.
    expect(writesTo(bc).length - writesBefore).toBe(1);
    expect(memoOf(bc).lines.map(lineOf)).toEqual(["Item TSHIRT-BLUE-M 1 × 24", "Account 40100 1 × 6"]);
    expect(memoOf(bc).totalAmountIncludingTax).toBe(30);
  });

  it("a refund of shipping, duties and a positive or negative adjustment: a line each on its G/L account, adding up to the money returned", async () => {
    const { bc, connector } = setup();
    bc.taxRates.set("TSHIRT-BLUE-M", 0.06).set("MUG-WHITE", 0.06);
    const order = exampleOrder({ totals: { ...exampleOrder().totals, duties: "3.00", total: "55.15" } });
    const ref = await connector.createOrder(order, ctx);
    expect(bc.orders[0].lines.map(lineOf)).toContain("Account 40400 1 × 3"); // duties on the order
    expect(ref.total).toBe("55.15");

    const more = exampleRefund(order, { refundId: "1", lines: [], shipping: "5.00", tax: "0.00", duties: "3.00", adjustment: "2.00", amount: "10.00" });
    await connector.recordRefund(ref, order, more, ctx);
    expect(memoOf(bc).lines.map(lineOf)).toEqual(["Account 40100 1 × 5", "Account 40400 1 × 3", "Account 40500 1 × 2"]);
    expect(memoOf(bc).totalAmountIncludingTax).toBe(10);

    const less = exampleRefund(order, { refundId: "2", adjustment: "-1.50", amount: "17.57" }); // a shirt, 1.50 short
    expect(refundComponentsTotal(less, false)).toBe("17.57");
    await connector.recordRefund(ref, order, less, ctx);
    expect(memoOf(bc).lines.map(lineOf)).toEqual(["Item TSHIRT-BLUE-M 1 × 19.99 − 2", "Account 40500 1 × -1.5"]);
    expect(memoOf(bc).totalAmountIncludingTax).toBe(17.57); // 17.99 + BC's 1.08 tax − 1.50
  });

  it("books a tip and a gift card sold on their G/L accounts, never as items", async () => {
    const { bc, connector } = setup();
    const base = exampleOrder();
    const order = exampleOrder({ lines: [base.lines[1], tipLine("5.00"), giftCardLine("25.00")] });
    await connector.createOrder(order, ctx);
    expect(bc.orders[0].lines.map(lineOf)).toEqual(["Item MUG-WHITE 1 × 8.5", "Account 40300 1 × 5", "Account 40200 1 × 25", "Account 40100 1 × 5"]);
  });

  it("an order needing an account that is not set, or that BC does not have, needs attention naming the setting; nothing is created", async () => {
    const { bc, connector } = setup({ tipAccountNumber: "", dutiesAccountNumber: "" });
    const base = exampleOrder();
    const order = exampleOrder({ lines: [base.lines[1], tipLine("2.00")], totals: { ...base.totals, duties: "1.50" } });
    const e = await erpError(connector.createOrder(order, ctx));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toBe(
      `Cannot sync order #1042: it has a tip of 2.00 USD, but "G/L account for tips" is not set; it has duties of 1.50 USD, but "G/L account for duties" is not set. Set "G/L account for tips" and "G/L account for duties" in Settings, then retry.`,
    );
    const unknown = await erpError(setup({ tipAccountNumber: "49999" }).connector.createOrder(exampleOrder({ lines: [base.lines[1], tipLine("2.00")] }), ctx));
    expect(unknown.userMessage).toContain('"49999", set as "G/L account for tips" in Settings, does not exist in Business Central');
    // A refund with an adjustment and no account for it: the credit memo is not written.
    const refundSetup = setup({ adjustmentAccountNumber: "" });
    const ref = await refundSetup.connector.createOrder(base, ctx);
    const refundError = await erpError(refundSetup.connector.recordRefund(ref, base, exampleRefund(base, { adjustment: "-1.00", amount: "18.07" }), ctx));
    expect(refundError.userMessage).toContain('its refund 509562969 returned 1.00 USD less than Shopify calculated (a refund adjustment), but "G/L account for refund adjustments" is not set');
    expect(bc.orders).toHaveLength(0);
    expect(refundSetup.bc.creditMemos).toHaveLength(0);
  });

  it("a guest point-of-sale order goes to the default customer, without e-mail, ship-to or a shipping line; without that setting it needs attention", async () => {
    const { bc, connector } = setup({ shippingAccountNumber: "" });
    const order = guestPosOrder();
    await connector.createOrder(order, ctx);
    const post = writesTo(bc)[0].body!;
    expect(post).toMatchObject({ customerNumber: "WEB", externalDocumentNumber: order.externalId });
    expect(Object.keys(post).filter((k) => /email|shipTo|phone/i.test(k))).toEqual([]);
    expect(bc.orders[0].lines.map(lineOf)).toEqual(["Item MUG-WHITE 1 × 8.5"]);

    const none = setup({ defaultCustomerNumber: "" });
    const e = await erpError(none.connector.createOrder(guestPosOrder(), ctx));
    expect(e.userMessage).toBe(
      'Cannot sync order #1042: it has no customer e-mail (a point-of-sale or guest order), so the Business Central customer cannot be found. Set "Default customer number" in Settings, then retry.',
    );
    expect(none.bc.orders).toHaveLength(0);
  });

  it("a return with exchange credits the returned shirt in full and notes the exchange; the memo is the money returned + the exchange credit", async () => {
    const { bc, connector } = setup();
    const base = exampleOrder();
    const order = exampleOrder({ lines: [{ ...base.lines[0], quantity: 1, orderedQuantity: 1, discount: "0.00" }, { ...base.lines[1], lineId: "900000000000000099" }] });
    const ref = await connector.createOrder(order, ctx);
    const refund = exampleRefund(order, {
      lines: [{ lineId: order.lines[0].lineId, sku: order.lines[0].sku, quantity: 1, amount: "19.99", tax: "0.00", restockType: "return" }],
      tax: "0.00",
      exchangeCredit: "8.50",
      amount: "11.49",
    });
    await connector.recordRefund(ref, order, refund, ctx);
    expect(memoOf(bc).lines.map((l) => (l.lineType === "Comment" ? l.description : lineOf(l)))).toEqual([
      "Item TSHIRT-BLUE-M 1 × 19.99",
      "Exchange: 8.50 USD of this credit paid for exchange items on the order; money returned 11.49 USD",
    ]);
    expect(memoOf(bc).totalAmountIncludingTax).toBe(19.99);
  });
});

describe("Business Central requests per order: look-ups in one $batch, from caches when BC answered them recently", () => {
  /** Requests as BC counts them: each `$batch` is one, its inner look-ups are not. */
  const requestsTo = (bc: FakeBusinessCentral) => bc.apiRequests.filter((r) => !r.batched);
  const known = (order = exampleOrder()) => exampleOrder({ ...order, customer: { ...order.customer!, email: "known@example.com" } });

  it("a new order costs one $batch and one POST; the next order of that customer finds the items, account and customer cached", async () => {
    const { bc, connector } = setup();
    const first = await connector.createOrder(known(), ctx);
    expect(requestsTo(bc).map((r) => `${r.method} ${r.path.replace(/\?.*$/, "").replace(/.*\/companies\([^)]+\)/, "")}`)).toEqual(["POST /v2.0/tenant/production/api/v2.0/$batch", "POST /salesOrders"]);
    // The total came with the POST's answer: BC's own, without reading the order back.
    expect(first.total).toBe(String(bc.orders[0].totalAmountIncludingTax));

    const before = bc.apiRequests.length;
    const second = await connector.createOrder(known(), ctx);
    const sent = bc.apiRequests.slice(before);
    expect(sent.filter((r) => !r.batched)).toHaveLength(2);
    // Only the duplicate check is still asked: sales orders and posted invoices by the new reference.
    expect(sent.filter((r) => r.batched).map((r) => r.path.replace(/\?.*$/, "").replace(/.*\/companies\([^)]+\)/, ""))).toEqual(["/salesOrders", "/salesInvoices"]);
    expect(bc.orders[1]).toMatchObject({ id: second.documentId, customerNumber: "C00010" });
  });

  it("reads the order back when BC answers the create with totals from before its lines", async () => {
    const { bc, connector } = setup();
    bc.answerCreatesBeforeTotals = true;
    bc.taxRates.set("TSHIRT-BLUE-M", 0.06).set("MUG-WHITE", 0.06);
    const order = exampleOrder();
    const ref = await connector.createOrder(order, ctx);
    expect(requestsTo(bc).map((r) => r.method)).toEqual(["POST", "POST", "GET"]);
    expect(ref.total).toBe(order.totals.total);
  });

  it("a customer whose BC prices include VAT: the first order is rewritten once, the next is sent with VAT straight away", async () => {
    const { bc, connector } = setup();
    bc.taxRates.set("TSHIRT-BLUE-M", 0.2).set("40100", 0.2);
    bc.customersWithPricesIncludingTax.add("WEB");
    await connector.createOrder(taxInclusiveOrder(), ctx);
    const writesBefore = writesTo(bc).length;
    const ref = await connector.createOrder(taxInclusiveOrder(), ctx);
    expect(writesTo(bc).length - writesBefore).toBe(1);
    expect(bc.orders[1].lines.map((l) => `${l.lookupNumber} ${l.quantity} × ${l.unitPrice}`)).toEqual(["TSHIRT-BLUE-M 2 × 24", "40100 1 × 6"]);
    expect(ref.total).toBe("54");
  });

  it("an item removed in BC after it was cached: BC refuses the order, the item is looked up again in the same attempt, and staff are told which line; nothing is created", async () => {
    const { bc, connector } = setup();
    await connector.createOrder(exampleOrder(), ctx);
    bc.items.delete("MUG-WHITE");
    const e = await erpError(connector.createOrder(exampleOrder(), ctx));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toMatch(/Business Central has no item for "White mug" \(item number MUG-WHITE\)/);
    expect(bc.orders).toHaveLength(1);
    // Forgotten: the next order asks BC again instead of trusting the cache.
    bc.items.add("MUG-WHITE");
    await connector.createOrder(exampleOrder(), ctx);
    expect(bc.orders).toHaveLength(2);
  });

  it("a customer whose e-mail moved to another BC customer after it was cached: BC refuses the old number, the customer is looked up again, and the order is sent once more", async () => {
    const { bc, connector } = setup();
    await connector.createOrder(known(), ctx);
    bc.customers.set("known@example.com", "C00011");
    const ref = await connector.createOrder(known(), ctx);
    expect(bc.orders).toHaveLength(2);
    expect(bc.orders[1]).toMatchObject({ id: ref.documentId, customerNumber: "C00011" });
    expect(writesTo(bc).filter((r) => r.path.endsWith("/salesOrders")).map((r) => r.body!.customerNumber)).toEqual(["C00010", "C00010", "C00011"]);
  });

  it("a refusal that has nothing to do with cached values is passed on after one fresh look-up, without sending the order twice", async () => {
    const { bc, connector } = setup();
    await connector.createOrder(exampleOrder(), ctx);
    bc.failNext("POST", { status: 400, body: { error: { code: "Internal_FieldValidationFailure", message: "Customer No. WEB is blocked for Ship." } } });
    const postsBefore = writesTo(bc).length;
    const e = await erpError(connector.createOrder(exampleOrder(), ctx));
    expect(e.userMessage).toContain("Customer No. WEB is blocked for Ship");
    expect(writesTo(bc).length - postsBefore).toBe(1);
  });

  it("what was cached is asked again once its lifetime is over: customers after 5 minutes, items and accounts after 10", async () => {
    let clock = 1_000_000;
    const { bc, connector } = setup({}, () => clock);
    await connector.createOrder(known(), ctx);
    const lookedUp = async () => {
      const before = bc.apiRequests.length;
      await connector.createOrder(known(), ctx);
      return bc.apiRequests.slice(before).filter((r) => r.batched).map((r) => r.path.replace(/\?.*$/, "").replace(/.*\/companies\([^)]+\)\//, ""));
    };
    clock += 4 * 60_000;
    expect(await lookedUp()).toEqual(["salesOrders", "salesInvoices"]);
    clock += 5 * 60_000 + 1;
    expect(await lookedUp()).toEqual(["salesOrders", "salesInvoices", "customers"]);
    clock += 10 * 60_000 + 1;
    expect(await lookedUp()).toEqual(["salesOrders", "salesInvoices", "customers", "items", "accounts"]);
  });

  it("the engine's look-up after an unknown outcome is one request, and a refund is one $batch and one POST", async () => {
    const { bc, connector } = setup();
    const order = exampleOrder();
    const before = requestsTo(bc).length;
    expect(await connector.findOrder(order.externalId, ctx)).toBeNull();
    expect(requestsTo(bc).length - before).toBe(1);

    const ref = await connector.createOrder(order, ctx);
    const beforeRefund = requestsTo(bc).length;
    const after = await connector.recordRefund(ref, order, exampleRefund(order), ctx);
    expect(requestsTo(bc).slice(beforeRefund).map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(bc.creditMemos).toHaveLength(1);
    // It answers with the order's document, as read in the $batch.
    expect(after).toMatchObject({ documentId: ref.documentId, total: ref.total });
  });
});
