// The Generic HTTPS JSON connector's read-back (`GET /orders?externalIds=…`)
// and readOrder against the real receiver in testkit/receiving-server.ts,
// which checks the signature of every request, including a duplicate
// someone else made in the receiving system.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { genericHttpConnector } from "~/connectors/generic-http";
import { GENERIC_READ_BACK_BATCH } from "~/connectors/generic-http/connector";
import { ErpError } from "~/connectors/port";
import { compareDecimals } from "~/lib/decimal";
import { ReceivingServer } from "../../testkit/receiving-server";
import { exampleOrder } from "./support/canonical-order-example";

const SECRET = "whsec-0123456789abcdef";
const schema = JSON.parse(readFileSync("docs/canonical-order.schema.json", "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addSchema(schema);
const validator = (def: string) => ajv.getSchema(`${schema.$id}#/$defs/${def}`)!;
const ctx = { idempotencyKey: "read-back-test" };

describe("Generic HTTPS JSON read-back", () => {
  const server = new ReceivingServer(SECRET);
  const connector = () => genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: server.url, signingSecret: SECRET }));

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it("counts documents per external id in signed batches: one, none, a foreign duplicate and a cancelled one", async () => {
    const c = connector();
    const single = exampleOrder();
    const doubled = exampleOrder();
    const cancelled = exampleOrder();
    await c.createOrder(single, ctx);
    const first = await c.createOrder(doubled, ctx);
    const gone = await c.createOrder(cancelled, ctx);
    await c.cancelOrder(gone, cancelled, ctx);
    const copy = server.addForeignDuplicate(doubled.externalId);
    const absent = Array.from({ length: GENERIC_READ_BACK_BATCH + 3 }, (_, i) => `shopify-absent-${i}`);
    const before = server.requests.length;

    const answer = await c.readBack!([single.externalId, doubled.externalId, cancelled.externalId, ...absent], {});

    expect(answer.get(single.externalId)).toEqual([expect.objectContaining({ cancelled: false, total: single.totals.total })]);
    expect(answer.get(doubled.externalId)!.map((d) => d.documentId)).toEqual([first.documentId, copy.documentId]);
    expect(answer.get(cancelled.externalId)).toEqual([expect.objectContaining({ cancelled: true })]);
    expect(absent.every((id) => answer.get(id)!.length === 0)).toBe(true);
    // 56 ids: two requests, each a signed GET the receiver accepted.
    const reads = server.requests.slice(before);
    expect(reads).toHaveLength(2);
    expect(reads.every((r) => r.method === "GET" && r.path.startsWith("/orders?externalIds=") && r.headers["x-signature-sha256"])).toBe(true);
  });

  it("reads an order back with its lines, shipping, tax and total; null when the receiver has none", async () => {
    const c = connector();
    const order = exampleOrder();
    const ref = await c.createOrder(order, ctx);
    const doc = await c.readOrder!({ externalId: order.externalId, documentId: ref.documentId }, {});
    expect(doc!.lines.filter((l) => l.kind === "item").map((l) => [l.code, l.quantity, l.unitPrice])).toEqual(order.lines.map((l) => [l.itemNumber, String(l.quantity), l.unitPrice]));
    expect(compareDecimals(doc!.tax, order.totals.tax)).toBe(0);
    expect(compareDecimals(doc!.total, order.totals.total)).toBe(0);
    expect(doc!.cancelled).toBe(false);
    expect(await c.readOrder!({ externalId: "shopify-never-sent" }, {})).toBeNull();
  });

  it("a receiver without the read-back route gets a plain message, not a wrong count", async () => {
    server.failNext({ kind: "status", status: 404, body: { message: "No such route" } });
    const error = await connector().readBack!(["shopify-1"], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpError);
    expect((error as ErpError).kind).toBe("permanent");
  });

  it("the receiver's answers follow the published JSON Schema, and the schema's examples read back as documented", async () => {
    const c = connector();
    const order = exampleOrder();
    await c.createOrder(order, ctx);
    server.addForeignDuplicate(order.externalId);
    const before = server.requests.length;
    await c.readBack!([order.externalId], {});
    await c.readOrder!({ externalId: order.externalId }, {});
    expect(server.requests.length).toBe(before + 2);
    const fetchJson = async (path: string) => (await fetch(server.url + path, { headers: { "X-Signature-SHA256": server.requests[before].headers["x-signature-sha256"] as string } })).json();
    const readBack = validator("ReadBackAnswer");
    const withLines = validator("DocumentWithLines");
    expect(readBack(await fetchJson(`/orders?externalIds=${encodeURIComponent(order.externalId)}`)), JSON.stringify(readBack.errors)).toBe(true);
    expect(withLines(await fetchJson(`/orders/${encodeURIComponent(order.externalId)}`)), JSON.stringify(withLines.errors)).toBe(true);

    // The published examples, served as they are, give the documented counts and lines.
    const [example] = schema.$defs.ReadBackAnswer.examples;
    const [docExample] = schema.$defs.DocumentWithLines.examples;
    const stub: typeof fetch = async (input) => new Response(JSON.stringify(String(input).includes("externalIds=") ? example : docExample), { status: 200 });
    const fromExamples = genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: "https://erp.example.com", signingSecret: SECRET }), { fetch: stub });
    const counts = await fromExamples.readBack!(["shopify-450789469", "shopify-450789470"], {});
    expect(counts.get("shopify-450789469")).toHaveLength(2);
    expect(counts.get("shopify-450789470")).toEqual([expect.objectContaining({ cancelled: true })]);
    const doc = await fromExamples.readOrder!({ externalId: "shopify-450789469" }, {});
    expect(doc).toMatchObject({ shipping: "5.00", tax: "2.67", total: "52.15", editable: true });
    expect(doc!.lines.map((l) => l.amount)).toEqual(["35.98", "8.50", "5.00"]);
  });
});
