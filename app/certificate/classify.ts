// The completeness certificate's verdict, as a pure function: given the
// orders Shopify says were created in a window, what the ledger holds for
// them and what the ERP read back holds per external id, count the three
// and name every exception (docs/reconciliation.md, "Completeness
// certificate"). No I/O here, so every rule is tested on its own.
import type { ErpDocumentSummary } from "../connectors/port";
import { compareDecimals, isDecimal } from "../lib/decimal";

/** What the certificate needs of one Shopify order. */
export interface ShopifyOrderHead {
  orderId: string;
  name: string;
  createdAt: string;
  cancelled: boolean;
  /** Shopify's current total (after edits), shop currency. */
  total: string | null;
}

/** What the ledger (OrderSync) says about one order. */
export interface LedgerFacts {
  orderId: string;
  externalId: string;
  state: string;
  /** The total the engine sent (what the ERP document should total). */
  shopifyTotal: string | null;
  cancelledInShopify: boolean;
  skipReason: string | null;
}

export type CertificateExceptionKind = "missing_in_ledger" | "missing_in_erp" | "duplicated" | "total_mismatch";

/** Each kind in staff's words (pages, CSV). */
export const EXCEPTION_KIND_WORDS: Record<CertificateExceptionKind, string> = {
  missing_in_erp: "Missing in the ERP",
  duplicated: "Duplicated in the ERP",
  total_mismatch: "Different total",
  missing_in_ledger: "Never received by the app",
};

export interface CertificateException {
  kind: CertificateExceptionKind;
  orderId: string;
  orderName: string;
  createdAt: string;
  externalId: string | null;
  ledgerState: string | null;
  shopifyTotal: string | null;
  erpTotal: string | null;
  /** Every ERP document holding the external id (cancelled ones too). */
  erpDocuments: ErpDocumentSummary[];
  /** Plain words for staff: what is wrong and what to do in this app first. */
  message: string;
}

export interface CertificateCounts {
  /** Orders Shopify lists as created in the window. */
  shopify: number;
  /** Of those, orders the app's ledger holds. */
  ledger: number;
  /** Of those, orders the shop's rules keep out of the ERP (not expected there). */
  skipped: number;
  /** Orders that should have a document in the ERP. */
  expectedInErp: number;
  /** Orders with at least one document in the ERP that is not cancelled. */
  erp: number;
  /** Documents in the ERP (not cancelled) for these orders; above `erp` when some are doubled. */
  erpDocuments: number;
  missingInErp: number;
  duplicated: number;
  totalMismatch: number;
  missingInLedger: number;
}

export interface CertificateVerdict {
  counts: CertificateCounts;
  exceptions: CertificateException[];
  clean: boolean;
}

/**
 * `readBack` null: the ERP cannot be read back (connector without readBack),
 * so the ERP columns stay at 0 and only the ledger is checked.
 */
export function classifyCertificate(orders: ShopifyOrderHead[], ledger: Map<string, LedgerFacts>, readBack: Map<string, ErpDocumentSummary[]> | null): CertificateVerdict {
  const counts: CertificateCounts = { shopify: orders.length, ledger: 0, skipped: 0, expectedInErp: 0, erp: 0, erpDocuments: 0, missingInErp: 0, duplicated: 0, totalMismatch: 0, missingInLedger: 0 };
  const exceptions: CertificateException[] = [];
  for (const order of orders) {
    const row = ledger.get(order.orderId);
    const base = { orderId: order.orderId, orderName: order.name, createdAt: order.createdAt, shopifyTotal: row?.shopifyTotal ?? order.total };
    if (!row) {
      counts.missingInLedger++;
      exceptions.push({
        ...base,
        kind: "missing_in_ledger",
        externalId: null,
        ledgerState: null,
        erpTotal: null,
        erpDocuments: [],
        message: `Order ${order.name} is in Shopify but the app never received it. Use "Check for missed orders now" on the dashboard; the app then sends it.`,
      });
      continue;
    }
    counts.ledger++;
    const documents = readBack?.get(row.externalId) ?? [];
    const active = documents.filter((d) => !d.cancelled);
    const rowFacts = { externalId: row.externalId, ledgerState: row.state, erpDocuments: documents };
    if (row.state === "skipped") {
      counts.skipped++;
      // A skipped order that is in the ERP anyway was put there by someone else: not this app's count.
      continue;
    }
    const cancelled = order.cancelled || row.cancelledInShopify;
    if (!cancelled) counts.expectedInErp++;
    if (!readBack) continue;
    if (active.length > 0) counts.erp++;
    counts.erpDocuments += active.length;
    if (active.length > 1) {
      counts.duplicated++;
      exceptions.push({
        ...base,
        ...rowFacts,
        kind: "duplicated",
        erpTotal: active[0].total ?? null,
        message: `Order ${order.name} is in the ERP ${active.length} times (${active.map((d) => d.documentNumber ?? d.documentId).join(", ")}). Keep the one this app links to (${row.externalId}) and cancel or delete the others in the ERP.`,
      });
      continue;
    }
    if (cancelled) continue; // cancelled in Shopify: no document, or one, is both fine here
    if (active.length === 0) {
      counts.missingInErp++;
      const waiting = row.state !== "synced";
      exceptions.push({
        ...base,
        ...rowFacts,
        kind: "missing_in_erp",
        erpTotal: null,
        message: waiting
          ? `Order ${order.name} is not in the ERP yet: the app holds it as "${row.state.replace("_", " ")}". Open the order in this app to see why, fix that, then choose "Retry".`
          : `Order ${order.name} is marked as sent, but the ERP has no document with reference ${row.externalId} (deleted there?). Open the order in this app, choose "Compare with the ERP", then "Apply the difference" to create it again.`,
      });
      continue;
    }
    const erpTotal = active[0].total ?? null;
    const expected = base.shopifyTotal;
    if (erpTotal && expected && isDecimal(erpTotal) && isDecimal(expected) && compareDecimals(erpTotal, expected) !== 0) {
      counts.totalMismatch++;
      exceptions.push({
        ...base,
        ...rowFacts,
        kind: "total_mismatch",
        erpTotal,
        message: `Order ${order.name}: the ERP document totals ${erpTotal}, Shopify ${expected}. Open the order in this app to compare them line by line and apply the difference.`,
      });
    }
  }
  return { counts, exceptions, clean: exceptions.length === 0 };
}

/** "1,204 orders in Shopify, 1,204 in the ERP, 0 missing, 0 duplicated, 0 with a different total". */
export function certificateHeadline(counts: CertificateCounts, erpReadBack: boolean): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const parts = [`${n(counts.shopify)} orders in Shopify`];
  if (erpReadBack) parts.push(`${n(counts.erp)} in the ERP`);
  else parts.push(`${n(counts.ledger)} in the app (the ERP cannot be read back)`);
  if (counts.skipped) parts.push(`${n(counts.skipped)} kept out by your rules`);
  parts.push(`${n(counts.missingInErp + counts.missingInLedger)} missing`, `${n(counts.duplicated)} duplicated`, `${n(counts.totalMismatch)} with a different total`);
  return parts.join(", ");
}
