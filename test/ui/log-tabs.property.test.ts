// The log's tabs against a reference model: for any mix of ledger rows (every
// state, resolved by staff or not, two shops), each tab lists exactly the rows
// the model puts there, its count is that number, and a row's shown state is
// "resolved" exactly when it is synced and resolved by staff.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { LOG_TABS, listOrderLog, logTabCounts, parseOrderLogFilters, shownState, type LogTab } from "../../app/models/order-log.server";
import { SYNC_STATES } from "../../app/sync/ledger/states";
import { ledgerRow } from "./seed";

const SHOP = "model.myshopify.com";
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

/** The model: which tab a row belongs to besides "all". */
function modelTab(row: { state: string; resolvedBy: string | null }): LogTab | null {
  if (row.state === "needs_attention" || row.state === "failed") return "attention";
  if (row.state === "retrying") return "retrying";
  if (row.state === "skipped") return "skipped";
  if (row.state === "synced" && row.resolvedBy) return "resolved";
  return null;
}

const rowArb = fc.record({
  state: fc.constantFrom(...SYNC_STATES),
  resolvedBy: fc.option(fc.constantFrom("Ann Lee", "staff"), { nil: null }),
  mine: fc.boolean(),
});

describe("log tabs", () => {
  it("list and count exactly what the model says, for any rows", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 25 }), async (rows) => {
        await db.prisma.orderSync.deleteMany({});
        const created = [];
        for (const r of rows) {
          created.push(await db.prisma.orderSync.create({ data: ledgerRow({ shop: r.mine ? SHOP : "other.myshopify.com", state: r.state, resolvedBy: r.resolvedBy }) }));
        }
        const mine = created.filter((c) => c.shop === SHOP);
        const counts = await logTabCounts(db.prisma, SHOP);
        for (const tab of LOG_TABS) {
          const expected = mine.filter((c) => tab === "all" || modelTab(c) === tab).map((c) => c.id).sort();
          const page = await listOrderLog(db.prisma, SHOP, parseOrderLogFilters(new URLSearchParams(tab === "all" ? "" : `tab=${tab}`)), { pageSize: 100 });
          expect(page.rows.map((r) => r.id).sort()).toEqual(expected);
          expect(counts[tab]).toBe(expected.length);
          for (const r of page.rows) expect(r.shownState).toBe(shownState(mine.find((c) => c.id === r.id)!));
        }
        for (const c of mine) expect(shownState(c) === "resolved").toBe(c.state === "synced" && c.resolvedBy !== null);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
