// CSV export of the filtered sync log (what staff see in the table, all pages).
// Cells that a spreadsheet would run as a formula are defused with a leading
// apostrophe: order names and error texts come from outside.
import type { PrismaClient } from "@prisma/client";
import { stringify } from "csv-stringify/sync";
import { iterateOrderLog, type OrderLogFilters, type OrderLogRow } from "./order-log.server";

export const CSV_COLUMNS: { key: keyof OrderLogRow; header: string }[] = [
  { key: "orderName", header: "Order" },
  { key: "orderId", header: "Shopify order id" },
  { key: "externalId", header: "External id" },
  { key: "state", header: "Sync state" },
  { key: "operation", header: "Next ERP write" },
  { key: "erpDocument", header: "ERP document" },
  { key: "attemptCount", header: "Attempts" },
  { key: "lastAttemptAt", header: "Last attempt (UTC)" },
  { key: "updatedAt", header: "Last activity (UTC)" },
  { key: "message", header: "Message" },
];

export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvRecord(row: OrderLogRow): string[] {
  return CSV_COLUMNS.map(({ key }) => {
    const value = row[key];
    return value === null || value === undefined ? "" : defuseFormula(String(value));
  });
}

/** Streams the CSV in chunks so a 50,000-row export never sits in memory as one string. */
export function orderLogCsvStream(prisma: PrismaClient, shop: string, filters: OrderLogFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = iterateOrderLog(prisma, shop, filters);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        // BOM: Excel reads the file as UTF-8 (order names with accents stay intact).
        controller.enqueue(encoder.encode("\uFEFF" + stringify([CSV_COLUMNS.map((c) => c.header)])));
        return;
      }
      const batch: string[][] = [];
      for (let i = 0; i < 500; i++) {
        const next = await rows.next();
        if (next.done) break;
        batch.push(csvRecord(next.value));
      }
      if (batch.length > 0) controller.enqueue(encoder.encode(stringify(batch)));
      if (batch.length < 500) controller.close();
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

export function csvFileName(now = new Date()): string {
  return `erp-sync-log-${now.toISOString().slice(0, 10)}.csv`;
}
