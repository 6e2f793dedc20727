// The pure planner of the shipment flow: given one ERP shipment and what
// Shopify shows for its order (fulfilment orders, fulfilments), decide the one
// fulfillmentCreate to send, or the plain-words reason Shopify cannot take it.
// No I/O, so every rule here is tested directly (test/shipments/plan.test.ts)
// and by the model test.
//
// Rules (Shopify: "fulfillmentCreate … for one or many fulfillment orders …
// associated with the same order and … assigned to the same location"):
// - a shipped line is matched to the fulfilment order line items of its
//   Shopify line item (the canonical order's lineId, kept by the ERP), else of
//   its SKU; quantities are taken from what remains, open fulfilment orders
//   at the ERP's location first;
// - only OPEN and IN_PROGRESS fulfilment orders take fulfilments; ON_HOLD,
//   SCHEDULED, CLOSED, CANCELLED and INCOMPLETE ones are explained instead;
// - one ERP shipment is one fulfilment, so items Shopify expects from two
//   locations (or from another location than the ERP's) are a problem, never
//   two fulfilments.
import type {
  ErpShipment,
  FulfillmentCreateInput,
  FulfillmentOrderLine,
  FulfillmentOrderView,
  OrderFulfillmentView,
  ShipmentLine,
} from "./types";

export type ShipmentPlan =
  | { kind: "create"; input: FulfillmentCreateInput; locationName: string }
  | { kind: "problem"; message: string };

const FULFILLABLE = new Set(["OPEN", "IN_PROGRESS"]);

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function lineLabel(line: ShipmentLine, name: string | undefined): string {
  const what = name ?? (line.sku ? `SKU ${line.sku}` : `line ${line.lineId}`);
  return `${line.quantity} × ${what}`;
}

function candidatesFor(line: ShipmentLine, fos: FulfillmentOrderView[]): { fo: FulfillmentOrderView; item: FulfillmentOrderLine }[] {
  const all = fos.flatMap((fo) => fo.lines.map((item) => ({ fo, item })));
  const lineId = line.lineId?.trim();
  if (lineId) {
    const byId = all.filter((c) => c.item.lineItemId === lineId);
    if (byId.length) return byId;
  }
  const sku = line.sku?.trim();
  return sku ? all.filter((c) => c.item.sku?.trim() === sku) : [];
}

/** What is wrong with the shipment itself, before Shopify is looked at. */
export function shipmentProblems(shipment: ErpShipment): string[] {
  const problems: string[] = [];
  if (shipment.lines.length === 0) problems.push(`The ERP's shipment ${shipment.documentNumber ?? shipment.shipmentId} has no lines, so there is nothing to fulfil.`);
  for (const line of shipment.lines) {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      problems.push(`A line of the ERP's shipment (${line.sku ?? line.lineId ?? "no SKU"}) has quantity ${line.quantity}; only whole positive quantities can be fulfilled.`);
    }
    if (!line.lineId?.trim() && !line.sku?.trim()) problems.push("A line of the ERP's shipment has neither a Shopify line id nor a SKU, so the app cannot tell which item it is.");
  }
  return problems;
}

export function planFulfillment(shipment: ErpShipment, view: OrderFulfillmentView, options: { notifyCustomer: boolean }): ShipmentPlan {
  const own = shipmentProblems(shipment);
  if (own.length) return { kind: "problem", message: own.join(" ") };
  const order = view.orderName || "the order";
  const problems: string[] = [];
  /** Units taken from each fulfilment order line item by earlier lines of this shipment. */
  const taken = new Map<string, number>();
  const picks: { fo: FulfillmentOrderView; item: FulfillmentOrderLine; quantity: number }[] = [];
  const erpLocation = shipment.locationName?.trim() || null;

  for (const line of shipment.lines) {
    const candidates = candidatesFor(line, view.fulfillmentOrders);
    const name = candidates[0]?.item.name;
    if (candidates.length === 0) {
      problems.push(`The ERP shipped ${lineLabel(line, undefined)}, which is not on order ${order} in Shopify. Check the shipment in the ERP; if it belongs to another order, correct it there.`);
      continue;
    }
    const left = (c: { item: FulfillmentOrderLine }) => c.item.remainingQuantity - (taken.get(c.item.id) ?? 0);
    const open = candidates
      .filter((c) => FULFILLABLE.has(c.fo.status) && left(c) > 0)
      .sort((a, b) => Number(erpLocation ? sameName(b.fo.locationName, erpLocation) : 0) - Number(erpLocation ? sameName(a.fo.locationName, erpLocation) : 0));
    let need = line.quantity;
    const chosen: typeof picks = [];
    for (const c of open) {
      if (need === 0) break;
      const q = Math.min(need, left(c));
      chosen.push({ ...c, quantity: q });
      need -= q;
    }
    if (need === 0) {
      for (const p of chosen) {
        taken.set(p.item.id, (taken.get(p.item.id) ?? 0) + p.quantity);
        picks.push(p);
      }
      continue;
    }
    const openLeft = open.reduce((s, c) => s + left(c), 0);
    const held = candidates.filter((c) => c.fo.status === "ON_HOLD" && c.item.remainingQuantity > 0);
    const scheduled = candidates.filter((c) => c.fo.status === "SCHEDULED" && c.item.remainingQuantity > 0);
    const closed = candidates.filter((c) => (c.fo.status === "CLOSED" || c.fo.status === "CANCELLED" || c.fo.status === "INCOMPLETE") && c.item.remainingQuantity > 0);
    const everRemaining = candidates.reduce((s, c) => s + c.item.remainingQuantity, 0);
    if (held.length) {
      const reasons = [...new Set(held.flatMap((c) => c.fo.holdReasons))];
      problems.push(
        `Shopify has put the fulfilment of ${name} on order ${order} on hold${reasons.length ? ` (${reasons.join(", ").toLowerCase().replaceAll("_", " ")})` : ""}. Release the hold in Shopify (Order → Release hold), then choose "Retry" here.`,
      );
    } else if (scheduled.length) {
      problems.push(`Shopify has scheduled the fulfilment of ${name} on order ${order} for later (a subscription or pre-order). Mark it ready in Shopify, then choose "Retry" here.`);
    } else if (closed.length) {
      problems.push(`Shopify has closed the fulfilment of ${name} on order ${order} (${closed[0].fo.status.toLowerCase()}): it takes no fulfilment. If the order was cancelled after the ERP shipped, contact the customer; then mark this shipment resolved.`);
    } else if (everRemaining === 0 && openLeft === 0) {
      problems.push(`Shopify already shows ${name} on order ${order} as fulfilled, so this shipment was not recorded again. If someone fulfilled it by hand in Shopify, add the tracking there and mark this shipment resolved.`);
    } else {
      problems.push(`The ERP shipped ${lineLabel(line, name)}, but only ${openLeft} ${openLeft === 1 ? "is" : "are"} left to fulfil on order ${order} in Shopify. Correct the quantity in the ERP, or fulfil by hand in Shopify and mark this shipment resolved.`);
    }
  }
  if (problems.length) return { kind: "problem", message: problems.join(" ") };

  const locations = [...new Set(picks.map((p) => p.fo.locationName))];
  if (locations.length > 1) {
    return {
      kind: "problem",
      message: `Shopify expects the items of this shipment from ${locations.length} locations (${locations.map((l) => `'${l}'`).join(", ")}), and one fulfilment comes from one location. Move the items to one location in Shopify (Order → Change location), or split the shipment in the ERP, then choose "Retry" here.`,
    };
  }
  if (erpLocation && !sameName(locations[0], erpLocation)) {
    return {
      kind: "problem",
      message: `Shopify expects these items from '${locations[0]}'; the ERP shipped from '${erpLocation}'. Change the order's location to '${erpLocation}' in Shopify (Order → Change location), then choose "Retry" here.`,
    };
  }

  const byFo = new Map<string, { id: string; quantity: number }[]>();
  for (const p of picks) {
    const list = byFo.get(p.fo.id) ?? [];
    const same = list.find((l) => l.id === p.item.id);
    if (same) same.quantity += p.quantity;
    else list.push({ id: p.item.id, quantity: p.quantity });
    byFo.set(p.fo.id, list);
  }
  const input: FulfillmentCreateInput = {
    lineItemsByFulfillmentOrder: [...byFo].map(([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems })),
    notifyCustomer: options.notifyCustomer,
  };
  const tracking = trackingInput(shipment);
  if (tracking) input.trackingInfo = tracking;
  return { kind: "create", input, locationName: locations[0] };
}

/** Distinct, trimmed tracking numbers of the shipment, in the ERP's order. */
export function trackingNumbersOf(shipment: ErpShipment): string[] {
  return [...new Set(shipment.tracking.map((t) => t.number.trim()).filter(Boolean))];
}

/**
 * FulfillmentTrackingInput: `numbers` and `urls` (several packages), one
 * `company` (Shopify keeps one carrier per fulfilment: the first the ERP names).
 * URLs are sent only when every number has one, so they stay in step.
 */
function trackingInput(shipment: ErpShipment): FulfillmentCreateInput["trackingInfo"] {
  const numbers = trackingNumbersOf(shipment);
  if (numbers.length === 0) return undefined;
  const company = shipment.tracking.map((t) => t.company?.trim()).find(Boolean);
  const urls = numbers.map((n) => shipment.tracking.find((t) => t.number.trim() === n)?.url?.trim()).filter((u): u is string => Boolean(u));
  return { numbers, ...(company ? { company } : {}), ...(urls.length === numbers.length ? { urls } : {}) };
}

/**
 * The fulfilment an earlier attempt created for this shipment, if any: before
 * sending fulfillmentCreate again after an unknown outcome, the engine looks
 * for a fulfilment created since the first send, not claimed by another ERP
 * shipment, whose tracking numbers and quantities (by line) are the ones this
 * shipment's plan asked for.
 */
export function findOwnFulfillment(
  view: OrderFulfillmentView,
  expected: { trackingNumbers: string[]; quantities: Record<string, number> },
  options: { sentAt: Date | null; claimed: ReadonlySet<string> },
): string | null {
  const want = [...expected.trackingNumbers].sort().join("\n");
  const wantQ = JSON.stringify(Object.entries(expected.quantities).filter(([, q]) => q > 0).sort(([a], [b]) => a.localeCompare(b)));
  for (const f of view.fulfillments) {
    if (options.claimed.has(f.id)) continue;
    if (f.status === "CANCELLED" || f.status === "ERROR" || f.status === "FAILURE") continue;
    if (options.sentAt && Date.parse(f.createdAt) < options.sentAt.getTime() - 60_000) continue;
    if ([...f.trackingNumbers].sort().join("\n") !== want) continue;
    const got = JSON.stringify(Object.entries(f.quantities).filter(([, q]) => q > 0).sort(([a], [b]) => a.localeCompare(b)));
    if (got === wantQ) return f.id;
  }
  return null;
}

/** Quantities by legacy line item id that a plan fulfils (what findOwnFulfillment compares). */
export function plannedQuantities(input: FulfillmentCreateInput, view: OrderFulfillmentView): Record<string, number> {
  const byItem = new Map(view.fulfillmentOrders.flatMap((fo) => fo.lines.map((l) => [l.id, l.lineItemId] as const)));
  const out: Record<string, number> = {};
  for (const group of input.lineItemsByFulfillmentOrder) {
    for (const item of group.fulfillmentOrderLineItems) {
      const lineItemId = byItem.get(item.id) ?? item.id;
      out[lineItemId] = (out[lineItemId] ?? 0) + item.quantity;
    }
  }
  return out;
}
