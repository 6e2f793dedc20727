// Stock from the Generic HTTPS JSON connector (pull): the ERP's warehouses and
// its figures page by page, every request signed; answers in the wrong shape
// are a plain permanent problem, never a stock change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { genericHttpConnector } from "~/connectors/generic-http";
import { ErpError } from "~/connectors/port";
import { ReceivingServer } from "../../testkit/receiving-server";

const SECRET = "whsec-0123456789abcdef";

describe("Generic HTTPS JSON connector: stock", () => {
  const server = new ReceivingServer(SECRET);
  const connector = () => genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: server.url, signingSecret: SECRET }));
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it("lists the ERP's warehouses", async () => {
    server.stock.locations = [{ id: "WH-1", name: "Main warehouse" }];
    expect(await connector().listLocations!()).toEqual([{ id: "WH-1", name: "Main warehouse" }]);
  });

  it("reads every page of figures, signed, with quantities as sent; `since` marks the read incomplete", async () => {
    server.stock.pageSize = 2;
    server.stock.items = [
      { itemNumber: "A", locationId: "WH-1", quantity: 3, changedAt: "2026-12-01T00:00:00.000Z" },
      { itemNumber: "B", locationId: "WH-1", quantity: "2.5", changedAt: "2026-12-02T00:00:00.000Z" },
      { itemNumber: "C", locationId: "WH-1", quantity: 0, changedAt: "2026-12-03T00:00:00.000Z" },
    ];
    const before = server.requests.length;
    const full = await connector().readStock!({});
    expect(full).toEqual({
      complete: true,
      records: [
        { itemNumber: "A", locationId: "WH-1", quantity: 3 },
        { itemNumber: "B", locationId: "WH-1", quantity: "2.5" },
        { itemNumber: "C", locationId: "WH-1", quantity: 0 },
      ],
    });
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(["/stock", "/stock?cursor=2"]);
    const changed = await connector().readStock!({ since: new Date("2026-12-02T00:00:00Z") });
    expect(changed).toEqual({ complete: false, records: [expect.objectContaining({ itemNumber: "B" }), expect.objectContaining({ itemNumber: "C" })] });
    expect(server.requests.at(-1)!.path).toBe("/stock?since=2026-12-02T00%3A00%3A00.000Z");
  });

  it("refuses an answer in another shape with words a developer can act on", async () => {
    const wrong = genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: `${server.url}/nothing-here`, signingSecret: SECRET }));
    const error = await wrong.readStock!({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpError);
    expect((error as ErpError).kind).toBe("permanent");
  });
});
