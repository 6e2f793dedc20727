// The merchant pages in a real browser (Debian's Chromium through
// playwright-core). beforeAll builds the app for production and starts it on
// a loopback port against a seeded SQLite database (see
// test/support/browser/app-harness.ts); pages are opened as Shopify's admin
// opens them, with a session token signed with the app's secret. Flow: open
// every page, filter the log, open an order, retry it and see its state
// change, save settings. Screenshots go to screenshots/ (git-ignored).
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestDatabase } from "../../testkit/db";
import { sampleWebhookBody } from "../support/sample-webhooks";
import { webhookRequest } from "../support/webhook-request";
import { screenshot, seedInstalledShop, setUpBrowserApp, waitForToast } from "../support/browser/browser-suite";

const SHOP = "browser-test.myshopify.com";
let page: Page;
let attentionId: string;
const suite = setUpBrowserApp({ shop: SHOP, name: "merchant", seed });
const { skipReason } = suite;

async function seed(prisma: TestDatabase["prisma"]) {
  await seedInstalledShop(prisma, SHOP);
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
  const orders: { name: string; state: string; operation: string; hours: number; erp?: string; error?: string; problems?: string[]; sku: string }[] = [
    { name: "#2001", state: "synced", operation: "none", hours: 20, erp: "SO-0001", sku: "BLUE-TEE-M" },
    { name: "#2002", state: "synced", operation: "none", hours: 15, erp: "SO-0002", sku: "RED-MUG" },
    { name: "#2003", state: "retrying", operation: "create", hours: 3, error: "The ERP did not answer in time. The app will try again in 2 minutes.", sku: "GREEN-CAP" },
    {
      name: "#2004",
      state: "needs_attention",
      operation: "create",
      hours: 2,
      problems: ['Cannot sync order #2004: line item "Blue T-shirt / M" has no SKU. Add a SKU to the variant in Shopify, then retry.'],
      sku: "",
    },
    { name: "#2005", state: "failed", operation: "update", hours: 1, error: "The ERP refused the order: customer number 4711 is blocked. Unblock the customer in the ERP, then retry.", sku: "SOCKS-L" },
    { name: "#2006", state: "skipped", operation: "none", hours: 0.5, sku: "GIFT-CARD" },
  ];
  for (const [i, o] of orders.entries()) {
    const orderId = String(820982911946154000n + BigInt(i));
    const row = await prisma.orderSync.create({
      data: {
        shop: SHOP,
        orderId,
        orderGid: `gid://shopify/Order/${orderId}`,
        orderName: o.name,
        externalId: `shopify-${orderId}`,
        state: o.state,
        operation: o.operation,
        snapshot: "{}",
        sourceUpdatedAt: hoursAgo(o.hours),
        erpDocumentNumber: o.erp ?? null,
        erpDocumentId: o.erp ?? null,
        shopifyTotal: "59.90",
        erpTotal: o.erp ? "59.90" : null,
        currency: "EUR",
        lastError: o.error ?? null,
        problems: JSON.stringify(o.problems ?? []),
        skipReason: o.state === "skipped" ? "Test order: test orders are not sent (Settings > Sync rules)." : null,
        searchText: `${o.sku} ${o.name}`,
        attemptCount: o.state === "synced" ? 1 : o.state === "skipped" ? 0 : 3,
        lastAttemptAt: o.state === "skipped" ? null : hoursAgo(o.hours),
        syncedAt: o.state === "synced" ? hoursAgo(o.hours) : null,
        createdAt: hoursAgo(o.hours + 1),
        updatedAt: hoursAgo(o.hours),
      },
    });
    if (o.state === "needs_attention") attentionId = row.id;
    await prisma.webhookEvent.create({
      data: { shop: SHOP, eventId: `evt-${orderId}`, topic: "orders/create", orderId, payload: "{}", receivedAt: hoursAgo(o.hours + 1), processedAt: hoursAgo(o.hours + 1), processResult: "applied" },
    });
    if (o.state !== "skipped") {
      const outcome = o.state === "synced" ? "synced" : o.state;
      await prisma.syncAttempt.create({
        data: {
          shop: SHOP,
          orderSyncId: row.id,
          externalId: `shopify-${orderId}`,
          localId: orderId,
          operation: "create",
          startedAt: hoursAgo(o.hours),
          endedAt: hoursAgo(o.hours),
          requestStatus: o.state === "synced" ? "POST /orders → 201" : "POST /orders → 422",
          responseSummary: o.state === "synced" ? `{"documentNumber":"${o.erp}"}` : '{"error":"validation failed"}',
          errorMessage: o.error ?? o.problems?.[0] ?? null,
          attemptNumber: 1,
          outcome,
        },
      });
    }
  }
}

beforeAll(async () => {
  if (!skipReason) page = await suite.openPage({ width: 1280, height: 900 });
});

describe("merchant pages in Chromium", () => {
  it.skipIf(skipReason)("dashboard: health banner, counts, chart and the newest items needing attention", async () => {
    await page.goto(await suite.app.adminUrl("/app"));
    await page.getByText("Connect your ERP to start syncing orders").waitFor();
    await page.getByText("Orders needing attention: 2.").waitFor();
    await expect(page.getByTestId("sync-chart").isVisible()).resolves.toBe(true);
    await expect(page.getByText("Browser Test Shop").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('line item "Blue T-shirt / M" has no SKU').count()).resolves.toBe(1);
    await screenshot(page, "dashboard");
  });

  it.skipIf(skipReason)("orders: the log lists every order, and search narrows it by SKU", async () => {
    await page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Orders" }).click();
    await page.getByRole("heading", { name: "Orders", level: 1 }).waitFor();
    await expect(page.locator("tbody tr:has(a[data-primary-link])").count()).resolves.toBe(6);
    await screenshot(page, "orders");
    await page.getByPlaceholder("Search order, external id, SKU or error").fill("GREEN-CAP");
    await page.waitForURL(/q=GREEN-CAP/);
    await page.locator("tbody tr:has(a[data-primary-link])", { hasText: "#2001" }).waitFor({ state: "detached" });
    await expect(page.locator("tbody tr:has(a[data-primary-link])").count()).resolves.toBe(1);
    await expect(page.locator("tbody tr:has(a[data-primary-link])").first().innerText()).resolves.toContain("#2003");
    await screenshot(page, "orders-filtered");
  });

  it.skipIf(skipReason)("order detail: problems with what to do, history, and 'Retry now' changes the state", async () => {
    await page.goto(await suite.app.adminUrl(`/app/orders/${attentionId}`));
    await page.getByRole("heading", { name: "#2004", level: 1 }).waitFor();
    await page.getByText("This order needs your attention").waitFor();
    await page.getByText("Shopify: order created").waitFor();
    await screenshot(page, "order-detail");
    await page.getByRole("button", { name: "Retry now" }).click();
    await waitForToast(page, "1 order is back in the queue");
    // The state badge next to the title now says "Waiting" (pending), and the history names who retried.
    await page.getByText("Waiting", { exact: true }).first().waitFor();
    await page.getByText("This order needs your attention").waitFor({ state: "detached" });
    await page.getByText(/by staff user \d+/).waitFor();
    const row = await suite.db.prisma.orderSync.findUniqueOrThrow({ where: { id: attentionId } });
    expect(row.state).toBe("pending");
    await screenshot(page, "order-detail-after-retry");
  });

  it.skipIf(skipReason)("another shop's order is not found", async () => {
    const other = await suite.db.prisma.orderSync.create({
      data: { shop: "someone-else.myshopify.com", orderId: "1", orderGid: "gid://shopify/Order/1", orderName: "#9999", externalId: "shopify-1", snapshot: "{}", sourceUpdatedAt: new Date() },
    });
    const response = await page.goto(await suite.app.adminUrl(`/app/orders/${other.id}`));
    expect(response?.status()).toBe(404);
    await page.getByText("Not found").first().waitFor();
    await expect(page.getByText("#9999").count()).resolves.toBe(0);
  });

  it.skipIf(skipReason)("settings: change retention, the save bar appears, saving stores it", async () => {
    await page.goto(await suite.app.adminUrl("/app/settings"));
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await screenshot(page, "settings");
    const retention = page.getByLabel("Keep the sync log for (days)");
    await retention.fill("45");
    await page.getByText("Unsaved changes").waitFor();
    await page.locator("ui-save-bar").getByRole("button", { name: "Save" }).click();
    await waitForToast(page, "Settings saved");
    const settings = await suite.db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(settings.logRetentionDays).toBe(45);
    // Typing again straight after the save: a refresh of the page that lands
    // later keeps what was typed (withStoredChanges, test/settings/stored-changes.test.ts).
    await retention.fill("0");
    await page.waitForLoadState("networkidle");
    await expect(retention.inputValue()).resolves.toBe("0");
    await page.getByText("Unsaved changes").waitFor();
    await page.locator("ui-save-bar").getByRole("button", { name: "Save" }).click();
    await page.getByText("Keep the sync log for at least 1 day.").waitFor();
    // The merchant's input stays in the field, with the message next to it, and is not stored.
    await expect(retention.inputValue()).resolves.toBe("0");
    await page.getByText("Unsaved changes").waitFor();
    expect((await suite.db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).logRetentionDays).toBe(45);
    await screenshot(page, "settings-validation");
  });

  it.skipIf(skipReason)("stock: the last run's figures and problem items, and Sync stock now opens a run", async () => {
    await suite.db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { stockOwner: "erp", stockLocationLinks: JSON.stringify([{ shopifyLocationId: "gid://shopify/Location/1", shopifyLocationName: "Main", erpLocationId: "WH1" }]) } });
    const problems = [{ kind: "duplicate-sku", sku: "MUG-WHITE", variantIds: ["a", "b"], message: '2 variants in Shopify have the SKU "MUG-WHITE", so the app cannot tell which one the ERP\'s stock belongs to and changes none of them. Give each variant its own SKU in Shopify.' }];
    await suite.db.prisma.stockRun.create({
      data: { shop: SHOP, trigger: "nightly", status: "completed", full: true, itemsRead: 1234, compared: 2468, differences: 12, written: 12, problemCount: 1, problems: JSON.stringify(problems), startedAt: new Date(), finishedAt: new Date() },
    });
    await page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Stock" }).click();
    await page.getByRole("heading", { name: "Stock", level: 1 }).waitFor();
    await page.getByText("1,234").waitFor();
    await page.getByText(/Give each variant its own SKU in Shopify/).waitFor();
    await screenshot(page, "stock");
    await page.getByRole("button", { name: "Sync stock now" }).click();
    await waitForToast(page, "Stock sync started: a full comparison runs within a minute.");
    expect(await suite.db.prisma.stockRun.count({ where: { shop: SHOP, trigger: "manual", status: "queued" } })).toBe(1);
  });

  it.skipIf(skipReason)("settings: Who owns what shows the stock owner and asks for the scopes still missing", async () => {
    await page.goto(await suite.app.adminUrl("/app/settings"));
    await page.getByRole("heading", { name: "Stock levels" }).waitFor();
    await expect(page.getByRole("group", { name: "Who owns stock levels" }).getByRole("radio", { name: "The ERP" }).isChecked()).resolves.toBe(true);
    await page.getByText("The app needs your permission to change stock").waitFor();
    await page.getByRole("button", { name: "Grant access" }).waitFor();
    await page.getByRole("heading", { name: "Stock levels" }).scrollIntoViewIfNeeded();
    await screenshot(page, "settings-ownership");
  });
});

// The same production server (server.mjs) as Shopify reaches it: webhook POSTs
// go straight to their route's action, ahead of compression and Remix's router.
describe("webhooks over HTTP to the production server", () => {
  const body = sampleWebhookBody("orders/create").replace('"id": 820982911946154500', '"id": 820982911946154508');

  async function post(path: string, request: Request): Promise<Response> {
    return fetch(`${suite.app.baseUrl}${path}`, { method: "POST", headers: request.headers, body: await request.text() });
  }

  it.skipIf(skipReason)("a signed orders/create is stored with its exact id and answered 200; its redelivery changes nothing", async () => {
    const signed = () => webhookRequest({ topic: "orders/create", shop: SHOP, body, eventId: "http-evt-1" });
    expect((await post("/webhooks/orders/create", signed())).status).toBe(200);
    expect((await post("/webhooks/orders/create", signed())).status).toBe(200);
    const row = await suite.db.prisma.orderSync.findUniqueOrThrow({ where: { shop_orderId: { shop: SHOP, orderId: "820982911946154508" } } });
    expect(row.state).toBe("pending");
    expect(await suite.db.prisma.webhookEvent.count({ where: { shop: SHOP, eventId: "http-evt-1" } })).toBe(1);
  });

  it.skipIf(skipReason)("a forged or unsigned webhook is refused with 401 and a reason, and stores nothing", async () => {
    const forged = await post("/webhooks/orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body, hmac: "Zm9yZ2Vk", eventId: "http-evt-2" }));
    expect(forged.status).toBe(401);
    expect(await forged.text()).toMatch(/signature/i);
    const unsigned = await post("/webhooks/orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body, hmac: null, eventId: "http-evt-3" }));
    expect(unsigned.status).toBe(401);
    expect(await suite.db.prisma.webhookEvent.count({ where: { eventId: { in: ["http-evt-2", "http-evt-3"] } } })).toBe(0);
  });

  it.skipIf(skipReason)("a POST to a path that is no webhook route still reaches Remix (404)", async () => {
    const response = await post("/webhooks/not-a-topic", webhookRequest({ topic: "orders/create", shop: SHOP, body }));
    expect(response.status).toBe(404);
  });
});
