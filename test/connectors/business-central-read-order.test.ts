// Business Central's readOrder turns BC's own answer into the comparable
// document: item lines by number, the shipping account's line as shipping,
// tax from the document's totals, and "no longer takes changes" for a
// released order. BC's answers here are shaped like Microsoft's v2.0
// examples (salesOrder GET, salesOrderLines); the requests themselves are
// checked against the spec in business-central.contract.test.ts.
import { describe, expect, it } from "vitest";
import { businessCentralConnector } from "~/connectors/business-central";

const COMPANY = "5d115c9c-44e3-ea11-bb43-000d3a2feca1";
const ORDER_ID = "b6f4017a-b749-ee11-ad0b-a1422c0f7f1f";

function connector(status: string) {
  const answers: Record<string, unknown> = {
    [`salesOrders(${ORDER_ID})`]: { id: ORDER_ID, number: "101005", externalDocumentNumber: "shopify-1", status, totalAmountExcludingTax: 45.88, totalAmountIncludingTax: 55.06 },
    [`salesOrders(${ORDER_ID})/salesOrderLines`]: {
      value: [
        { lineType: "Item", lineObjectNumber: "1896-S", description: "ATHENS Desk", quantity: 2, unitPrice: 19.99, discountAmount: 4 },
        { lineType: "Account", lineObjectNumber: "40100", description: "Shipping", quantity: 1, unitPrice: 9.9, discountAmount: 0 },
        { lineType: "Comment", lineObjectNumber: "", description: "Leave at the door", quantity: 0, unitPrice: 0, discountAmount: 0 },
      ],
    },
  };
  const fetchStub: typeof fetch = async (input) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith("/token")) return Response.json({ access_token: "t", token_type: "Bearer", expires_in: 3599 });
    const key = decodeURIComponent(url.pathname).split(`companies(${COMPANY})/`)[1];
    return key in answers ? Response.json(answers[key]) : new Response("{}", { status: 404 });
  };
  return businessCentralConnector.create(
    businessCentralConnector.parseConfig({
      tenantId: "contoso.onmicrosoft.com",
      environment: "sandbox",
      companyId: COMPANY,
      clientId: "11111111-2222-4333-8444-555555555555",
      clientSecret: "secret-value",
      apiVersion: "v2.0",
      apiBaseUrl: "http://127.0.0.1:9/api",
      tokenUrl: "https://login.test.invalid/tenant/oauth2/v2.0/token",
      shippingAccountNumber: "40100",
      localCurrencyCode: "USD",
    }),
    { fetch: fetchStub },
  );
}

describe("Business Central readOrder", () => {
  it("reads lines, shipping, tax and total as the three-way diff compares them", async () => {
    const doc = await connector("Open").readOrder!({ externalId: "shopify-1", documentId: ORDER_ID }, {});
    expect(doc).toMatchObject({ documentNumber: "101005", externalId: "shopify-1", status: "Open", editable: true, cancelled: false, shipping: "9.9", tax: "9.18", total: "55.06" });
    expect(doc!.lines.map((l) => [l.kind, l.code, l.amount])).toEqual([
      ["item", "1896-S", "35.98"],
      ["shipping", "40100", "9.9"],
      ["comment", null, "0"],
    ]);
  });

  it("a released order no longer takes changes", async () => {
    expect((await connector("Released").readOrder!({ externalId: "shopify-1", documentId: ORDER_ID }, {}))!.editable).toBe(false);
  });
});
