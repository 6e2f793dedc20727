// Stock from the Tryton connector against a real Tryton 6.0 server (the
// stock module comes with sale): stock moves are seeded from the supplier
// location into the warehouse and done, then the connector reports each
// warehouse's quantity per product code. Skips, saying why, when Tryton is
// not installed (run scripts/tryton/install.sh).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trytonConnector } from "~/connectors/tryton";
import type { ErpConnector } from "~/connectors/port";
import { SeedRpc, findTrytond, startTryton, type TrytonServer } from "../../scripts/tryton/tryton-server";
import { parseErpQuantity } from "~/stock/erp-quantity";

const installed = findTrytond() !== null;
if (!installed) console.warn("Skipping Tryton stock tests: trytond is not installed. Run scripts/tryton/install.sh (needs apt-get) to enable them.");

describe.skipIf(!installed)("Tryton connector: stock (real Tryton 6.0)", () => {
  let server: TrytonServer;
  let rpc: SeedRpc;
  let connector: ErpConnector;
  let warehouse: number;

  beforeAll(async () => {
    server = await startTryton();
    rpc = new SeedRpc(server.url, server.password);
    await rpc.login();
    const ctx = { company: server.companyId };
    [warehouse] = await rpc.call("model.stock.location.search", [[["type", "=", "warehouse"]], 0, 1, null, ctx]);
    const [storage] = await rpc.call("model.stock.location.search", [[["parent", "=", warehouse], ["type", "=", "storage"]], 0, 1, null, ctx]);
    const [supplier] = await rpc.call("model.stock.location.search", [[["type", "=", "supplier"]], 0, 1, null, ctx]);
    const [lost] = await rpc.call("model.stock.location.search", [[["type", "=", "lost_found"]], 0, 1, null, ctx]);
    const [unit] = await rpc.call("model.product.uom.search", [[["symbol", "=", "u"]], 0, 1, null, ctx]);
    const [usd] = await rpc.call("model.currency.currency.search", [[["code", "=", "USD"]], 0, 1, null, ctx]);
    const productOf = async (code: string) => (await rpc.call("model.product.product.search", [[["code", "=", code]], 0, 1, null, ctx]))[0];
    const move = (product: number, quantity: number, from: number, to: number) => ({
      product,
      uom: unit,
      quantity,
      from_location: from,
      to_location: to,
      company: server.companyId,
      unit_price: "5.00",
      currency: usd,
    });
    const tshirt = await productOf("TSHIRT-BLUE-M");
    const mug = await productOf("MUG-WHITE");
    // 12 T-shirts and 5 mugs received, 2 T-shirts written off (lost and found).
    const moves = await rpc.call("model.stock.move.create", [[move(tshirt, 12, supplier, storage), move(mug, 5, supplier, storage)], ctx]);
    await rpc.call("model.stock.move.do", [moves, ctx]);
    const out = await rpc.call("model.stock.move.create", [[move(tshirt, 2, storage, lost)], ctx]);
    await rpc.call("model.stock.move.do", [out, ctx]);
    connector = trytonConnector.create(
      trytonConnector.parseConfig({ url: server.url, database: server.database, username: server.username, password: server.password, shippingProductCode: "SHIPPING" }),
    );
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("lists the warehouses", async () => {
    const locations = await connector.listLocations!();
    expect(locations).toContainEqual({ id: String(warehouse), name: expect.stringMatching(/Warehouse/) });
  });

  it("reports each product's quantity in the warehouse (done moves in, minus done moves out) as whole units", async () => {
    const read = await connector.readStock!({});
    expect(read.complete).toBe(true);
    const at = (code: string) => read.records.find((r) => r.itemNumber === code && r.locationId === String(warehouse))?.quantity;
    expect(parseErpQuantity(at("TSHIRT-BLUE-M"))).toEqual({ ok: true, value: 10 });
    expect(parseErpQuantity(at("MUG-WHITE"))).toEqual({ ok: true, value: 5 });
    expect(parseErpQuantity(at("SPARE-PART"))).toEqual({ ok: true, value: 0 });
    // Services have no stock: they are not reported.
    expect(read.records.some((r) => r.itemNumber === "SHIPPING")).toBe(false);
  });
});
