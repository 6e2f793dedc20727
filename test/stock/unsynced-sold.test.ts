// Which ledger orders count as "sold in Shopify, not in the ERP yet", and with
// which quantities: the figure subtracted from the ERP's stock.
import { describe, expect, it } from "vitest";
import { unsyncedSoldOf, type LedgerOrderForStock } from "../../app/stock/unsynced-sold";

const order = (lines: object[], extra: object = {}) => JSON.stringify({ id: 1, line_items: lines, ...extra });
const row = (over: Partial<LedgerOrderForStock>): LedgerOrderForStock => ({
  state: "pending",
  snapshot: order([{ sku: "TSHIRT-M", quantity: 3, current_quantity: 2 }]),
  erpDocumentId: null,
  cancelledInShopify: false,
  ...over,
});

describe("unsyncedSoldOf", () => {
  it("counts an order the ERP has not received with its current quantities (after edits and refunds)", () => {
    expect(unsyncedSoldOf([row({})])).toEqual([{ sku: "TSHIRT-M", locationId: null, quantity: 2 }]);
  });

  it("counts it at the order's location when the order names one", () => {
    const snapshot = order([{ sku: "CAP", quantity: 1 }], { location_id: 655441491 });
    expect(unsyncedSoldOf([row({ snapshot })])).toEqual([{ sku: "CAP", locationId: "gid://shopify/Location/655441491", quantity: 1 }]);
  });

  it.each([
    ["already in the ERP", { erpDocumentId: "SO-1", state: "synced" }],
    ["created in the ERP, update pending", { erpDocumentId: "SO-1", state: "pending" }],
    ["cancelled in Shopify", { cancelledInShopify: true }],
    ["skipped by staff or a filter", { state: "skipped" }],
    ["only a refund seen so far", { snapshot: "" }],
  ])("leaves out an order %s", (_label, over) => {
    expect(unsyncedSoldOf([row(over)])).toEqual([]);
  });

  it("counts failed and needs-attention orders: Shopify sold them and the ERP still lacks them", () => {
    expect(unsyncedSoldOf([row({ state: "failed" }), row({ state: "needs_attention" })]).map((s) => s.quantity)).toEqual([2, 2]);
  });

  it("skips lines without a SKU and lines fully removed", () => {
    const snapshot = order([{ sku: "", quantity: 1 }, { sku: "A", quantity: 2, current_quantity: 0 }, { sku: "B", quantity: 1 }]);
    expect(unsyncedSoldOf([row({ snapshot })])).toEqual([{ sku: "B", locationId: null, quantity: 1 }]);
  });

  it("counts an order the ERP received after its figures were read: those figures still held its units", () => {
    const readAt = new Date("2026-12-05T10:00:00Z");
    const received = row({ state: "synced", erpDocumentId: "SO-9", syncedAt: new Date("2026-12-05T10:00:05Z") });
    const before = row({ state: "synced", erpDocumentId: "SO-8", syncedAt: new Date("2026-12-05T09:59:00Z") });
    expect(unsyncedSoldOf([received, before], readAt).map((s) => s.quantity)).toEqual([2]);
    expect(unsyncedSoldOf([received, before])).toEqual([]);
  });
});
