// Tryton shipments against a real Tryton 6.0 (scripts/tryton/tryton-server.ts
// starts a throwaway trytond with the sale and stock_package_shipping modules):
// the app's sale is confirmed and shipped in Tryton the way a warehouse does it
// (assign, pick, pack into two packages with the carrier's tracking
// references, done), then the connector reads it as one ERP shipment. Skips,
// saying why, when Tryton is not installed (scripts/tryton/install.sh).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trytonConnector } from "~/connectors/tryton";
import type { ErpConnector } from "~/connectors/port";
import { SeedRpc, TRYTON_SEED, findTrytond, startTryton, type TrytonServer } from "../../scripts/tryton/tryton-server";
import { exampleOrder } from "./support/canonical-order-example";

const installed = findTrytond() !== null;
if (!installed) console.warn("Skipping Tryton shipment tests: trytond is not installed. Run scripts/tryton/install.sh (needs apt-get) to enable them.");

const BOOKING_PRODUCTS = { taxProductCode: "TAX", giftCardProductCode: "GIFTCARD", tipProductCode: "TIP", dutiesProductCode: "DUTIES", adjustmentProductCode: "REFUND-ADJ" } as const;

describe.skipIf(!installed)("Tryton shipments (real Tryton 6.0 with package shipping)", () => {
  let server: TrytonServer;
  let rpc: SeedRpc;
  let connector: ErpConnector;
  let ctx: { company: number };

  beforeAll(async () => {
    server = await startTryton();
    rpc = new SeedRpc(server.url, server.password);
    await rpc.login();
    ctx = { company: server.companyId };
    const [unit] = await rpc.call("model.product.uom.search", [[["symbol", "=", "u"]], 0, 1, null, ctx]);
    for (const code of [...Object.values(BOOKING_PRODUCTS), "DHL-SERVICE"]) {
      await rpc.call("model.product.template.create", [
        [{ name: code, type: "service", default_uom: unit, sale_uom: unit, salable: true, list_price: "0", code, products: [["create", [{}]]] }],
        ctx,
      ]);
    }
    const [dhl] = await rpc.call("model.party.party.create", [[{ name: "DHL Express" }], ctx]);
    const [service] = await rpc.call("model.product.product.search", [[["code", "=", "DHL-SERVICE"]], 0, 1, null, ctx]);
    await rpc.call("model.carrier.create", [[{ party: dhl, carrier_product: service }], ctx]);
    const [party] = await rpc.call<Array<{ code: string }>>("model.party.party.search_read", [[["name", "=", TRYTON_SEED.existingCustomer.name]], 0, 1, null, ["code"], {}]);
    connector = trytonConnector.create(
      trytonConnector.parseConfig({ url: server.url, database: server.database, username: server.username, password: server.password, shippingProductCode: "SHIPPING", ...BOOKING_PRODUCTS, defaultPartyCode: party.code }),
    );
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  /**
   * Confirm and process the sale into its customer shipment. Invoicing is set
   * to manual: the test database has no chart of accounts, and invoices play
   * no part in shipments.
   */
  async function processSale(saleId: number): Promise<void> {
    await rpc.call("model.sale.sale.draft", [[saleId], ctx]);
    await rpc.call("model.sale.sale.write", [[saleId], { invoice_method: "manual" }, ctx]);
    await rpc.call("model.sale.sale.quote", [[saleId], ctx]);
    await rpc.call("model.sale.sale.confirm", [[saleId], ctx]);
    await rpc.call("model.sale.sale.process", [[saleId], ctx]);
  }

  /** Ship the sale as a warehouse does: assign, pick, pack into packages with tracking, done. */
  async function shipSale(saleId: number, trackingReferences: string[]): Promise<number> {
    await processSale(saleId);
    const [sale] = await rpc.call<Array<{ shipments: number[] }>>("model.sale.sale.read", [[saleId], ["shipments"], ctx]);
    const [shipmentId] = sale.shipments;
    const [carrier] = await rpc.call("model.carrier.search", [[], 0, 1, null, ctx]);
    await rpc.call("model.stock.shipment.out.write", [[shipmentId], { carrier }, ctx]);
    await rpc.call("model.stock.shipment.out.assign_force", [[shipmentId], ctx]);
    await rpc.call("model.stock.shipment.out.pick", [[shipmentId], ctx]);
    const [shipment] = await rpc.call<Array<{ outgoing_moves: number[] }>>("model.stock.shipment.out.read", [[shipmentId], ["outgoing_moves"], ctx]);
    const [packageType] = await rpc.call("model.stock.package.type.create", [[{ name: "Box" }], ctx]);
    const moves = shipment.outgoing_moves;
    for (const [i, reference] of trackingReferences.entries()) {
      const own = moves.filter((_, k) => k % trackingReferences.length === i);
      await rpc.call("model.stock.package.create", [
        [{ type: packageType, shipment: `stock.shipment.out,${shipmentId}`, shipping_reference: reference, moves: [["add", own]] }],
        ctx,
      ]);
    }
    await rpc.call("model.stock.shipment.out.pack", [[shipmentId], ctx]);
    await rpc.call("model.stock.shipment.out.done", [[shipmentId], ctx]);
    return shipmentId;
  }

  it("reads a done shipment of the app's sale with its lines, packages' tracking and carrier, then continues from its cursor", async () => {
    const order = exampleOrder();
    const ref = await connector.createOrder(order, { idempotencyKey: "ship-1" });
    const shipmentId = await shipSale(Number(ref.documentId), ["00340434161094042557", "00340434161094042558"]);

    const read = await connector.readShipments!(null, {});
    const mine = read.shipments.filter((s) => s.externalId === order.externalId);
    expect(mine).toEqual([
      expect.objectContaining({
        shipmentId: String(shipmentId),
        documentNumber: expect.any(String),
        externalId: order.externalId,
        lines: expect.arrayContaining([
          { sku: "TSHIRT-BLUE-M", quantity: 2 },
          { sku: "MUG-WHITE", quantity: 1 },
        ]),
        tracking: [
          { number: "00340434161094042557", company: "DHL Express", url: null },
          { number: "00340434161094042558", company: "DHL Express", url: null },
        ],
      }),
    ]);
    expect(mine[0].lines).toHaveLength(2);
    expect(read.next).not.toBeNull();
    // From the cursor: only shipments written since (the last one may repeat; the engine dedupes by id).
    const again = await connector.readShipments!(read.next, {});
    expect(again.shipments.every((s) => s.shipmentId === String(shipmentId))).toBe(true);
  }, 120_000);

  it("leaves out shipments that are not done yet", async () => {
    const order = { ...exampleOrder(), externalId: `shopify-${Date.now()}`, orderId: String(Date.now()) };
    const ref = await connector.createOrder(order, { idempotencyKey: "ship-2" });
    await processSale(Number(ref.documentId));
    const read = await connector.readShipments!(null, {});
    expect(read.shipments.some((s) => s.externalId === order.externalId)).toBe(false);
  }, 120_000);
});
