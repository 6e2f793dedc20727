// The Tryton connector's read-back (completeness certificate) and readOrder
// (three-way diff) against a real Tryton 6.0 server started here, including
// a duplicate someone made in Tryton by copying a sale and keeping its
// reference. Skips, saying why, when Tryton is not installed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trytonConnector } from "~/connectors/tryton";
import { TRYTON_READ_BACK_BATCH } from "~/connectors/tryton/connector";
import type { ErpConnector } from "~/connectors/port";
import { compareDecimals } from "~/lib/decimal";
import { SeedRpc, findTrytond, startTryton, type TrytonServer } from "../../scripts/tryton/tryton-server";
import { exampleOrder, taxInclusiveOrder } from "./support/canonical-order-example";
import { compareThreeWay } from "~/sync/order/three-way-diff";
import { summarizeDocument } from "~/sync/order/document-summary";
import { runCertificate } from "~/certificate/run-certificate.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { shopifyWorld } from "../jobs/helpers";

const installed = findTrytond() !== null;
if (!installed) console.warn("Skipping Tryton read-back tests: trytond is not installed. Run scripts/tryton/install.sh to enable them.");

const ctx = { idempotencyKey: "read-back-test" };

describe.skipIf(!installed)("Tryton read-back and readOrder (real Tryton 6.0)", () => {
  let server: TrytonServer;
  let inspect: SeedRpc;
  let connector: ErpConnector;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTryton();
    inspect = new SeedRpc(server.url, server.password);
    await inspect.login();
    const [unit] = await inspect.call("model.product.uom.search", [[["symbol", "=", "u"]], 0, 1, null, { company: server.companyId }]);
    await inspect.call("model.product.template.create", [
      [{ name: "TAX", type: "service", default_uom: unit, sale_uom: unit, salable: true, list_price: "0", code: "TAX", products: [["create", [{}]]] }],
      { company: server.companyId },
    ]);
    connector = trytonConnector.create(
      trytonConnector.parseConfig({ url: server.url, database: server.database, username: server.username, password: server.password, shippingProductCode: "SHIPPING", taxProductCode: "TAX" }),
    );
  }, 120_000);

  afterAll(async () => {
    await db?.cleanup();
    await server?.stop();
  });

  it("counts the sales per reference: one, none, a duplicate someone copied in Tryton, and a cancelled one", async () => {
    const single = exampleOrder();
    const doubled = exampleOrder();
    const cancelled = exampleOrder();
    const one = await connector.createOrder(single, ctx);
    const first = await connector.createOrder(doubled, ctx);
    const gone = await connector.createOrder(cancelled, ctx);
    await connector.cancelOrder(gone, cancelled, ctx);
    // Someone in Tryton duplicates the sale and keeps its reference.
    const [copyId] = (await inspect.call("model.sale.sale.copy", [[Number(first.documentId)], { reference: doubled.externalId }, { company: server.companyId }])) as number[];

    const answer = await connector.readBack!([single.externalId, doubled.externalId, cancelled.externalId, "shopify-never-sent"], {});

    expect(answer.get(single.externalId)).toEqual([expect.objectContaining({ documentId: one.documentId, cancelled: false, status: "quotation" })]);
    expect(compareDecimals(answer.get(single.externalId)![0].total!, single.totals.total)).toBe(0);
    expect(answer.get(doubled.externalId)!.map((d) => d.documentId)).toEqual([first.documentId, String(copyId)]);
    expect(answer.get(cancelled.externalId)).toEqual([expect.objectContaining({ cancelled: true, status: "cancelled" })]);
    expect(answer.get("shopify-never-sent")).toEqual([]);
  });

  it("reads back more references than one batch holds, in batches", async () => {
    const ids = Array.from({ length: TRYTON_READ_BACK_BATCH + 5 }, (_, i) => `shopify-absent-${i}`);
    const order = exampleOrder();
    await connector.createOrder(order, ctx);
    const answer = await connector.readBack!([...ids, order.externalId], {});
    expect(answer.size).toBe(ids.length + 1);
    expect(answer.get(order.externalId)).toHaveLength(1);
  });

  it("reads the sale back whole: item lines by code, shipping and tax, total and status", async () => {
    const order = exampleOrder();
    const ref = await connector.createOrder(order, ctx);
    const doc = await connector.readOrder!({ externalId: order.externalId, documentId: ref.documentId }, {});
    expect(doc).not.toBeNull();
    expect(doc!.lines.filter((l) => l.kind === "item").map((l) => `${l.code} ${l.quantity} × ${l.unitPrice}`)).toEqual(["TSHIRT-BLUE-M 2 × 17.9900", "MUG-WHITE 1 × 8.5000"]);
    expect(compareDecimals(doc!.shipping, "5.00")).toBe(0);
    expect(compareDecimals(doc!.tax, order.totals.tax)).toBe(0);
    expect(compareDecimals(doc!.total, order.totals.total)).toBe(0);
    expect(doc).toMatchObject({ externalId: order.externalId, status: "quotation", cancelled: false });
    // By reference alone, too; and null for an order Tryton never got.
    expect((await connector.readOrder!({ externalId: order.externalId }, {}))!.documentId).toBe(ref.documentId);
    expect(await connector.readOrder!({ externalId: "shopify-never-sent" }, {})).toBeNull();
  });

  it("the three-way diff finds no difference between an order and the sale Tryton made of it (tax on top and tax included), and finds an edit made in Tryton", async () => {
    for (const order of [exampleOrder(), taxInclusiveOrder()]) {
      const ref = await connector.createOrder(order, ctx);
      const doc = await connector.readOrder!({ externalId: order.externalId, documentId: ref.documentId }, {});
      const rows = compareThreeWay({ shopify: order, sent: summarizeDocument(order), erp: doc });
      expect(rows.filter((r) => r.differs), order.taxesIncluded ? "tax included" : "tax on top").toEqual([]);
      expect(doc!.editable).toBe(true);
    }
    // Someone changes a quantity in Tryton.
    const order = exampleOrder();
    const ref = await connector.createOrder(order, ctx);
    const [line] = (await inspect.call("model.sale.line.search_read", [[["sale", "=", Number(ref.documentId)], ["type", "=", "line"]], 0, 1, [["id", "ASC"]], ["id"], { company: server.companyId }])) as { id: number }[];
    await inspect.call("model.sale.sale.draft", [[Number(ref.documentId)], { company: server.companyId }]);
    await inspect.call("model.sale.line.write", [[line.id], { quantity: 5 }, { company: server.companyId }]);
    const doc = await connector.readOrder!({ externalId: order.externalId, documentId: ref.documentId }, {});
    const differing = compareThreeWay({ shopify: order, sent: summarizeDocument(order), erp: doc }).filter((r) => r.differs).map((r) => r.field);
    expect(differing).toEqual(expect.arrayContaining([`Line ${order.lines[0].itemNumber}: quantity`, "Total"]));
  });

  it("a certificate against Tryton: Shopify's day, the ledger and Tryton's sales read back, with a duplicate and a missing sale", async () => {
    const w = shopifyWorld({ shop: "tryton-cert.myshopify.com" });
    const shop = w.fake.shop;
    const day = new Date("2026-11-24T00:00:00Z");
    const orders = w.fake.seed({ count: 4, startAt: new Date(day.getTime() + 3600_000), spacingMs: 3600_000 });
    for (const [i, o] of orders.entries()) {
      const order = exampleOrder({ externalId: `shopify-${o.legacyResourceId}-${Date.now()}`, name: o.name });
      await db.prisma.orderSync.create({
        data: { shop, orderId: o.legacyResourceId, orderGid: o.id, orderName: o.name, externalId: order.externalId, state: "synced", snapshot: "{}", sourceUpdatedAt: new Date(o.updatedAt), shopifyTotal: order.totals.total },
      });
      if (i === 3) continue; // never reached Tryton
      const ref = await connector.createOrder(order, ctx);
      if (i === 1) await inspect.call("model.sale.sale.copy", [[Number(ref.documentId)], { reference: order.externalId }, { company: server.companyId }]);
    }
    const row = await db.prisma.completenessCertificate.create({ data: { shop, windowStart: day, windowEnd: new Date(day.getTime() + 86_400_000), trigger: "manual", status: "running" } });
    const cert = await runCertificate({ prisma: db.prisma, admin: w.adminApi.forShop(shop), connector }, row);
    expect(cert).toMatchObject({ status: "exceptions", erpReadBack: true, shopifyCount: 4, ledgerCount: 4, erpCount: 3, erpDocuments: 4, missingInErp: 1, duplicated: 1, totalMismatch: 0, missingInLedger: 0 });
    const kinds = (JSON.parse(cert.exceptions) as { kind: string; orderName: string }[]).map((e) => `${e.kind} ${e.orderName}`);
    expect(kinds.sort()).toEqual([`duplicated ${orders[1].name}`, `missing_in_erp ${orders[3].name}`].sort());
  });
});
