// customers/redact: remove a customer's personal data from what we stored for
// the listed orders (ledger snapshots and the webhook inbox). Order lines,
// amounts and ids stay: the ERP already has the order and staff still need
// to see what was synced. Works on any stored JSON shape by key, so it keeps
// working when snapshot formats change.
import type { PrismaClient } from "@prisma/client";

const PERSONAL_KEYS = new Set([
  "email",
  "contact_email",
  "phone",
  "customer",
  "billing_address",
  "shipping_address",
  "client_details",
  "browser_ip",
  "first_name",
  "last_name",
  "name_on_card",
  // canonical-order keys (camelCase) in case a snapshot stores that shape
  "billingAddress",
  "shippingAddress",
  "firstName",
  "lastName",
]);

/** Personal-data fields replaced by null, at any depth. */
export function redactPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactPersonalData);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = PERSONAL_KEYS.has(key) ? null : redactPersonalData(inner);
    }
    return out;
  }
  return value;
}

function redactJsonText(text: string): string {
  try {
    return JSON.stringify(redactPersonalData(JSON.parse(text)));
  } catch {
    // Not JSON: nothing structured to keep, so keep nothing.
    return "{}";
  }
}

export interface CustomerRedactRequest {
  shop: string;
  /** Legacy numeric order ids as strings (from orders_to_redact). */
  orderIds: string[];
}

/** Returns how many stored records were redacted. */
export async function redactCustomerOrders(prisma: PrismaClient, req: CustomerRedactRequest): Promise<number> {
  if (req.orderIds.length === 0) return 0;
  let count = 0;
  const ledgerRows = await prisma.orderSync.findMany({
    where: { shop: req.shop, orderId: { in: req.orderIds } },
    select: { id: true, snapshot: true },
  });
  for (const row of ledgerRows) {
    await prisma.orderSync.update({ where: { id: row.id }, data: { snapshot: redactJsonText(row.snapshot) } });
    count++;
  }
  const events = await prisma.webhookEvent.findMany({
    where: { shop: req.shop, orderId: { in: req.orderIds } },
    select: { id: true, payload: true },
  });
  for (const event of events) {
    await prisma.webhookEvent.update({ where: { id: event.id }, data: { payload: redactJsonText(event.payload) } });
    count++;
  }
  return count;
}

/**
 * Compliance payloads list order ids (orders_to_redact, orders_requested) as
 * JSON numbers, which can exceed 2^53. Read them from the raw body text so no
 * digit is lost.
 */
export function readOrderIdList(rawBody: string, key: "orders_to_redact" | "orders_requested"): string[] {
  const match = new RegExp(`"${key}"\\s*:\\s*\\[([^\\]]*)\\]`).exec(rawBody);
  if (!match) return [];
  return match[1]
    .split(",")
    .map((s) => s.trim().replace(/^"|"$/g, ""))
    .filter((s) => /^\d+$/.test(s));
}
