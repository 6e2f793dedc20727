// Permanent problems with the order's own data, phrased for shop staff:
// which order, which line, what to do next.
import type { CanonicalLine, CanonicalOrder } from "../../sync/order/canonical-order";
import { ErpError } from "../port";

export function orderProblem(order: CanonicalOrder, problem: string, whatToDo: string): ErpError {
  return new ErpError({
    kind: "permanent",
    message: `Order ${order.name}: ${problem}`,
    userMessage: `Cannot sync order ${order.name}: ${problem}. ${whatToDo}`,
  });
}

/**
 * The ERP document can no longer be changed (it is shipped, invoiced or
 * confirmed there). The engine adds what changed in Shopify to the message.
 */
export function documentLockedProblem(order: CanonicalOrder, document: string, state: string, whatToDo: string): ErpError {
  return new ErpError({
    kind: "permanent",
    message: `Order ${order.name}: ${document} is ${state} and cannot be changed`,
    userMessage: `Order ${order.name} changed in Shopify, but ${document} is already ${state}, so the app cannot change it. ${whatToDo}`,
    documentLocked: true,
  });
}

export function missingItemNumberProblem(order: CanonicalOrder, lines: CanonicalLine[]): ErpError {
  const names = lines.map((l) => `"${l.displayName}"`).join(", ");
  return orderProblem(
    order,
    `${lines.length === 1 ? "line item" : "line items"} ${names} ${lines.length === 1 ? "has" : "have"} no SKU`,
    "Add a SKU to the variant in Shopify (or a SKU mapping in Settings), then retry.",
  );
}

/**
 * The order (or one of its refunds) has a part the connector books on an
 * item or account set in Settings, and that setting is empty. `needs` pairs
 * what the order has ("a tip of 5.00 USD") with the setting's label as the
 * form shows it, so staff know exactly which field to fill in.
 */
export function missingSettingsProblem(order: CanonicalOrder, needs: { what: string; setting: string }[]): ErpError {
  const settings = [...new Set(needs.map((n) => `"${n.setting}"`))];
  const problem = needs.map((n) => `${n.what}, but "${n.setting}" is not set`).join("; ");
  return orderProblem(order, problem, `Set ${settings.join(" and ")} in Settings, then retry.`);
}

/** A product or account set in Settings that the ERP does not have. */
export function unknownSettingProblem(order: CanonicalOrder, erpName: string, setting: string, value: string): ErpError {
  return orderProblem(
    order,
    `"${value}", set as "${setting}" in Settings, does not exist in ${erpName}`,
    `Create it in ${erpName} or correct "${setting}" in Settings, then retry.`,
  );
}

export function unknownItemsProblem(order: CanonicalOrder, erpName: string, lines: CanonicalLine[]): ErpError {
  const list = lines.map((l) => `"${l.displayName}" (item number ${l.itemNumber})`).join(", ");
  const problem = `${erpName} has no item for ${list}`;
  // The order waits for the item to appear, or for its SKU to be mapped to
  // another one: either re-queues it (app/health/self-heal.server.ts).
  const waitingOn = [
    ...lines.flatMap((l) => (l.itemNumber ? [`item:${l.itemNumber}`] : [])),
    ...lines.flatMap((l) => (l.sku ? [`sku:${l.sku}`] : [])),
  ];
  // What to do in this app first: the order page offers the mapping in place.
  return new ErpError({
    kind: "permanent",
    message: `Order ${order.name}: ${problem}`,
    userMessage: `Cannot sync order ${order.name}: ${problem}. Map the SKU to an existing ERP item in ERP Order Sync (on this order's page, or Settings → SKU mapping), or create the item in ${erpName} with that number; the app then retries it by itself.`,
    waitingOn: [...new Set(waitingOn)],
  });
}

/** Copy of an error that says the write may have happened (the next attempt must look up first). */
export function asOutcomeUnknown(error: unknown): unknown {
  if (!(error instanceof ErpError) || error.outcomeUnknown) return error;
  return new ErpError({
    kind: error.kind,
    message: error.message,
    userMessage: error.userMessage,
    outcomeUnknown: true,
    retryAfterMs: error.retryAfterMs,
    httpStatus: error.httpStatus,
    responseSummary: error.responseSummary,
    cause: error.cause,
  });
}
