// The order page's lines: what Shopify has now (title, SKU, current quantity,
// unit price) and the ERP item each goes out as, with where that came from
// (the SKU mapping table, or the SKU itself when the connector allows it),
// the same rule the engine applies (app/sync/order/order-mapper.ts,
// applyItemNumbers). A line the order's problem names (its SKU, or the item
// number it maps to) is marked, so the page offers the fix in place.
import type { PrismaClient } from "@prisma/client";
import { connectorDefinition } from "../connectors/index";
import { lookupItemNumbers } from "../settings/sku-mapping.server";
import { shopifyRestOrderSchema } from "../sync/order/shopify-rest-order";
import { parseJsonExact } from "../sync/order/exact-json";

export type ItemSource = "mapping" | "sku" | "none";

export interface OrderLine {
  key: string;
  title: string;
  sku: string | null;
  quantity: number;
  unitPrice: string | null;
  /** The ERP item number the line goes out as; null when it has none. */
  erpItem: string | null;
  /** mapping: from the SKU mapping table; sku: the SKU itself; none: no item number. */
  itemSource: ItemSource;
  /** The order's problem is about this line's item (unknown in the ERP, or unmapped). */
  itemProblem: boolean;
}

/** The order's problem text names this SKU or item number as a token (not part of a longer SKU). */
export function mentions(text: string, token: string): boolean {
  if (!token) return false;
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_-])${escaped}($|[^A-Za-z0-9_-])`).test(text);
}

export function lineTitle(l: { name?: string | null; title?: string | null; variant_title?: string | null }): string {
  if (l.name) return l.name;
  return [l.title, l.variant_title].filter(Boolean).join(" / ") || "Line item";
}

export async function loadOrderLines(prisma: PrismaClient, shop: string, orderSyncId: string): Promise<{ lines: OrderLine[]; currency: string | null }> {
  const row = await prisma.orderSync.findFirst({ where: { id: orderSyncId, shop }, select: { snapshot: true, problems: true, lastError: true, state: true } });
  if (!row || !row.snapshot || row.snapshot === "{}") return { lines: [], currency: null };
  let parsed;
  try {
    parsed = shopifyRestOrderSchema.safeParse(parseJsonExact(row.snapshot));
  } catch {
    return { lines: [], currency: null };
  }
  if (!parsed.success) return { lines: [], currency: null };
  const order = parsed.data;
  const settings = await prisma.shopSettings.findUnique({ where: { shop }, select: { connectorType: true } });
  const fallback = connectorDefinition(settings?.connectorType ?? "")?.describe().skuFallbackAllowed ?? true;
  const skus = order.line_items.map((l) => l.sku?.trim() ?? "").filter(Boolean);
  const mapping = skus.length > 0 ? await lookupItemNumbers(prisma, shop, skus) : new Map<string, string>();
  // Only an order that is stopped has a problem to fix; a queued one keeps its last error until the next attempt.
  const stopped = row.state === "needs_attention" || row.state === "failed" || row.state === "retrying";
  const problemText = stopped ? `${row.problems}\n${row.lastError ?? ""}` : "";
  const lines = order.line_items
    .filter((l) => !l.tip_payment_gateway && !l.tip_payment_method)
    .map((l, i): OrderLine => {
      const sku = l.sku?.trim() || null;
      const mapped = sku ? mapping.get(sku) : undefined;
      const erpItem = mapped ?? (sku && fallback ? sku : null);
      const itemSource: ItemSource = mapped !== undefined ? "mapping" : erpItem ? "sku" : "none";
      const itemProblem = Boolean(sku && !l.gift_card && (mentions(problemText, sku) || (erpItem !== null && mentions(problemText, erpItem))));
      return {
        key: String(l.id ?? i),
        title: lineTitle(l),
        sku,
        quantity: l.current_quantity ?? l.quantity,
        unitPrice: l.price === null || l.price === undefined ? null : String(l.price),
        erpItem,
        itemSource,
        itemProblem,
      };
    });
  return { lines, currency: order.currency ?? null };
}
