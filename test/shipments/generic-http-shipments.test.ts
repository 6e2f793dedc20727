// Generic HTTPS JSON shipments: the signed pull GET /shipments?since=…
// against the real loopback receiver, and pushed shipment notices
// (POST /erp/<shop>/shipments) through the route's action: the rules shared
// with stock notices (signature with the shop's secret, body limit, 4xx with
// a message), idempotency by shipment id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { genericHttpConnector } from "~/connectors/generic-http";
import { signBody } from "~/connectors/generic-http/signing";
import { encryptSecrets } from "~/security/crypto.server";
import { handleShipmentNotice, MAX_NOTICE_BYTES } from "~/shipments/notice-endpoint.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { ReceivingServer } from "../../testkit/receiving-server";

const SECRET = "whsec-0123456789abcdef";
const server = new ReceivingServer(SECRET);
let db: TestDatabase;
beforeAll(async () => {
  await server.start();
  db = await createTestDatabase();
});
afterAll(async () => {
  await server.stop();
  await db.cleanup();
});

const notice = (shipmentId: string) => ({
  shipmentId,
  documentNumber: `CUS-${shipmentId}`,
  externalId: "shopify-820982911946154508",
  shippedAt: "2026-12-01T10:00:00Z",
  lines: [{ lineId: "487817672276298554", sku: "TSHIRT-BLUE-M", quantity: 2 }],
  tracking: [{ number: "00340434161094042557", company: "DHL Express", url: "https://www.dhl.com/track?id=00340434161094042557" }],
});

describe("pull: GET /shipments?since=", () => {
  it("reads signed, keeps the cursor, and reports a shipment it cannot read with its problems", async () => {
    server.shipments.push(notice("S-1"), { shipmentId: "S-2", externalId: "shopify-1", lines: [{ sku: "A", quantity: 0 }] });
    const connector = genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: server.url, signingSecret: SECRET }));
    const read = await connector.readShipments!(null, {});
    expect(read.shipments).toEqual([
      {
        shipmentId: "S-1",
        documentNumber: "CUS-S-1",
        externalId: "shopify-820982911946154508",
        shippedAt: "2026-12-01T10:00:00Z",
        locationName: null,
        lines: [{ lineId: "487817672276298554", sku: "TSHIRT-BLUE-M", quantity: 2 }],
        tracking: [{ number: "00340434161094042557", company: "DHL Express", url: "https://www.dhl.com/track?id=00340434161094042557" }],
      },
    ]);
    expect(read.rejected).toEqual([{ shipmentId: "S-2", problems: ["lines.0.quantity: Too small: expected number to be >0"] }]);
    expect(read.next).toBe("2");
    const req = server.requests.at(-1)!;
    expect(req.path).toBe("/shipments?since=");
    expect(req.headers["x-signature-sha256"]).toBe(signBody("", SECRET));
    expect((await connector.readShipments!(read.next, {})).shipments).toEqual([]);
  });
});

describe("push: signed shipment notices", () => {
  const shop = "notice-shop.myshopify.com";
  const secrets = (s: string) => encryptSecrets(s, { signingSecret: SECRET });
  const post = (body: string, headers: Record<string, string> = {}, to = shop) =>
    handleShipmentNotice(
      new Request(`https://app.example/erp/${to}/shipments`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json", "X-Signature-SHA256": signBody(body, SECRET), ...headers },
      }),
      to,
      { prisma: db.prisma },
    );
  beforeAll(async () => {
    await db.prisma.shopSettings.create({ data: { shop, connectorType: "generic-http", connectorSecrets: secrets(shop), shipmentsOwner: "erp" } });
  });

  it("records a signed notice once; a repeat is answered as a duplicate", async () => {
    const body = JSON.stringify(notice("P-1"));
    const first = await post(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ ok: true, shipmentId: "P-1", status: "accepted", message: expect.stringMatching(/within seconds/) });
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, shipmentId: "P-1", status: "duplicate", message: expect.stringMatching(/Already received/) });
    expect(await db.prisma.shipmentSync.count({ where: { shop, shipmentId: "P-1" } })).toBe(1);
  });

  it("refuses a wrong signature, a body too large, bad JSON and a bad shape, each with a message", async () => {
    const bad = await post(JSON.stringify(notice("P-2")), { "X-Signature-SHA256": signBody("other", SECRET) });
    expect(bad.status).toBe(401);
    expect((await bad.json()).message).toMatch(/signature does not match.*signing secret/);
    expect((await post(JSON.stringify(notice("P-2")), { "X-Signature-SHA256": "" })).status).toBe(401);
    const big = await post(JSON.stringify({ ...notice("P-3"), pad: "x".repeat(MAX_NOTICE_BYTES) }));
    expect(big.status).toBe(413);
    expect((await big.json()).message).toMatch(/at most 256 KB/);
    const notJson = await post("{not json");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).message).toMatch(/not JSON/);
    const shape = await post(JSON.stringify({ shipmentId: "P-4", externalId: "shopify-1", lines: [], tracking: [{ number: "" }] }));
    expect(shape.status).toBe(422);
    expect((await shape.json()).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^lines: /), expect.stringMatching(/^tracking\.0\.number: /)]));
    expect(await db.prisma.shipmentSync.count({ where: { shop, shipmentId: { in: ["P-2", "P-3", "P-4"] } } })).toBe(0);
  });

  it("refuses a shop that lets Shopify own shipments, an unknown shop, a bad shop name and a GET", async () => {
    const other = "shopify-owned.myshopify.com";
    await db.prisma.shopSettings.create({ data: { shop: other, connectorType: "generic-http", connectorSecrets: secrets(other) } });
    const body = JSON.stringify(notice("P-5"));
    const owned = await post(body, {}, other);
    expect(owned.status).toBe(409);
    expect((await owned.json()).message).toMatch(/owned by Shopify.*Who owns what/);
    const unknown = await post(body, {}, "nobody.myshopify.com");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).message).toMatch(/does not take shipment notices/);
    expect((await post(body, {}, "not a shop")).status).toBe(404);
    const get = await handleShipmentNotice(new Request(`https://app.example/erp/${shop}/shipments`), shop, { prisma: db.prisma });
    expect(get.status).toBe(405);
    expect((await get.json()).message).toMatch(/POST/);
    expect(await db.prisma.shipmentSync.count({ where: { shipmentId: "P-5" } })).toBe(0);
  });
});
