// The optional ERP-side check with the real engine: three orders synced into
// the fake ERP, then one document is deleted and another edited in the ERP.
// The check turns exactly those two into "needs attention" items with
// messages, and staff's "Retry" then repairs them (the deleted one is
// created again once, after a look-up; the edited one is updated).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startErpCheckJob } from "../../app/jobs/erp-check-job";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { retryNow } from "../../app/sync/delivery/replay";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";
import { drain, makeWorker } from "../sync/harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";
import { eventually, installShop, quiet } from "./helpers";

const SHOP = "erp-check.myshopify.com";
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

describe("ERP check job", () => {
  it("marks orders missing or different in the ERP as needing attention, and Retry repairs them", async () => {
    await installShop(db.prisma, SHOP);
    const erp = new FakeErp();
    const provider = new TestConfigProvider().set(SHOP, { erp });
    const ids = [9_100_000_000_001n, 9_100_000_000_002n, 9_100_000_000_003n];
    for (const [i, id] of ids.entries()) {
      await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", makeOrder({ id, name: `#${2001 + i}` })));
    }
    const { worker } = makeWorker(db.prisma, provider);
    await drain(worker);
    expect(await db.prisma.orderSync.count({ where: { shop: SHOP, state: "synced" } })).toBe(3);

    // In the ERP: #2001 is deleted, #2002's total is edited, #2003 stays as sent.
    erp.documents.splice(erp.documents.findIndex((d) => d.externalId === `shopify-${ids[0]}`), 1);
    const edited = erp.documents.find((d) => d.externalId === `shopify-${ids[1]}`)!;
    edited.order.totals.total = "1.00";

    // The job checks once at start (then every everyMs).
    const job = startErpCheckJob({ prisma: db.prisma, logger: quiet, configProvider: provider, everyMs: 3600_000, settleMs: 0, now: () => Date.now() + 1000 });
    try {
      await eventually(async () => (await db.prisma.orderSync.count({ where: { shop: SHOP, state: "needs_attention" } })) === 2);
      // A second look changes nothing: those rows are no longer "synced".
      expect(await job.checkAll()).toEqual([expect.objectContaining({ shop: SHOP, differences: 0 })]);
    } finally {
      await job.stop();
    }
    const rows = await db.prisma.orderSync.findMany({ where: { shop: SHOP }, orderBy: { orderName: "asc" } });
    expect(rows.map((r) => r.state)).toEqual(["needs_attention", "needs_attention", "synced"]);
    expect(JSON.parse(rows[0].problems)[0]).toBe(
      `Order #2001 is marked as synced, but the ERP has no order with reference shopify-${ids[0]}. It may have been deleted in the ERP. Use "Retry" on the order to send it again.`,
    );
    expect(JSON.parse(rows[1].problems)[0]).toMatch(/^Order #2002: the ERP total \(1\.00\) differs from Shopify's \(\d+\.\d\d\)\./);
    const audit = await db.prisma.orderAction.findMany({ where: { shop: SHOP }, select: { action: true, actor: true } });
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "erp_check_missing_in_erp", actor: "ERP check" },
        { action: "erp_check_total_mismatch", actor: "ERP check" },
      ]),
    );

    // Staff press "Retry" on both.
    await retryNow(db.prisma, { shop: SHOP, ids: [rows[0].id, rows[1].id], actor: "staff user 1" });
    await drain(worker);
    expect(await db.prisma.orderSync.count({ where: { shop: SHOP, state: "synced" } })).toBe(3);
    expect(erp.documentsFor(`shopify-${ids[0]}`)).toHaveLength(1); // created again, once
    expect(erp.documentsFor(`shopify-${ids[1]}`)[0].order.totals.total).not.toBe("1.00"); // Shopify's version again
    expect(erp.documentsFor(`shopify-${ids[2]}`)[0].updates).toBe(0); // untouched
  });
});
