// Business Central shipments: posted sales shipments of the app's orders read
// through API v2.0 `salesShipments` (with their lines expanded), against the
// in-memory fake shaped from Microsoft's v2.0 reference — the committed v1.0
// spec (test/fixtures/business-central) does not describe salesShipments, so
// Prism cannot check these requests; docs/shipments.md says so.
import { describe, expect, it } from "vitest";
import { businessCentralConnector } from "~/connectors/business-central";
import { ErpError } from "~/connectors/port";
import { FAKE_API_BASE, FAKE_COMPANY_ID, FAKE_TOKEN_URL, FakeBusinessCentral } from "./support/fake-business-central";
import { postedShipment } from "./support/fake-business-central-shipments";
import { exampleOrder } from "./support/canonical-order-example";

function setup(extra: Record<string, unknown> = {}) {
  const bc = new FakeBusinessCentral();
  const connector = businessCentralConnector.create(
    businessCentralConnector.parseConfig({
      tenantId: "contoso.onmicrosoft.com",
      companyId: FAKE_COMPANY_ID,
      clientId: "11111111-2222-4333-8444-555555555555",
      clientSecret: "client-secret-value",
      apiBaseUrl: FAKE_API_BASE,
      tokenUrl: FAKE_TOKEN_URL,
      defaultCustomerNumber: "WEB",
      shippingAccountNumber: "40100",
      taxAccountNumber: "40200",
      giftCardAccountNumber: "40300",
      tipAccountNumber: "40400",
      adjustmentAccountNumber: "40500",
      ...extra,
    }),
    { fetch: bc.fetch },
  );
  return { bc, connector };
}

describe("Business Central shipments (API v2.0 salesShipments)", () => {
  it("reads the posted shipments of the app's orders, item lines only, and continues from lastModifiedDateTime", async () => {
    const { bc, connector } = setup();
    const order = exampleOrder();
    await connector.createOrder(order, { idempotencyKey: "k" });
    const so = bc.orders[0];
    bc.shipments.push(
      postedShipment(so, [{ item: "TSHIRT-BLUE-M", quantity: 2 }], "2026-12-01T09:00:00Z", 1),
      postedShipment(so, [{ item: "MUG-WHITE", quantity: 1 }], "2026-12-01T11:00:00Z", 2),
      { ...postedShipment({ number: "S-ORD9", externalDocumentNumber: "" }, [{ item: "MUG-WHITE", quantity: 1 }], "2026-12-01T12:00:00Z", 3) },
    );
    const read = await connector.readShipments!(null, {});
    expect(read.shipments).toEqual([
      { shipmentId: bc.shipments[0].id, documentNumber: "S-SHPT102001", externalId: order.externalId, shippedAt: "2026-12-01", locationName: null, lines: [{ sku: "TSHIRT-BLUE-M", quantity: 2 }], tracking: [] },
      { shipmentId: bc.shipments[1].id, documentNumber: "S-SHPT102002", externalId: order.externalId, shippedAt: "2026-12-01", locationName: null, lines: [{ sku: "MUG-WHITE", quantity: 1 }], tracking: [] },
    ]);
    expect(read.next).toBe("2026-12-01T12:00:00Z");
    const request = bc.apiRequests.filter((r) => r.path.includes("salesShipments")).at(-1)!;
    expect(decodeURIComponent(request.path)).toMatch(/\$expand=salesShipmentLines/);
    bc.shipments.push(postedShipment(so, [{ item: "TSHIRT-BLUE-M", quantity: 1 }], "2026-12-02T08:00:00Z", 4));
    const next = await connector.readShipments!(read.next, {});
    expect(next.shipments.map((s) => s.documentNumber)).toEqual(["S-SHPT102004"]);
    expect(decodeURIComponent(bc.apiRequests.filter((r) => r.path.includes("salesShipments")).at(-1)!.path)).toMatch(/lastModifiedDateTime ge 2026-12-01T12:00:00Z/);
  });

  it("says plainly that API v1.0 has no shipments", async () => {
    const { connector } = setup({ apiVersion: "v1.0" });
    const error = await connector.readShipments!(null, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpError);
    expect((error as ErpError).userMessage).toMatch(/API v1.0 has no sales shipments.*Choose API version v2.0/);
  });
});
