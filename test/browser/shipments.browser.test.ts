// Shipments in a real browser (Debian's Chromium through playwright-core), at
// 1280 px and on a 390 px phone: the Shipments page with a shipment that
// reached Shopify (its tracking and fulfilment shown) and one that needs a
// person (its reason in words, and Retry that puts it back in the queue), the
// order page's "Shipments from the ERP", and Settings → Who owns what →
// "Shipments and tracking" (both choices). axe-core on every page (0 serious or critical
// violations) and no sideways scrolling. Screenshots go to screenshots/
// (git-ignored).
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "../../testkit/db";
import { WIDTHS, checkPage, markWorkerAlive, screenshot, seedInstalledShop, setUpBrowserApp } from "../support/browser/browser-suite";

const SHOP = "shipments-test.myshopify.com";

const TRACKING = "1Z999AA10123456784";
const LOCATION_REASON =
  "Shopify expects these items from 'Warehouse East'; the ERP shipped from 'Main'. Move the order's items to 'Main' in Shopify (or ship from 'Warehouse East' in the ERP), then retry.";

let syncedOrderId = "";
let attentionShipmentId = "";
const suite = setUpBrowserApp({ shop: SHOP, name: "shipments", seed });
const { skipReason, openPage } = suite;

async function seed(prisma: TestDatabase["prisma"]) {
  await seedInstalledShop(prisma, SHOP, "read_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders");
  await prisma.shopSettings.create({ data: { shop: SHOP, shipmentsOwner: "erp" } });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
  const orders = [
    { name: "#4001", orderId: "840000000000000001" },
    { name: "#4002", orderId: "840000000000000002" },
  ];
  const rows = [];
  for (const o of orders) {
    rows.push(
      await prisma.orderSync.create({
        data: {
          shop: SHOP,
          orderId: o.orderId,
          orderGid: `gid://shopify/Order/${o.orderId}`,
          orderName: o.name,
          externalId: `shopify-${o.orderId}`,
          state: "synced",
          operation: "none",
          snapshot: "{}",
          sourceUpdatedAt: hoursAgo(5),
          erpDocumentNumber: `SO-${o.name.slice(1)}`,
          erpDocumentId: `SO-${o.name.slice(1)}`,
          shopifyTotal: "25.00",
          erpTotal: "25.00",
          currency: "EUR",
          searchText: o.name,
          syncedAt: hoursAgo(5),
        },
      }),
    );
  }
  syncedOrderId = rows[0].id;
  const shipment = (id: string, o: (typeof orders)[number], tracking: string[]) =>
    JSON.stringify({ shipmentId: id, documentNumber: id, externalId: `shopify-${o.orderId}`, shippedAt: hoursAgo(2).toISOString(), locationName: "Main", lines: [{ lineId: null, sku: "BLUE-MUG", quantity: 1 }], tracking: tracking.map((number) => ({ number, company: "UPS", url: null })) });
  await prisma.shipmentSync.create({
    data: {
      shop: SHOP,
      shipmentId: "CUS-0042",
      documentNumber: "CUS-0042",
      externalId: `shopify-${orders[0].orderId}`,
      orderId: orders[0].orderId,
      orderName: orders[0].name,
      state: "synced",
      shipment: shipment("CUS-0042", orders[0], [TRACKING]),
      trackingNumbers: TRACKING,
      shippedAt: hoursAgo(2),
      fulfillmentId: "gid://shopify/Fulfillment/9001",
      fulfillmentName: "#4001-F1",
      attemptCount: 1,
      syncedAt: hoursAgo(1),
      sentAt: hoursAgo(1),
    },
  });
  const attention = await prisma.shipmentSync.create({
    data: {
      shop: SHOP,
      shipmentId: "CUS-0043",
      documentNumber: "CUS-0043",
      externalId: `shopify-${orders[1].orderId}`,
      orderId: orders[1].orderId,
      orderName: orders[1].name,
      state: "needs_attention",
      shipment: shipment("CUS-0043", orders[1], ["1Z999AA10123456785"]),
      trackingNumbers: "1Z999AA10123456785",
      shippedAt: hoursAgo(2),
      attemptCount: 1,
      lastError: LOCATION_REASON,
    },
  });
  attentionShipmentId = attention.id;
}

/** The needs-attention shipment back as seeded (each width starts from the same shop). */
async function resetShipments() {
  await suite.db.prisma.shipmentSync.update({ where: { id: attentionShipmentId }, data: { state: "needs_attention", lastError: LOCATION_REASON, nextAttemptAt: new Date() } });
}

describe.each(WIDTHS)("shipments at $width px", (width) => {
  it.skipIf(skipReason)("the Shipments page shows tracking of a synced shipment and the reason of one that needs attention; Retry queues it again", async () => {
    await resetShipments();
    await markWorkerAlive(suite.db.prisma);
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl("/app/shipments"));
    // The phone layout (a select, stacked cards) appears once the page has hydrated and measured the window.
    if (width.name === "phone") await page.getByRole("combobox", { name: "Show" }).waitFor();
    else await page.getByRole("tab", { name: /Needs attention/ }).waitFor();
    await page.getByText(TRACKING, { exact: false }).first().waitFor();
    await page.getByText("#4001-F1", { exact: false }).first().waitFor();
    await page.getByText(LOCATION_REASON).waitFor();
    await expect(page.getByText("Needs attention (1)").count()).resolves.toBeGreaterThan(0);
    await checkPage(page, `shipments ${width.name}`);
    await screenshot(page, `shipments-${width.name}`);

    await page.getByRole("button", { name: "Retry" }).click();
    // Retry puts it back in the queue for the worker's next look: the ledger and the page's counts agree.
    await expect
      .poll(async () => (await suite.db.prisma.shipmentSync.findUniqueOrThrow({ where: { id: attentionShipmentId } })).state, { timeout: 10_000 })
      .toBe("retrying");
    // The counts (tabs at 1280 px, the select's options on a phone) follow.
    await expect.poll(() => page.getByText("Needs attention (0)").count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText("Retrying (1)").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Mark resolved" }).waitFor({ state: "detached" });
    await checkPage(page, `shipments after retry ${width.name}`);
  });

  it.skipIf(skipReason)("the order page lists the order's shipment with tracking and when it reached Shopify", async () => {
    await markWorkerAlive(suite.db.prisma);
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl(`/app/orders/${syncedOrderId}`));
    await page.getByRole("heading", { name: "Shipments from the ERP" }).waitFor();
    await page.getByText(`Tracking ${TRACKING}`, { exact: false }).waitFor();
    await page.getByText(/Fulfilment #4001-F1 in Shopify since/).waitFor();
    await checkPage(page, `order shipments ${width.name}`);
    await screenshot(page, `order-shipments-${width.name}`);
  });

  it.skipIf(skipReason)("Settings → Who owns what shows the Shipments and tracking row with the ERP chosen", async () => {
    await markWorkerAlive(suite.db.prisma);
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl("/app/settings"));
    await page.getByRole("heading", { name: "Shipments and tracking" }).waitFor();
    await page.getByText("Shipments and tracking are owned by").waitFor();
    const owner = page.getByRole("group", { name: "Shipments and tracking are owned by" });
    await expect(owner.getByRole("radio", { name: /The ERP/ }).isChecked()).resolves.toBe(true);
    await page.getByRole("heading", { name: "Shipments and tracking" }).scrollIntoViewIfNeeded();
    await page.getByText("Let Shopify email the customer when a shipment is recorded").waitFor();
    await checkPage(page, `settings shipments ${width.name}`);
    await screenshot(page, `settings-shipments-${width.name}`);
    // Choosing Shopify (not saved) hides the email choice that only applies to the ERP's shipments; still no axe findings.
    await owner.getByText("Shopify", { exact: true }).click();
    await page.getByText("Let Shopify email the customer when a shipment is recorded").waitFor({ state: "detached" });
    await checkPage(page, `settings shipments owned by Shopify ${width.name}`);
  });
});
