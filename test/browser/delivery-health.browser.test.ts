// Delivery health and the settings dry run in a real browser (Debian's
// Chromium through playwright-core), on the production build started by
// test/support/browser/app-harness.ts against a seeded SQLite database:
// the dashboard's "Delivery health" card shows how orders arrived and how
// long they took; "Preview changes" on Settings shows the orders a new filter
// would stop and stores nothing; "Preview mapping" shows the changed item
// number field by field, and saving from the preview stores the mapping.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestDatabase } from "../../testkit/db";
import { makeOrder, toRawBody } from "../../testkit/shopify-payloads";
import { screenshot, seedInstalledShop, setUpBrowserApp, waitForToast } from "../support/browser/browser-suite";

const SHOP = "browser-health.myshopify.com";
let page: Page;
const suite = setUpBrowserApp({ shop: SHOP, name: "health", seed });
const { skipReason } = suite;

async function seed(prisma: TestDatabase["prisma"]) {
  await seedInstalledShop(prisma, SHOP);
  // An ERP is chosen (the dry run checks orders as for a connected shop); its details are not needed here.
  await prisma.shopSettings.create({ data: { shop: SHOP, connectorType: "generic-http" } });
  const now = Date.now();
  // Four orders by webhook, one found only by reconciliation; three in the ERP within 2, 4 and 6 minutes.
  const specs = [
    { seen: "webhook", tags: "retail", committedAfterMin: 2 },
    { seen: "webhook", tags: "wholesale", committedAfterMin: 4 },
    { seen: "webhook", tags: "retail", committedAfterMin: 6 },
    { seen: "webhook", tags: "wholesale" },
    { seen: "reconciliation", tags: "retail" },
  ];
  for (const [i, s] of specs.entries()) {
    const id = 6300000000000000001n + BigInt(i);
    const placed = new Date(now - (60 - i) * 60_000);
    const order = makeOrder({ id, name: `#H${i + 1}`, createdAt: placed.toISOString(), updatedAt: placed.toISOString(), lines: [{ title: "Red Mug", sku: "RED-MUG", price: "12.00" }] });
    order.tags = s.tags;
    await prisma.orderSync.create({
      data: {
        shop: SHOP,
        orderId: String(id),
        orderGid: `gid://shopify/Order/${id}`,
        orderName: `#H${i + 1}`,
        externalId: `shopify-${id}`,
        snapshot: toRawBody(order),
        sourceUpdatedAt: placed,
        shopifyCreatedAt: placed,
        firstSeenBy: s.seen,
        state: s.committedAfterMin ? "synced" : "pending",
        erpDocumentId: s.committedAfterMin ? `SO-${i}` : null,
        erpCommittedAt: s.committedAfterMin ? new Date(placed.getTime() + s.committedAfterMin * 60_000) : null,
      },
    });
  }
}

beforeAll(async () => {
  if (!skipReason) page = await suite.openPage({ width: 1280, height: 1000 }, 15_000);
});

describe("delivery health and the settings dry run in Chromium", () => {
  it.skipIf(skipReason)("dashboard: the Delivery health card shows lost webhooks, the lag and the oldest waiting order", async () => {
    await page.goto(await suite.app.adminUrl("/app"));
    await page.getByRole("heading", { name: "Delivery health" }).waitFor();
    // The card loads its figures after the heading shows: wait for them before counting.
    await page.getByText("1 (20.0 %)").first().waitFor();
    // One of five orders found only by reconciliation, in both windows.
    await expect(page.getByText("1 (20.0 %)").count()).resolves.toBe(2);
    await expect(page.getByText("4 minutes", { exact: true }).count()).resolves.toBe(2); // median of 2, 4, 6
    await expect(page.getByText("6 minutes", { exact: true }).count()).resolves.toBe(2); // 99 %
    await page.getByText(/2 orders waiting; the oldest for 5\d minutes/).waitFor();
    await screenshot(page, "dashboard-delivery-health");
  });

  it.skipIf(skipReason)("settings: 'Preview changes' lists the orders a new filter would stop, and stores nothing", async () => {
    await page.goto(await suite.app.adminUrl("/app/settings"));
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await page.getByLabel("Leave out orders with any of these tags").fill("wholesale");
    await page.getByRole("button", { name: "Preview changes" }).click();
    const modal = page.getByRole("dialog");
    await modal.getByRole("heading", { name: "Would stop syncing" }).waitFor();
    await modal.getByText(/Of the 5 orders of the last 14 days, 1 would stop syncing/).waitFor();
    await modal.getByText("#H4", { exact: true }).waitFor();
    await expect(modal.getByText('has the tag "wholesale", which your sync rules exclude', { exact: false }).count()).resolves.toBe(1);
    await expect(modal.getByRole("button", { name: "Save settings" }).isEnabled()).resolves.toBe(true);
    await screenshot(page, "settings-preview");
    await modal.getByRole("button", { name: "Cancel" }).click();
    await modal.waitFor({ state: "detached" });
    // The preview stored nothing: the rule is still only in the form.
    expect(JSON.parse((await suite.db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).syncRules || "{}").filters?.excludeTags ?? []).toEqual([]);
    await page.getByText("Unsaved changes").waitFor();
  });

  it.skipIf(skipReason)("SKU mapping: 'Preview mapping' shows the item number each order would carry; saving from the preview stores it", async () => {
    await page.goto(await suite.app.adminUrl("/app/settings"));
    await page.getByLabel("Shopify SKU").fill("RED-MUG");
    await page.getByLabel("ERP item number").fill("ITEM-4711");
    await page.getByRole("button", { name: "Preview mapping" }).click();
    const modal = page.getByRole("dialog");
    await modal.getByRole("heading", { name: "Sent differently" }).waitFor();
    await modal.getByText("lines[0].itemNumber").first().waitFor();
    await modal.getByText("ITEM-4711").first().waitFor();
    await screenshot(page, "sku-preview");
    expect(await suite.db.prisma.skuMapping.count({ where: { shop: SHOP } })).toBe(0);
    await modal.getByRole("button", { name: "Save mapping" }).click();
    await waitForToast(page, /Mapping RED-MUG → ITEM-4711 created/);
    expect(await suite.db.prisma.skuMapping.findFirst({ where: { shop: SHOP, sku: "RED-MUG" } })).toMatchObject({ itemNumber: "ITEM-4711" });
  });
});
