// What the ERP document holds, kept on the ledger row (OrderSync.sentDocument)
// each time a create or update succeeds, and the words for what changed
// since. When Shopify edits an order whose ERP document can no longer be
// changed (shipped, invoiced, confirmed), staff get the exact change to make
// by hand ("Line MUG-MORGEN 4 → 0; total 103.88 → 45.88 EUR"), not silence.
import type { CanonicalOrder } from "./canonical-order";
import { compareDecimals } from "../../lib/decimal";

export interface DocumentSummary {
  currency: string;
  total: string;
  /** Keyed by Shopify line item id; label is the SKU, or the name without one. */
  lines: Array<{ lineId: string; label: string; quantity: number }>;
}

export function summarizeDocument(order: CanonicalOrder): DocumentSummary {
  return {
    currency: order.currency,
    total: order.totals.total,
    lines: order.lines.map((l) => ({ lineId: l.lineId, label: l.sku ?? l.displayName, quantity: l.quantity })),
  };
}

export function parseDocumentSummary(text: string | null): DocumentSummary | null {
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as DocumentSummary;
    return Array.isArray(parsed.lines) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The differences from what the ERP holds to the new document, in one line
 * ("Line MUG-MORGEN 4 → 0; line GIFT-BOX 0 → 1; total 103.88 → 45.88 EUR"),
 * or null when the lines and total are the same (another field changed).
 */
export function describeChanges(before: DocumentSummary, after: CanonicalOrder): string | null {
  const now = summarizeDocument(after);
  const changes: string[] = [];
  const afterById = new Map(now.lines.map((l) => [l.lineId, l]));
  for (const line of before.lines) {
    const next = afterById.get(line.lineId);
    if (!next) changes.push(`${line.label} ${line.quantity} → 0`);
    else if (next.quantity !== line.quantity) changes.push(`${line.label} ${line.quantity} → ${next.quantity}`);
  }
  const beforeIds = new Set(before.lines.map((l) => l.lineId));
  for (const line of now.lines) if (!beforeIds.has(line.lineId)) changes.push(`${line.label} 0 → ${line.quantity}`);
  const parts = changes.map((c, i) => (i === 0 ? `Line ${c}` : `line ${c}`));
  if (before.total && now.total && compareDecimals(before.total, now.total) !== 0) {
    parts.push(`total ${before.total} → ${now.total} ${now.currency}`);
  }
  return parts.length > 0 ? parts.join("; ") : null;
}
