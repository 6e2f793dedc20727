// The order life events of the chaos run, applied to the fake Admin API's
// orders the way Shopify applies them (so reconciliation reads the same
// truth the webhooks told): a refund that returns money for one unit, an
// order edit that removes one unit, a cancellation. Each returns what
// Shopify would send, and the run's check compares the ERP with
// `expectedInErp`, computed from these events alone.
import type { FakeOrder } from "../../testkit/fake-admin-api";

export type LifeEvent = "refund" | "edit" | "cancel";

type Obj = Record<string, unknown>;
type Money = { shopMoney: { amount: string; currencyCode: string }; presentmentMoney: { amount: string; currencyCode: string } };

const cents = (m: Money) => Math.round(Number(m.shopMoney.amount) * 100);
const bag = (c: number, currency: string): Money => ({
  shopMoney: { amount: (c / 100).toFixed(2), currencyCode: currency },
  presentmentMoney: { amount: (c / 100).toFixed(2), currencyCode: currency },
});

interface Line {
  id: string;
  sku: string | null;
  quantity: number;
  currentQuantity: number;
  isGiftCard: boolean;
  originalUnitPriceSet: Money;
  totalDiscountSet: Money;
}

/** What an order's events did, kept beside the order for the final check. */
export interface OrderHistory {
  /** Units removed by edits, per line id. */
  removed: Map<string, number>;
  /** Money refunds: [refund gid, cents]. */
  refunds: Array<[string, number]>;
  cancelled: boolean;
}

export function newHistory(): OrderHistory {
  return { removed: new Map(), refunds: [], cancelled: false };
}

function linesOf(order: FakeOrder): Line[] {
  return (order as unknown as { lineItems: Line[] }).lineItems;
}

/** The line a unit can be taken from: a product line with units left (and never the last unit of the order for an edit). */
function pickLine(order: FakeOrder, forEdit: boolean): Line | null {
  const lines = linesOf(order).filter((l) => !l.isGiftCard && l.currentQuantity > 0);
  const unitsLeft = linesOf(order).reduce((n, l) => n + l.currentQuantity, 0);
  if (forEdit && unitsLeft <= 1) return null;
  return lines[0] ?? null;
}

/** One unit's value after its share of the line discount (whole cents: the fake's discounts are per line). */
function unitValue(line: Line): number {
  const share = Math.round(cents(line.totalDiscountSet) / line.quantity);
  return cents(line.originalUnitPriceSet) - share;
}

function adjustCurrentTotals(order: FakeOrder, minus: number): void {
  const o = order as unknown as Obj & { currencyCode: string; currentTotalPriceSet: Money; currentSubtotalPriceSet: Money };
  o.currentTotalPriceSet = bag(cents(o.currentTotalPriceSet) - minus, o.currencyCode);
  o.currentSubtotalPriceSet = bag(cents(o.currentSubtotalPriceSet) - minus, o.currencyCode);
}

/**
 * Apply an event to the order (as Shopify would) and record it. Returns the
 * refund object for a refund (the refunds/create body is built from it), or
 * null when the event does not apply (nothing left to refund or remove).
 */
export function applyLifeEvent(order: FakeOrder, event: LifeEvent, history: OrderHistory, at: string): { refund: Obj | null } | null {
  const o = order as unknown as Obj & { currencyCode: string; refunds: Obj[]; legacyResourceId: string };
  if (event === "cancel") {
    if (history.cancelled) return null;
    history.cancelled = true;
    o.cancelledAt = at;
    o.cancelReason = "CUSTOMER";
    return { refund: null };
  }
  const line = pickLine(order, event === "edit");
  if (!line || history.cancelled) return null;
  const value = unitValue(line);
  line.currentQuantity -= 1;
  adjustCurrentTotals(order, value);
  if (event === "edit") {
    history.removed.set(line.id, (history.removed.get(line.id) ?? 0) + 1);
    return { refund: null };
  }
  const n = history.refunds.length + 1;
  const id = `gid://shopify/Refund/${BigInt(o.legacyResourceId) * 10n + BigInt(n)}`;
  const refund: Obj = {
    id,
    createdAt: at,
    processedAt: at,
    note: "Returned by the chaos run",
    totalRefundedSet: bag(value, o.currencyCode),
    duties: [],
    refundLineItems: [
      {
        id: `gid://shopify/RefundLineItem/${BigInt(o.legacyResourceId) * 10n + BigInt(n)}`,
        quantity: 1,
        restockType: "RETURN",
        lineItem: { id: line.id, sku: line.sku },
        subtotalSet: bag(value, o.currencyCode),
        totalTaxSet: bag(Math.round((value * 20) / 120), o.currencyCode),
      },
    ],
    refundShippingLines: [],
    orderAdjustments: [],
    transactions: [
      { id: `gid://shopify/OrderTransaction/${BigInt(o.legacyResourceId) * 10n + BigInt(n)}`, kind: "REFUND", status: "SUCCESS", gateway: "manual", processedAt: at, amountSet: bag(value, o.currencyCode) },
    ],
  };
  o.refunds = [...(o.refunds ?? []), refund];
  history.refunds.push([id, value]);
  return { refund };
}

export interface ExpectedErpOrder {
  cancelled: boolean;
  /** sku (or line id) → units on the sales document. */
  lines: Map<string, number>;
  /** refund legacy id → amount "12.34". */
  refunds: Map<string, string>;
}

/** What the ERP must hold: every unit not removed by an edit (refunded units stay: their refund is a credit note). */
export function expectedInErp(order: FakeOrder, history: OrderHistory): ExpectedErpOrder {
  const lines = new Map<string, number>();
  for (const line of linesOf(order)) {
    const units = line.quantity - (history.removed.get(line.id) ?? 0);
    if (units > 0) lines.set(line.id.split("/").pop()!, units);
  }
  return {
    cancelled: history.cancelled,
    lines,
    refunds: new Map(history.refunds.map(([gid, c]) => [gid.split("/").pop()!, (c / 100).toFixed(2)])),
  };
}
