// The item search of the Tryton connector against a real Tryton 6.0 server:
// products by code or name, ignoring case, codes that match first, `%` and
// `_` taken literally, and a failed login as the classified error the order
// page shows. Skips, saying why, when Tryton is not installed (run
// scripts/tryton/install.sh).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trytonConnector } from "~/connectors/tryton";
import { ErpError, type ErpConnector } from "~/connectors/port";
import { SeedRpc, findTrytond, startTryton, type TrytonServer } from "../../scripts/tryton/tryton-server";

const installed = findTrytond() !== null;
if (!installed) console.warn("Skipping Tryton item search tests: trytond is not installed. Run scripts/tryton/install.sh (needs apt-get) to enable them.");

describe.skipIf(!installed)("Tryton connector: item search (real Tryton 6.0)", () => {
  let server: TrytonServer;
  let connector: ErpConnector;
  const connectorWith = (password: string) =>
    trytonConnector.create(trytonConnector.parseConfig({ url: server.url, database: server.database, username: server.username, password, shippingProductCode: "SHIPPING" }));

  beforeAll(async () => {
    server = await startTryton();
    const rpc = new SeedRpc(server.url, server.password);
    await rpc.login();
    const ctx = { company: server.companyId };
    const [unit] = await rpc.call("model.product.uom.search", [[["symbol", "=", "u"]], 0, 1, null, ctx]);
    const template = (code: string, name: string) => ({ name, type: "goods", default_uom: unit, sale_uom: unit, salable: true, list_price: "9.00", code, products: [["create", [{}]]] });
    // A tee whose name says "tee" in capitals only, a number with an underscore (and one that "_" as a wildcard would match), and a name with a percent sign.
    await rpc.call(
      "model.product.template.create",
      [[template("OLD-TEE-M", "Classic TEE / M"), template("TEE_42", "Tee, organic"), template("TEE-4", "Tee four"), template("CAP-RED", "Red cap 100% cotton")], ctx],
    );
    connector = connectorWith(server.password);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("finds products by code or name, ignoring case, codes that match first", async () => {
    expect(await connector.searchItems!("tee", {})).toEqual([
      { number: "TEE-4", name: "Tee four" },
      { number: "TEE_42", name: "Tee, organic" },
      { number: "OLD-TEE-M", name: "Classic TEE / M" },
    ]);
    // Only the name matches here: "Blue T-shirt / M" is TSHIRT-BLUE-M.
    expect(await connector.searchItems!("blue t", {})).toEqual([{ number: "TSHIRT-BLUE-M", name: "Blue T-shirt / M" }]);
    expect(await connector.searchItems!("no such thing", {})).toEqual([]);
  });

  it("takes % and _ in the query literally", async () => {
    expect((await connector.searchItems!("e_4", {})).map((i) => i.number)).toEqual(["TEE_42"]);
    // As a pattern, "e_4" would match TEE-4 too, and "%" everything.
    expect(await connector.searchItems!("0% c", {})).toEqual([{ number: "CAP-RED", name: "Red cap 100% cotton" }]);
    expect(await connector.searchItems!("%", {})).toEqual([{ number: "CAP-RED", name: "Red cap 100% cotton" }]);
  });

  it("a refused sign-in is a permanent ErpError in words for staff", async () => {
    const error = await connectorWith("wrong-password").searchItems!("tee", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({ kind: "permanent", userMessage: expect.stringMatching(/Tryton refused the user name or password/) });
  });
});
