// What a connector would book for an order, without any request: the parts
// of the sales document (support/document-parts.ts) with where each is
// booked, as plain values the settings dry run (app/dry-run/) compares
// between the saved and the proposed connector settings. A part whose
// setting is empty throws the same "needs attention" problem the connector
// raises before writing.
import type { CanonicalOrder } from "../../sync/order/canonical-order";
import { salesDocumentParts, type BookingSettings, type TaxHandling } from "./document-parts";

export interface PreviewPart {
  /** "item RED-MUG" (the product's own item) or "shipping → SHIP" (the item/account set for shipping). */
  bookedOn: string;
  description: string;
  quantity: number;
  amount: string;
}

export function previewParts(order: CanonicalOrder, settings: BookingSettings, taxHandling: TaxHandling): PreviewPart[] {
  return salesDocumentParts(order, settings, taxHandling).map((p) => ({
    bookedOn: p.booking.on === "item" ? `item ${p.booking.number}` : `${p.booking.on} → ${p.booking.number}`,
    description: p.description,
    quantity: p.quantity,
    amount: p.amount,
  }));
}

/** The settings form's raw values for these keys, trimmed, empty as undefined (what the config schemas make of them). */
export function settingValues<K extends string>(values: Record<string, string | undefined>, keys: readonly K[]): Record<K, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, values[k]?.trim() || undefined])) as Record<K, string | undefined>;
}
