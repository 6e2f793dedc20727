// Optional ERP-side check: for orders the ledger says are synced, ask the ERP
// whether it really holds them with the same total. Differences come back as
// problems in plain words; the engine decides how to store and show them.
import type { ErpConnector } from "../connectors/port";
import { compareDecimals, isDecimal } from "../lib/decimal";
import type { LedgerReader } from "./ports";

export interface ErpDifference {
  orderId: string;
  orderName: string;
  externalId: string;
  kind: "missing_in_erp" | "total_mismatch";
  shopifyTotal: string | null;
  erpTotal: string | null;
  /** What staff see, with what to do next. */
  message: string;
}

export interface ErpCheckOptions {
  shop: string;
  from: Date;
  to: Date;
  /** At most this many orders per check (ERP calls are not free). */
  limit?: number;
  signal?: AbortSignal;
}

export async function checkErpTotals(ledger: LedgerReader, connector: ErpConnector, options: ErpCheckOptions): Promise<ErpDifference[]> {
  const differences: ErpDifference[] = [];
  const rows = await ledger.syncedBetween(options.shop, options.from, options.to, options.limit ?? 200);
  for (const row of rows) {
    if (options.signal?.aborted) break;
    const ref = await connector.findOrder(row.externalId, {
      idempotencyKey: `erp-check:${row.externalId}`,
      signal: options.signal,
    });
    if (!ref) {
      differences.push({
        orderId: row.orderId,
        orderName: row.orderName,
        externalId: row.externalId,
        kind: "missing_in_erp",
        shopifyTotal: row.shopifyTotal,
        erpTotal: null,
        message: `Order ${row.orderName} is marked as synced, but the ERP has no order with reference ${row.externalId}. It may have been deleted in the ERP. Use "Retry" on the order to send it again.`,
      });
      continue;
    }
    if (row.shopifyTotal && isDecimal(ref.total ?? null) && isDecimal(row.shopifyTotal) && compareDecimals(ref.total!, row.shopifyTotal) !== 0) {
      differences.push({
        orderId: row.orderId,
        orderName: row.orderName,
        externalId: row.externalId,
        kind: "total_mismatch",
        shopifyTotal: row.shopifyTotal,
        erpTotal: ref.total!,
        message: `Order ${row.orderName}: the ERP total (${ref.total}) differs from Shopify's (${row.shopifyTotal}). Check the order in the ERP (it may have been edited there), then correct it or use "Retry" to send Shopify's version again.`,
      });
    }
  }
  return differences;
}
