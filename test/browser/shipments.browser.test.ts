// Shipments in a real browser (Debian's Chromium through playwright-core), at
// 1280 px and on a 390 px phone: the Shipments page with a shipment that
// reached Shopify (its tracking and fulfilment shown) and one that needs a
// person (its reason in words, and Retry that puts it back in the queue), the
// order page's "Shipments from the ERP", and Settings → Who owns what →
// "Shipments and tracking" (both choices). axe-core on every page (0 serious or critical
// violations) and no sideways scrolling. Screenshots go to screenshots/
// (git-ignored).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  DESKTOP_USER_AGENT,
  buildApp,
  chromiumMissingReason,
  removeBuild,
  startApp,
  type RunningApp,
} from "../support/browser/app-harness";
import { seriousAxeViolations, sidewaysScrolling } from "../support/browser/axe";

const SHOP = "shipments-test.myshopify.com";
const SCREENSHOTS = path.resolve(__dirname, "../../screenshots");
const skipReason = chromiumMissingReason();
if (skipReason) console.warn(skipReason);

const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

const TRACKING = "1Z999AA10123456784";
const LOCATION_REASON =
  "Shopify expects these items from 'Warehouse East'; the ERP shipped from 'Main'. Move the order's items to 'Main' in Shopify (or ship from 'Warehouse East' in the ERP), then retry.";

let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let buildDir: string;
let syncedOrderId = "";
let attentionShipmentId = "";

async function seed(prisma: TestDatabase["prisma"]) {
  await prisma.session.create({
    data: {
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "installed",
      isOnline: false,
      scope: "read_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders",
      accessToken: "shpat_browser_test",
      expires: new Date(Date.now() + 24 * 3600_000),
      refreshToken: "shprt_browser_test",
      refreshTokenExpires: new Date(Date.now() + 30 * 24 * 3600_000),
    },
  });
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
  await db.prisma.shipmentSync.update({ where: { id: attentionShipmentId }, data: { state: "needs_attention", lastError: LOCATION_REASON, nextAttemptAt: new Date() } });
}

async function workerAlive() {
  const now = new Date();
  await db.prisma.workerHeartbeat.upsert({ where: { workerId: "browser-test" }, create: { workerId: "browser-test", startedAt: now, beatAt: now }, update: { beatAt: now } });
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function checkPage(page: Page, where: string) {
  await expect.poll(() => page.locator(".Polaris-IndexTable__LoadingPanelEntered").count(), { timeout: 10_000 }).toBe(0);
  await page.waitForTimeout(500);
  expect(await seriousAxeViolations(page, where), `axe at ${where}`).toEqual([]);
  const wide = await sidewaysScrolling(page);
  if (wide.length)
    console.warn(
      "wider than the window:",
      await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>("body *"))
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 15)
          .map((el) => `${el.tagName}.${String(el.className).slice(0, 60)} ${Math.round(el.getBoundingClientRect().right)} "${(el.innerText ?? "").slice(0, 40)}"`),
      ),
    );
  expect(wide, `sideways scrolling at ${where}`).toEqual([]);
  await expect(page.locator("main").count(), `one main landmark at ${where}`).resolves.toBe(1);
}

const contexts: BrowserContext[] = [];
async function openPage(width: (typeof WIDTHS)[number]): Promise<Page> {
  const context = await browser.newContext({ userAgent: DESKTOP_USER_AGENT, viewport: { width: width.width, height: width.height } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => console.warn("page error:", error.message));
  return page;
}

let current: Page | null = null;

beforeAll(async () => {
  if (skipReason) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = await createTestDatabase();
  await seed(db.prisma);
  buildDir = buildApp();
  app = await startApp({ buildDir, databaseUrl: db.url, shop: SHOP });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 300_000);

afterEach(async (ctx) => {
  if (current && ctx.task.result?.state === "fail") {
    await shot(current, `failed-shipments-${ctx.task.name.split(":")[0].replace(/\W+/g, "-")}`).catch(() => undefined);
    console.warn("page text at failure:\n", (await current.locator("body").innerText().catch(() => "")).slice(0, 2000));
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
  if (buildDir) removeBuild(buildDir);
  await db?.cleanup();
});

describe.each(WIDTHS)("shipments at $width px", (width) => {
  it.skipIf(skipReason)("the Shipments page shows tracking of a synced shipment and the reason of one that needs attention; Retry queues it again", async () => {
    await resetShipments();
    await workerAlive();
    const page = (current = await openPage(width));
    await page.goto(await app.adminUrl("/app/shipments"));
    // The phone layout (a select, stacked cards) appears once the page has hydrated and measured the window.
    if (width.name === "phone") await page.getByRole("combobox", { name: "Show" }).waitFor();
    else await page.getByRole("tab", { name: /Needs attention/ }).waitFor();
    await page.getByText(TRACKING, { exact: false }).first().waitFor();
    await page.getByText("#4001-F1", { exact: false }).first().waitFor();
    await page.getByText(LOCATION_REASON).waitFor();
    await expect(page.getByText("Needs attention (1)").count()).resolves.toBeGreaterThan(0);
    await checkPage(page, `shipments ${width.name}`);
    await shot(page, `shipments-${width.name}`);

    await page.getByRole("button", { name: "Retry" }).click();
    // Retry puts it back in the queue for the worker's next look: the ledger and the page's counts agree.
    await expect
      .poll(async () => (await db.prisma.shipmentSync.findUniqueOrThrow({ where: { id: attentionShipmentId } })).state, { timeout: 10_000 })
      .toBe("retrying");
    // The counts (tabs at 1280 px, the select's options on a phone) follow.
    await expect.poll(() => page.getByText("Needs attention (0)").count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText("Retrying (1)").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Mark resolved" }).waitFor({ state: "detached" });
    await checkPage(page, `shipments after retry ${width.name}`);
  });

  it.skipIf(skipReason)("the order page lists the order's shipment with tracking and when it reached Shopify", async () => {
    await workerAlive();
    const page = (current = await openPage(width));
    await page.goto(await app.adminUrl(`/app/orders/${syncedOrderId}`));
    await page.getByRole("heading", { name: "Shipments from the ERP" }).waitFor();
    await page.getByText(`Tracking ${TRACKING}`, { exact: false }).waitFor();
    await page.getByText(/Fulfilment #4001-F1 in Shopify since/).waitFor();
    await checkPage(page, `order shipments ${width.name}`);
    await shot(page, `order-shipments-${width.name}`);
  });

  it.skipIf(skipReason)("Settings → Who owns what shows the Shipments and tracking row with the ERP chosen", async () => {
    await workerAlive();
    const page = (current = await openPage(width));
    await page.goto(await app.adminUrl("/app/settings"));
    await page.getByRole("heading", { name: "Shipments and tracking" }).waitFor();
    await page.getByText("Shipments and tracking are owned by").waitFor();
    const owner = page.getByRole("group", { name: "Shipments and tracking are owned by" });
    await expect(owner.getByRole("radio", { name: /The ERP/ }).isChecked()).resolves.toBe(true);
    await page.getByRole("heading", { name: "Shipments and tracking" }).scrollIntoViewIfNeeded();
    await page.getByText("Let Shopify email the customer when a shipment is recorded").waitFor();
    await checkPage(page, `settings shipments ${width.name}`);
    await shot(page, `settings-shipments-${width.name}`);
    // Choosing Shopify (not saved) hides the email choice that only applies to the ERP's shipments; still no axe findings.
    await owner.getByText("Shopify", { exact: true }).click();
    await page.getByText("Let Shopify email the customer when a shipment is recorded").waitFor({ state: "detached" });
    await checkPage(page, `settings shipments owned by Shopify ${width.name}`);
  });
});
