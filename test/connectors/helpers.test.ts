// Shared connector helpers: what they decide is visible to staff (retry
// timing, redacted logs) or to ERPs (exact money), so each is pinned here.
import { describe, expect, it } from "vitest";
import { summarizeBody } from "~/connectors/http/redact";
import { TtlCache } from "~/connectors/support/ttl-cache";
import { CONNECTORS, connectorDefinition } from "~/connectors/index";
import { resolveLimits } from "~/settings/shop-config-provider.server";
import { exactQuantityPrices, priceWithDiscount } from "~/connectors/support/line-pricing";
import { creditNoteParts, salesDocumentParts, type BookingSettings, type DocumentPart } from "~/connectors/support/document-parts";
import { addDecimals, compareDecimals, multiplyDecimal, subtractDecimals, sumMoney } from "~/lib/decimal";
import { exampleOrder, exampleRefund, taxInclusiveOrder } from "./support/canonical-order-example";


/** What a document's parts add up to, in its convention. */
const partsTotal = (parts: DocumentPart[]) => sumMoney(parts.map((p) => p.amount));

describe("response summaries for the sync log", () => {
  it("mask credentials, e-mails, addresses and tokens but keep ids and messages", () => {
    const summary = summarizeBody(
      JSON.stringify({
        error: "Customer bob@example.com is blocked",
        documentId: "5d115c9c-44e3-ea11-bb43-000d3a2feca1",
        access_token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
        customer: { email: "bob@example.com", address1: "Chestnut Street 92", name: "Bob" },
      }),
    );
    expect(summary).not.toMatch(/bob@example\.com|eyJhbGci|Chestnut/);
    expect(summary).toContain("5d115c9c-44e3-ea11-bb43-000d3a2feca1");
    expect(summary).toContain("is blocked");
    expect(summarizeBody("Authorization: Bearer abc.def.ghi failed")).toBe("Authorization: Bearer [redacted] failed");
    expect(summarizeBody("x".repeat(2000)).length).toBeLessThanOrEqual(500);
  });
});

describe("connector catalog", () => {
  it("offers every connector with a settings form that marks secrets, and nothing else", () => {
    const types = Object.values(CONNECTORS).map((d) => d.describe().type).sort();
    expect(types).toEqual(["business-central", "generic-http", "tryton"]);
    const secretFields = (type: string) => connectorDefinition(type)!.describe().fields.filter((f) => f.secret).map((f) => f.key).sort();
    expect(secretFields("business-central")).toEqual(["clientSecret"]);
    expect(secretFields("tryton")).toEqual(["password"]);
    expect(secretFields("generic-http")).toEqual(["basicPassword", "bearerToken", "headerValue", "signingSecret"]);
    expect(connectorDefinition("business-central")!.describe().defaultLimits).toEqual({ maxConcurrency: 100, requestsPerWindow: 6000, windowMs: 300_000 });
    expect(connectorDefinition("tryton")!.describe().defaultLimits.maxConcurrency).toBe(4);
    for (const notAConnector of ["sap-r2", "constructor", "__proto__", "toString"]) expect(connectorDefinition(notAConnector)).toBeUndefined();
  });

  it("a Business Central shop can take a share of BC's per-user limits, never more than BC allows", () => {
    const bc = connectorDefinition("business-central")!;
    const description = bc.describe();
    expect(resolveLimits(description, { requestsPerWindow: "3000", maxConcurrency: "50" })).toEqual({ maxConcurrency: 50, requestsPerWindow: 3000, windowMs: 300_000 });
    const base = { tenantId: "contoso.onmicrosoft.com", companyId: "5d115c9c-44e3-ea11-bb43-000d3a2feca1", clientId: "11111111-2222-4333-8444-555555555555", clientSecret: "s" };
    expect(() => bc.parseConfig({ ...base, requestsPerWindow: "9000" })).toThrow(/at most 6000 requests per 5 minutes per user/);
    expect(() => bc.parseConfig({ ...base, maxConcurrency: "101" })).toThrow(/at most 100 requests at once/);
  });
});

describe("exact ERP line prices", () => {
  const amounts = ["0.01", "0.99", "10.00", "17.99", "70.00", "123.45", "1000", "0.105", "-1.50"];
  it("unit price × quantity − discount is the amount exactly, the discount under one step per unit (Business Central)", () => {
    for (const amount of amounts) {
      for (let quantity = 1; quantity <= 7; quantity++) {
        const { unitPrice, discount } = priceWithDiscount(amount, quantity);
        expect(compareDecimals(subtractDecimals(multiplyDecimal(unitPrice, quantity), discount), amount), `${amount} / ${quantity}`).toBe(0);
        expect(compareDecimals(discount, "0"), `${amount} / ${quantity}`).toBeGreaterThanOrEqual(0);
      }
    }
    expect(priceWithDiscount("10.00", 3)).toEqual({ unitPrice: "3.34", discount: "0.02" });
    expect(priceWithDiscount("1000", 3)).toEqual({ unitPrice: "334", discount: "2" }); // a currency without decimals
  });

  it("lines without a discount add up exactly: one line when the price is exact, else two (Tryton)", () => {
    for (const amount of amounts) {
      for (let quantity = 1; quantity <= 7; quantity++) {
        const lines = exactQuantityPrices(amount, quantity, 4);
        expect(lines.reduce((q, l) => q + l.quantity, 0)).toBe(quantity);
        expect(compareDecimals(addDecimals(...lines.map((l) => multiplyDecimal(l.unitPrice, l.quantity))), amount), `${amount} / ${quantity}`).toBe(0);
      }
    }
    expect(exactQuantityPrices("35.98", 2, 4)).toEqual([{ quantity: 2, unitPrice: "17.9900" }]);
    expect(exactQuantityPrices("70.00", 3, 4)).toEqual([
      { quantity: 2, unitPrice: "23.33" },
      { quantity: 1, unitPrice: "23.34" },
    ]);
  });
});

describe("document parts", () => {
  const everything: BookingSettings = {
    numbers: { shipping: "S", giftCards: "G", tips: "T", duties: "D", adjustments: "A", tax: "X" },
    labels: {},
  };

  it("the sales document adds up to Shopify's total in either tax convention; for an ERP adding tax, Shopify's tax is taken out or put in", () => {
    for (const order of [exampleOrder(), taxInclusiveOrder()]) {
      expect(partsTotal(salesDocumentParts(order, everything, { erpAddsTax: false }))).toBe(order.totals.total);
      const net = partsTotal(salesDocumentParts(order, everything, { erpAddsTax: true, pricesIncludeTax: false }));
      const gross = partsTotal(salesDocumentParts(order, everything, { erpAddsTax: true, pricesIncludeTax: true }));
      expect(addDecimals(net, order.totals.tax)).toBe(order.totals.total);
      expect(gross).toBe(order.totals.total);
    }
  });

  it("a credit note's parts add up to the money returned plus the exchange credit, for refunds of every kind", () => {
    const order = exampleOrder();
    const refunds = [
      exampleRefund(order),
      exampleRefund(order, { lines: [], shipping: "5.00", tax: "0.00", duties: "3.00", adjustment: "2.00", amount: "10.00" }),
      exampleRefund(order, { adjustment: "-1.50", amount: "17.57" }),
      exampleRefund(order, { exchangeCredit: "8.50", amount: "10.57" }),
    ];
    for (const refund of refunds) {
      const { parts, exchangeNote } = creditNoteParts(order, refund, everything, { erpAddsTax: false });
      expect(partsTotal(parts), refund.refundId).toBe(sumMoney([refund.amount, refund.exchangeCredit]));
      expect(exchangeNote !== null).toBe(refund.exchangeCredit !== "0.00");
    }
  });
});

describe("TtlCache (what connectors remember of the ERP)", () => {
  it("forgets an entry once its lifetime is over", () => {
    let now = 0;
    const cache = new TtlCache<string>({ ttlMs: 1_000, maxEntries: 10, now: () => now });
    cache.set("MUG-WHITE", "id-1");
    now = 999;
    expect(cache.get("MUG-WHITE")).toBe("id-1");
    now = 1_000;
    expect(cache.get("MUG-WHITE")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("holds at most maxEntries, dropping the least recently used first", () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // "b" is now the least recently used
    cache.set("c", 3);
    expect(cache.size).toBe(2);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });
});
