// The order page's three-way comparison (docs/reconciliation.md, "Three-way
// diff"): Shopify now, the document last sent (OrderSync.sentDocument) and
// the ERP document read back (connector readOrder), field by field; and the
// ERP writes that make the ERP equal Shopify again, planned from the
// differences the same way the engine plans them from the ledger (create,
// update, cancel, credit note). Pure: the model does the reading and the
// queueing (app/models/order-diff.server.ts).
import type { ErpOrderDocument } from "../../connectors/port";
import { addDecimals, compareDecimals, isDecimal, multiplyDecimal, subtractDecimals } from "../../lib/decimal";
import type { CanonicalOrder } from "./canonical-order";
import type { DocumentSummary } from "./document-summary";

export interface DiffRow {
  /** "Line TSHIRT-BLUE-M quantity", "Shipping", "Total", "Cancelled". */
  field: string;
  shopify: string | null;
  sent: string | null;
  erp: string | null;
  /** Shopify and the ERP disagree. */
  differs: boolean;
}

export type RepairWrite = "create" | "update" | "cancel" | "refund";

export interface RepairPlan {
  writes: RepairWrite[];
  /** Refund ids whose credit note the ERP lacks. */
  refundIds: string[];
  /** Set when the ERP cannot take the writes: why, and what to do there. */
  refusal: string | null;
  /** One sentence for staff: what "Apply the difference" does, or that nothing differs. */
  summary: string;
}

const same = (a: string | null, b: string | null) => (a === null || b === null ? a === b : isDecimal(a) && isDecimal(b) ? compareDecimals(a, b) === 0 : a === b);

/** Item lines of Shopify's order by ERP code (item number, else SKU, else name): quantity and amount after discounts. */
function shopifyLines(order: CanonicalOrder): Map<string, { quantity: number; amount: string }> {
  const lines = new Map<string, { quantity: number; amount: string }>();
  for (const l of order.lines) {
    if (l.kind !== "product" || l.quantity === 0) continue;
    const code = l.itemNumber ?? l.sku ?? l.displayName;
    const prev = lines.get(code) ?? { quantity: 0, amount: "0" };
    lines.set(code, { quantity: prev.quantity + l.quantity, amount: addDecimals(prev.amount, subtractDecimals(multiplyDecimal(l.unitPrice, l.quantity), l.discount)) });
  }
  return lines;
}

function erpLines(doc: ErpOrderDocument): Map<string, { quantity: string; amount: string }> {
  const lines = new Map<string, { quantity: string; amount: string }>();
  for (const l of doc.lines) {
    if (l.kind !== "item") continue;
    const code = l.code ?? l.description;
    const prev = lines.get(code) ?? { quantity: "0", amount: "0" };
    lines.set(code, { quantity: addDecimals(prev.quantity, l.quantity), amount: addDecimals(prev.amount, l.amount) });
  }
  return lines;
}

const plainQuantity = (q: string) => q.replace(/\.0+$/, "").replace(/(\.\d*?)0+$/, "$1");

/**
 * The rows of the comparison. `itemNumberOf` turns a sent line's label (its
 * SKU) into the ERP code the same way the order's lines were.
 */
export function compareThreeWay(input: { shopify: CanonicalOrder | null; sent: DocumentSummary | null; erp: ErpOrderDocument | null; itemNumberOf?: (sku: string) => string }): DiffRow[] {
  const { shopify, sent, erp } = input;
  const rows: DiffRow[] = [];
  const s = shopify ? shopifyLines(shopify) : new Map<string, { quantity: number; amount: string }>();
  const e = erp ? erpLines(erp) : new Map<string, { quantity: string; amount: string }>();
  const sentQty = new Map<string, number>();
  for (const l of sent?.lines ?? []) {
    const code = input.itemNumberOf?.(l.label) ?? l.label;
    if (l.quantity) sentQty.set(code, (sentQty.get(code) ?? 0) + l.quantity);
  }
  const codes = [...new Set([...s.keys(), ...e.keys(), ...sentQty.keys()])];
  for (const code of codes) {
    const sq = s.has(code) ? String(s.get(code)!.quantity) : shopify ? "0" : null;
    const eq = e.has(code) ? plainQuantity(e.get(code)!.quantity) : erp ? "0" : null;
    rows.push({ field: `Line ${code}: quantity`, shopify: sq, sent: sent ? String(sentQty.get(code) ?? 0) : null, erp: eq, differs: Boolean(shopify && erp) && !same(sq, eq) });
    const sa = s.get(code)?.amount ?? (shopify ? "0" : null);
    const ea = e.get(code)?.amount ?? (erp ? "0" : null);
    rows.push({ field: `Line ${code}: amount after discounts`, shopify: sa, sent: null, erp: ea, differs: Boolean(shopify && erp) && !same(sa, ea) });
  }
  const shipping = shopify ? addDecimals("0", ...shopify.shippingLines.map((l) => subtractDecimals(l.price, l.discount))) : null;
  rows.push({ field: "Shipping", shopify: shipping, sent: null, erp: erp?.shipping ?? null, differs: Boolean(shopify && erp) && !same(shipping, erp!.shipping) });
  // With prices that include tax the ERP document carries no tax line: nothing to compare.
  if (!(shopify?.taxesIncluded && erp && compareDecimals(erp.tax, "0") === 0)) {
    const tax = shopify?.totals.tax ?? null;
    rows.push({ field: "Tax", shopify: tax, sent: null, erp: erp?.tax ?? null, differs: Boolean(shopify && erp) && !same(tax, erp!.tax) });
  }
  const total = shopify?.totals.total ?? null;
  rows.push({ field: "Total", shopify: total, sent: sent?.total ?? null, erp: erp?.total ?? null, differs: Boolean(shopify && erp) && !same(total, erp!.total) });
  const yesNo = (v: boolean) => (v ? "yes" : "no");
  const sc = shopify ? yesNo(shopify.cancelledAt !== null) : null;
  const ec = erp ? yesNo(erp.cancelled) : null;
  rows.push({ field: "Cancelled", shopify: sc, sent: null, erp: ec, differs: Boolean(shopify && erp) && sc !== ec });
  return rows;
}

/**
 * The writes that make the ERP equal Shopify. `editable` false (the ERP says
 * the document no longer takes changes) turns an update or cancel into a
 * refusal that says what to change in the ERP by hand.
 */
export function planRepair(input: { shopify: CanonicalOrder; erp: ErpOrderDocument | null; rows: DiffRow[]; missingRefundIds: string[]; editable?: boolean }): RepairPlan {
  const { shopify, erp } = input;
  const cancelled = shopify.cancelledAt !== null;
  const none = (summary: string): RepairPlan => ({ writes: [], refundIds: [], refusal: null, summary });
  if (!erp) {
    if (cancelled) return none("The order is cancelled in Shopify and the ERP has no document for it: nothing to send.");
    return { writes: ["create"], refundIds: [], refusal: null, summary: "The ERP has no document for this order: it will be created (looked up first, so never twice)." };
  }
  const name = erp.documentNumber ?? erp.documentId;
  if (erp.cancelled && !cancelled) {
    return {
      writes: [],
      refundIds: [],
      refusal: `The ERP document ${name} is cancelled, but the order is live in Shopify. This app does not reopen cancelled documents: reopen or re-enter it in the ERP, then choose "Mark resolved".`,
      summary: "The ERP holds this order as cancelled.",
    };
  }
  const contentDiffers = input.rows.some((r) => r.differs && r.field !== "Cancelled");
  const writes: RepairWrite[] = [];
  if (cancelled && !erp.cancelled) writes.push("cancel");
  else if (contentDiffers) writes.push("update");
  if (input.missingRefundIds.length && !cancelled) writes.push("refund");
  if (writes.length === 0) return none("The ERP document matches Shopify: nothing to send.");
  const changes = input.rows.filter((r) => r.differs).map((r) => `${r.field} ${r.erp ?? "—"} → ${r.shopify ?? "—"}`);
  if (input.editable === false && (writes.includes("update") || writes.includes("cancel"))) {
    const what = writes.includes("cancel") ? "Cancel it (or return it) in the ERP by hand" : `Make these changes in the ERP by hand: ${changes.join("; ")}`;
    return { writes: [], refundIds: [], refusal: `The ERP document ${name} is ${erp.status ?? "locked"} and no longer takes changes. ${what}, then choose "Mark resolved".`, summary: "The ERP document no longer takes changes." };
  }
  const words: Record<RepairWrite, string> = { create: "create the document", update: `update ${name} (${changes.join("; ")})`, cancel: `cancel ${name}`, refund: `record ${input.missingRefundIds.length} credit note${input.missingRefundIds.length === 1 ? "" : "s"}` };
  return { writes, refundIds: input.missingRefundIds, refusal: null, summary: `"Apply the difference" will ${writes.map((w) => words[w]).join(", then ")}.` };
}
