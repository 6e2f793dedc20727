// The shipment planner's rules, each as staff would notice them: which
// fulfilment Shopify is asked for, or the plain reason it is not.
import { describe, expect, it } from "vitest";
import { findOwnFulfillment, planFulfillment, plannedQuantities } from "../../app/shipments/plan";
import type { ErpShipment, FulfillmentOrderView, OrderFulfillmentView } from "../../app/shipments/types";

function fo(id: string, location: string, lines: [lineItemId: string, sku: string, total: number, remaining: number][], status: FulfillmentOrderView["status"] = "OPEN", holdReasons: string[] = []): FulfillmentOrderView {
  return {
    id,
    status,
    locationName: location,
    holdReasons,
    lines: lines.map(([lineItemId, sku, total, remaining]) => ({ id: `${id}-${lineItemId}`, lineItemId, sku, name: `Item ${sku}`, totalQuantity: total, remainingQuantity: remaining })),
  };
}
const view = (fos: FulfillmentOrderView[]): OrderFulfillmentView => ({ orderGid: "gid://shopify/Order/1", orderName: "#1001", fulfillmentOrders: fos, fulfillments: [] });
const shipment = (lines: ErpShipment["lines"], extra: Partial<ErpShipment> = {}): ErpShipment => ({
  shipmentId: "S1",
  externalId: "shopify-1",
  lines,
  tracking: [{ number: "TRACK1", company: "DHL Express", url: "https://dhl.example/TRACK1" }],
  ...extra,
});
const notify = { notifyCustomer: true };

describe("planFulfillment", () => {
  it("maps lines by Shopify line item id, then SKU, with tracking, carrier, URL and the notify choice", () => {
    const plan = planFulfillment(
      shipment([{ lineId: "11", quantity: 2 }, { sku: "B", quantity: 1 }]),
      view([fo("FO1", "Main", [["11", "A", 3, 3], ["12", "B", 1, 1]])]),
      { notifyCustomer: false },
    );
    expect(plan).toEqual({
      kind: "create",
      locationName: "Main",
      input: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: "FO1", fulfillmentOrderLineItems: [{ id: "FO1-11", quantity: 2 }, { id: "FO1-12", quantity: 1 }] }],
        notifyCustomer: false,
        trackingInfo: { numbers: ["TRACK1"], company: "DHL Express", urls: ["https://dhl.example/TRACK1"] },
      },
    });
  });

  it("sends several packages' tracking numbers, and URLs only when every number has one", () => {
    const plan = planFulfillment(
      shipment([{ sku: "A", quantity: 1 }], { tracking: [{ number: "P1", url: "https://t/P1" }, { number: "P2" }, { number: "P1" }] }),
      view([fo("FO1", "Main", [["11", "A", 1, 1]])]),
      notify,
    );
    expect(plan.kind === "create" && plan.input.trackingInfo).toEqual({ numbers: ["P1", "P2"] });
  });

  it("takes a partial quantity and leaves the rest for the next shipment", () => {
    const v = view([fo("FO1", "Main", [["11", "A", 5, 2]], "IN_PROGRESS")]);
    const plan = planFulfillment(shipment([{ sku: "A", quantity: 2 }]), v, notify);
    expect(plan.kind === "create" && plan.input.lineItemsByFulfillmentOrder[0].fulfillmentOrderLineItems).toEqual([{ id: "FO1-11", quantity: 2 }]);
    expect(plan.kind === "create" && plannedQuantities(plan.input, v)).toEqual({ "11": 2 });
  });

  it("says when the ERP shipped more than remains", () => {
    const plan = planFulfillment(shipment([{ sku: "A", quantity: 3 }]), view([fo("FO1", "Main", [["11", "A", 3, 1]], "IN_PROGRESS")]), notify);
    expect(plan).toMatchObject({ kind: "problem" });
    expect(plan.kind === "problem" && plan.message).toMatch(/shipped 3 × Item A, but only 1 is left to fulfil on order #1001/);
  });

  it("says when a line is not on the order", () => {
    const plan = planFulfillment(shipment([{ sku: "ZZZ", quantity: 1 }]), view([fo("FO1", "Main", [["11", "A", 1, 1]])]), notify);
    expect(plan.kind === "problem" && plan.message).toMatch(/shipped 1 × SKU ZZZ, which is not on order #1001/);
  });

  it("says when Shopify holds the fulfilment, with the reason", () => {
    const plan = planFulfillment(shipment([{ sku: "A", quantity: 1 }]), view([fo("FO1", "Main", [["11", "A", 1, 1]], "ON_HOLD", ["AWAITING_PAYMENT"])]), notify);
    expect(plan.kind === "problem" && plan.message).toMatch(/on hold \(awaiting payment\)\. Release the hold in Shopify/);
  });

  it("says when the fulfilment order is closed or cancelled", () => {
    const plan = planFulfillment(shipment([{ sku: "A", quantity: 1 }]), view([fo("FO1", "Main", [["11", "A", 1, 1]], "CANCELLED")]), notify);
    expect(plan.kind === "problem" && plan.message).toMatch(/closed the fulfilment of Item A on order #1001 \(cancelled\)/);
  });

  it("says when someone already fulfilled the items", () => {
    const plan = planFulfillment(shipment([{ sku: "A", quantity: 1 }]), view([fo("FO1", "Main", [["11", "A", 1, 0]], "CLOSED")]), notify);
    expect(plan.kind === "problem" && plan.message).toMatch(/already shows Item A on order #1001 as fulfilled/);
  });

  it("says when Shopify expects the items from another location than the ERP's", () => {
    const plan = planFulfillment(shipment([{ sku: "A", quantity: 1 }], { locationName: "Main" }), view([fo("FO1", "Warehouse East", [["11", "A", 1, 1]])]), notify);
    expect(plan.kind === "problem" && plan.message).toMatch(/^Shopify expects these items from 'Warehouse East'; the ERP shipped from 'Main'\./);
  });

  it("prefers the ERP's location when the items sit at several, and refuses one fulfilment across two", () => {
    const two = view([fo("FO1", "Warehouse East", [["11", "A", 1, 1]]), fo("FO2", "Main", [["12", "B", 1, 1]])]);
    const plan = planFulfillment(shipment([{ sku: "A", quantity: 1 }, { sku: "B", quantity: 1 }]), two, notify);
    expect(plan.kind === "problem" && plan.message).toMatch(/from 2 locations \('Warehouse East', 'Main'\)/);
    const split = view([fo("FO1", "Warehouse East", [["11", "A", 2, 1]]), fo("FO2", "Main", [["11", "A", 2, 1]])]);
    const atMain = planFulfillment(shipment([{ sku: "A", quantity: 1 }], { locationName: "main" }), split, notify);
    expect(atMain.kind === "create" && atMain.input.lineItemsByFulfillmentOrder[0].fulfillmentOrderId).toBe("FO2");
  });

  it("refuses a shipment without lines or with a zero quantity", () => {
    expect(planFulfillment(shipment([]), view([]), notify)).toMatchObject({ kind: "problem", message: expect.stringMatching(/has no lines/) });
    expect(planFulfillment(shipment([{ sku: "A", quantity: 0 }]), view([]), notify)).toMatchObject({ kind: "problem", message: expect.stringMatching(/quantity 0/) });
  });
});

describe("findOwnFulfillment", () => {
  const base = view([]);
  const f = (id: string, numbers: string[], quantities: Record<string, number>, createdAt = "2026-12-01T10:00:00Z") => ({ id, name: id, createdAt, status: "SUCCESS", trackingNumbers: numbers, quantities });
  it("finds the fulfilment with the same tracking numbers and quantities, created since the send and not claimed", () => {
    const v = { ...base, fulfillments: [f("old", ["T1"], { "11": 1 }, "2026-11-01T00:00:00Z"), f("other", ["T1"], { "11": 1 }), f("mine", ["T1"], { "11": 1 })] };
    const found = findOwnFulfillment(v, { trackingNumbers: ["T1"], quantities: { "11": 1 } }, { sentAt: new Date("2026-12-01T09:59:30Z"), claimed: new Set(["other"]) });
    expect(found).toBe("mine");
  });
  it("finds nothing when tracking or quantities differ", () => {
    const v = { ...base, fulfillments: [f("a", ["T2"], { "11": 1 }), f("b", ["T1"], { "11": 2 })] };
    expect(findOwnFulfillment(v, { trackingNumbers: ["T1"], quantities: { "11": 1 } }, { sentAt: null, claimed: new Set() })).toBeNull();
  });
});
