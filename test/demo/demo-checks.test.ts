// `npm run demo -- --check` judging the outcome. The stream cancels one
// ordinary order (#1103 in a 12-order run) shortly after creating it, during
// the demo's ERP outage. Whether its create reached the ERP before the
// cancellation depends on timing: under load it is still being retried, and
// the engine then (by design) never sends it and marks it skipped. The check
// once required that order in the ERP as an "ordinary order" too, so the
// demo test failed on a slow machine although the app did the right thing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkOutcome } from "../../scripts/demo/checks";
import type { DemoErp } from "../../scripts/demo/demo-erp";
import { demoEvents, type DemoEvent } from "../../scripts/demo/order-stream";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { seedLedger } from "../ui/seed";

const SHOP = "demo-check.myshopify.com";
const events = demoEvents(12);
const creates = events.filter((e) => e.topic === "orders/create" && e.expect !== "duplicate");
const cancelledName = events.find((e) => e.expect === "cancelled")!.orderName;
const externalIdOf = (e: DemoEvent) => `shopify-${/"admin_graphql_api_id":"gid:\/\/shopify\/Order\/(\d+)"/.exec(e.body)![1]}`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());
beforeEach(async () => {
  await db.prisma.orderSync.deleteMany();
});

/** The ledger and ERP as the app leaves them when the cancellation came before the create was sent. */
async function cancelledBeforeSent(extraInErp: string[] = []) {
  const erpOrders = new Map<string, { status: string }>();
  for (const e of creates) {
    const problem = e.expect === "no-sku" ? "has no SKU" : e.expect === "unknown-item" ? "does not exist in the ERP" : null;
    const skipped = e.orderName === cancelledName;
    await seedLedger(db.prisma, [
      {
        shop: SHOP,
        orderName: e.orderName,
        externalId: externalIdOf(e),
        state: problem ? "needs_attention" : skipped ? "skipped" : "synced",
        lastError: problem ? `Line item ${problem}.` : null,
      },
    ]);
    if (!problem && !skipped) erpOrders.set(externalIdOf(e), { status: "quotation" });
  }
  for (const name of extraInErp) erpOrders.set(externalIdOf(creates.find((e) => e.orderName === name)!), { status: "quotation" });
  const erp = { orders: erpOrders, outageRefusals: 3 } as unknown as DemoErp;
  const results = await checkOutcome({ prisma: db.prisma, shop: SHOP, erp, events });
  return Object.fromEntries(results.map((r) => [r.name, r.ok]));
}

describe("demo check outcome", () => {
  it("accepts the cancelled order never having been sent, and still requires every other ordinary order", async () => {
    expect(cancelledName).toBe("#1103");
    const ok = await cancelledBeforeSent();
    expect(ok["ordinary orders reached the ERP"]).toBe(true);
    expect(ok["ordinary orders are shown as synced"]).toBe(true);
    expect(ok["the cancelled order is cancelled in the ERP (or never sent)"]).toBe(true);
    expect(ok["the ERP outage was ridden out by retries"]).toBe(true);
  });

  it("fails when the skipped cancelled order exists in the ERP after all (an orphan left open)", async () => {
    const ok = await cancelledBeforeSent([cancelledName]);
    expect(ok["the cancelled order is cancelled in the ERP (or never sent)"]).toBe(false);
  });
});
