// Staff fixing orders in a real browser (Debian's Chromium through
// playwright-core), at 1280 px and on a 390 px phone: fix an unknown item on
// the order page and retry every order waiting on it, mark an order resolved
// (and see "Resolved by staff", not "Synced"), bulk-skip with a reason and
// undo it, the log's tabs and live refresh, and axe-core on every page and
// state (0 serious or critical violations) with no sideways scrolling.
// Screenshots go to screenshots/ (git-ignored).
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestDatabase } from "../../testkit/db";
import { WIDTHS, checkPage as checkEveryPage, markWorkerAlive, screenshot, seedInstalledShop, setUpBrowserApp } from "../support/browser/browser-suite";

const SHOP = "fixes-test.myshopify.com";
const ids: Record<string, string> = {};
const seeded: Record<string, { state: string; error: string | null }> = {};
const suite = setUpBrowserApp({ shop: SHOP, name: "fixes", seed });
const { skipReason, openPage } = suite;

const unknownItem = (order: string) =>
  `Cannot sync order ${order}: Tryton has no item for "Old tee / M" (item number OLD-TEE-M). Map the SKU to an existing ERP item in ERP Order Sync (on this order's page, or Settings → SKU mapping), or create the item in Tryton with that number, then retry.`;

async function seed(prisma: TestDatabase["prisma"]) {
  await seedInstalledShop(prisma, SHOP);
  await prisma.skuMapping.create({ data: { shop: SHOP, sku: "BLUE-MUG", itemNumber: "ITEM-4711", updatedBy: "staff" } });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
  const snapshot = JSON.stringify({
    id: 1,
    name: "#3001",
    currency: "EUR",
    line_items: [
      { id: 11, title: "Blue mug", name: "Blue mug", sku: "BLUE-MUG", quantity: 2, current_quantity: 1, price: "12.50" },
      { id: 12, title: "Old tee", name: "Old tee / M", sku: "OLD-TEE-M", quantity: 1, current_quantity: 1, price: "19.90" },
    ],
  });
  const orders: { key: string; name: string; state: string; hours: number; erp?: string; error?: string; snapshot?: string; sku: string }[] = [
    { key: "tee1", name: "#3001", state: "needs_attention", hours: 1, error: unknownItem("#3001"), snapshot, sku: "blue-mug old-tee-m" },
    { key: "tee2", name: "#3002", state: "needs_attention", hours: 2, error: unknownItem("#3002"), sku: "old-tee-m" },
    { key: "tee3", name: "#3003", state: "failed", hours: 3, error: unknownItem("#3003"), sku: "old-tee-m" },
    { key: "blocked", name: "#3004", state: "failed", hours: 4, error: "The ERP refused the order: customer number 4711 is blocked. Unblock the customer in the ERP, then retry.", sku: "socks" },
    { key: "synced", name: "#3005", state: "synced", hours: 5, erp: "SO-0005", sku: "red-mug" },
    { key: "skip1", name: "#3006", state: "failed", hours: 6, error: "The ERP refused the order: wholesale orders are entered by hand.", sku: "crate" },
    { key: "skip2", name: "#3007", state: "failed", hours: 7, error: "The ERP refused the order: wholesale orders are entered by hand.", sku: "crate" },
    { key: "retrying", name: "#3008", state: "retrying", hours: 8, error: "The ERP did not answer in time. The app will try again in 2 minutes.", sku: "cap" },
  ];
  for (const [i, o] of orders.entries()) {
    const orderId = String(830000000000000000n + BigInt(i));
    const row = await prisma.orderSync.create({
      data: {
        shop: SHOP,
        orderId,
        orderGid: `gid://shopify/Order/${orderId}`,
        orderName: o.name,
        externalId: `shopify-${orderId}`,
        state: o.state,
        operation: o.state === "synced" ? "none" : "create",
        snapshot: o.snapshot ?? "{}",
        sourceUpdatedAt: hoursAgo(o.hours),
        erpDocumentNumber: o.erp ?? null,
        erpDocumentId: o.erp ?? null,
        shopifyTotal: "44.90",
        erpTotal: o.erp ? "44.90" : null,
        currency: "EUR",
        lastError: o.error ?? null,
        searchText: `${o.name} ${o.sku}`,
        attemptCount: o.state === "synced" ? 0 : 2,
        lastAttemptAt: hoursAgo(o.hours),
        syncedAt: o.state === "synced" ? hoursAgo(o.hours) : null,
        createdAt: hoursAgo(o.hours + 1),
        updatedAt: hoursAgo(o.hours),
      },
    });
    ids[o.key] = row.id;
    seeded[o.key] = { state: o.state, error: o.error ?? null };
  }
}

/** Every seeded order back as it was (each width starts from the same shop). */
async function resetOrders() {
  await suite.db.prisma.skuMapping.deleteMany({ where: { shop: SHOP, sku: "OLD-TEE-M" } });
  for (const [key, o] of Object.entries(seeded)) {
    await suite.db.prisma.orderSync.update({
      where: { id: ids[key] },
      data: {
        state: o.state,
        lastError: o.error,
        resolvedBy: null,
        resolvedAt: null,
        manualSkip: false,
        skipReason: null,
        ...(o.state === "synced" ? {} : { erpDocumentNumber: null, erpDocumentId: null }),
      },
    });
  }
}


/** The shared page checks, and a document title. */
async function checkPage(page: Page, where: string) {
  await checkEveryPage(page, where);
  expect((await page.title()).length, `document title at ${where}`).toBeGreaterThan(0);
}

describe.each(WIDTHS)("fixing orders at $width px", (width) => {
  it.skipIf(skipReason)("dashboard and settings: axe, one main landmark, a title, nothing scrolls sideways", async () => {
    await resetOrders();
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl("/app"));
    await page.getByText("Orders needing attention: 6.").waitFor();
    await page.getByText("Resolved", { exact: true }).first().waitFor();
    await checkPage(page, `dashboard ${width.name}`);
    await screenshot(page, `dashboard-${width.name}`);
    await page.goto(await suite.app.adminUrl("/app/settings"));
    await page.getByText("BLUE-MUG", { exact: true }).first().waitFor();
    await checkPage(page, `settings ${width.name}`);
    await screenshot(page, `settings-${width.name}`);
    // Not found, and a search without results: a neutral picture (no green check mark), and the same checks.
    await page.goto(await suite.app.adminUrl("/app/orders/no-such-order"));
    await page.getByText("Not found").first().waitFor();
    await checkPage(page, `not found ${width.name}`);
    await screenshot(page, `not-found-${width.name}`);
    await page.goto(await suite.app.adminUrl("/app/orders?q=nothing-matches-this"));
    await page.getByText("No orders match these filters").waitFor();
    await expect(page.getByText(/orders on this page/).count()).resolves.toBe(0);
    await checkPage(page, `no results ${width.name}`);
    await screenshot(page, `orders-no-results-${width.name}`);
    await page.close();
  });

  it.skipIf(skipReason)("the log: tabs with true counts, problems grouped by reason, one retry for a whole group", async () => {
    await resetOrders();
    await markWorkerAlive(suite.db.prisma);
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl("/app/orders"));
    await page.getByRole("heading", { name: "Orders", level: 1 }).waitFor();
    // Tabs at 1280 px; on a phone the same choice is a select ("Show").
    const phone = width.name === "phone";
    const hasTab = (id: string, text: string) =>
      phone
        ? page.getByRole("option", { name: text }).waitFor({ state: "attached" })
        : expect.poll(() => page.locator(`#log-tab-${id}:visible`).first().innerText(), { timeout: 10_000 }).toBe(text);
    await hasTab("all", "All (8)");
    await hasTab("retrying", "Retrying (1)");
    await checkPage(page, `log ${width.name}`);
    await screenshot(page, `orders-all-${width.name}`);
    await hasTab("attention", "Needs attention (6)");
    if (phone) await page.getByLabel("Show").selectOption("attention");
    else await page.locator("#log-tab-attention").click();
    await page.waitForURL(/tab=attention/);
    await page.getByText("Problems by reason").waitFor();
    await page.getByText(/^3 orders: Tryton has no item for "Old tee \/ M" \(item number OLD-TEE-M\)/).waitFor();
    await page.getByText("2 orders: The ERP refused the order: wholesale orders are entered by hand.").waitFor();
    // The reason is under each problem row.
    await expect(page.getByText("The ERP refused the order: customer number 4711 is blocked.", { exact: false }).count()).resolves.toBeGreaterThan(1);
    await checkPage(page, `needs attention tab ${width.name}`);
    await screenshot(page, `orders-attention-${width.name}`);
    await page.getByRole("button", { name: "Retry these 2 orders" }).click();
    await page.locator(".stub-toast", { hasText: "2 orders are back in the queue" }).first().waitFor();
    expect((await suite.db.prisma.orderSync.findMany({ where: { id: { in: [ids.skip1, ids.skip2, ids.blocked] } }, orderBy: { orderName: "asc" } })).map((r) => r.state)).toEqual([
      "failed",
      "pending",
      "pending",
    ]);
    await page.getByText("2 orders: The ERP refused the order: wholesale orders are entered by hand.").waitFor({ state: "detached" });
    await page.close();
  });

  it.skipIf(skipReason)("live: a retried order moves through Sending to Synced without a reload, and the log's counts follow", async () => {
    await resetOrders();
    await markWorkerAlive(suite.db.prisma);
    await suite.db.prisma.orderSync.update({ where: { id: ids.blocked }, data: { state: "pending", lastError: null } });
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl(`/app/orders/${ids.blocked}`));
    await page.getByRole("heading", { name: "#3004", level: 1 }).waitFor();
    await page.getByText("Waiting", { exact: true }).first().waitFor();
    // Marks this document: a full reload would lose it.
    await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 1));
    // What a worker does: claim the order, then record the ERP document.
    await suite.db.prisma.orderSync.update({ where: { id: ids.blocked }, data: { state: "sending", leaseToken: "t", leaseExpiresAt: new Date(Date.now() + 60_000) } });
    await page.getByText("Sending", { exact: true }).first().waitFor({ timeout: 10_000 });
    await suite.db.prisma.orderSync.update({
      where: { id: ids.blocked },
      data: { state: "synced", operation: "none", erpDocumentNumber: "SO-3004", erpDocumentId: "SO-3004", syncedAt: new Date(), leaseToken: null, leaseExpiresAt: null },
    });
    await page.getByText("Synced", { exact: true }).first().waitFor({ timeout: 10_000 });
    await page.getByText("SO-3004").first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(1);
    await checkPage(page, `order after live refresh ${width.name}`);
    await screenshot(page, `order-live-synced-${width.name}`);

    // The log follows too: a new failure shows up in the Needs attention count by itself.
    await page.goto(await suite.app.adminUrl("/app/orders"));
    const retryingCount = (n: number) =>
      width.name === "phone"
        ? page.getByRole("option", { name: `Retrying (${n})` }).waitFor({ state: "attached", timeout: 10_000 })
        : expect.poll(() => page.locator("#log-tab-retrying:visible").first().innerText(), { timeout: 10_000 }).toBe(`Retrying (${n})`);
    await retryingCount(1);
    await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 2));
    await suite.db.prisma.orderSync.update({ where: { id: ids.retrying }, data: { state: "failed", lastError: "The ERP refused the order: price list closed." } });
    await retryingCount(0);
    await page.getByText("The ERP refused the order: price list closed.").first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(2);
    await page.close();
  });

  it.skipIf(skipReason)("order page: lines with their ERP items; map OLD-TEE-M, then retry every order waiting on it", async () => {
    await resetOrders();
    await markWorkerAlive(suite.db.prisma);
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl(`/app/orders/${ids.tee1}`));
    await page.getByRole("heading", { name: "#3001", level: 1 }).waitFor();
    await page.getByText("ERP item: ITEM-4711 (from the SKU mapping table)").waitFor();
    await page.getByText("ERP item: OLD-TEE-M (the SKU itself)").waitFor();
    await page.getByText("SKU BLUE-MUG · quantity 1 · 12.50 EUR each").waitFor();
    await page.getByText("Map this SKU in ERP Order Sync, or create item OLD-TEE-M in your ERP, then retry.").waitFor();
    await checkPage(page, `order page ${width.name}`);
    await screenshot(page, `order-lines-${width.name}`);
    await page.getByLabel("Map OLD-TEE-M to an ERP item").fill("TEE-0042");
    await page.getByRole("button", { name: "Save mapping" }).click();
    await page.getByText("Saved: OLD-TEE-M is sent as ERP item TEE-0042 from now on.").waitFor();
    await page.getByRole("button", { name: "Retry the 3 orders waiting on OLD-TEE-M" }).click();
    await page.locator(".stub-toast", { hasText: /^3 orders waiting on OLD-TEE-M are back in the queue/ }).first().waitFor();
    // The page reloads its data: the order is on its way, so the line no longer offers a fix.
    await page.getByText("ERP item: TEE-0042 (from the SKU mapping table)").waitFor();
    await page.getByLabel("Map OLD-TEE-M to an ERP item").waitFor({ state: "detached" });
    await checkPage(page, `order page after the group fix ${width.name}`);
    await screenshot(page, `order-group-fix-${width.name}`);
    const states = await suite.db.prisma.orderSync.findMany({ where: { id: { in: [ids.tee1, ids.tee2, ids.tee3] } }, select: { state: true } });
    expect(states.map((s) => s.state)).toEqual(["pending", "pending", "pending"]);
    await page.close();
  });

  it.skipIf(skipReason)("order page with an ERP that lists items: a failed search says so, a found item fills the field, then map and retry; Settings searches too", async () => {
    await resetOrders();
    await markWorkerAlive(suite.db.prisma);
    // A Tryton connection whose address the app's URL guard refuses (loopback): real searches fail, in words.
    const { encryptSecrets } = await import("../../app/security/crypto.server");
    const before = await suite.db.prisma.shopSettings.findUnique({ where: { shop: SHOP } });
    const tryton = { connectorType: "tryton", connectorConfig: JSON.stringify({ url: "https://127.0.0.1:9", database: "erpsync", username: "admin" }), connectorSecrets: encryptSecrets(SHOP, { password: "secret" }) };
    await suite.db.prisma.shopSettings.upsert({ where: { shop: SHOP }, create: { shop: SHOP, ...tryton }, update: tryton });
    const page = await openPage(width);
    try {
      await page.goto(await suite.app.adminUrl(`/app/orders/${ids.tee1}`));
      await page.getByRole("heading", { name: "#3001", level: 1 }).waitFor();
      // A combobox (it offers a list) where the plain field was a text box; the list shares its label.
      const field = page.getByRole("combobox", { name: "Map OLD-TEE-M to an ERP item" });
      await field.fill("old");
      await page.getByText(/^Could not search your ERP: .*Correct the ERP address in Settings/).waitFor();
      await checkPage(page, `item search error ${width.name}`);

      // The ERP's answer stands in for a reachable one from here on; the browser's requests are counted.
      const asked: string[] = [];
      await page.route("**/app/erp-items?*", (route) => {
        const q = new URL(route.request().url()).searchParams.get("q") ?? "";
        asked.push(q);
        const items = q.toLowerCase() === "tee" ? [{ number: "TEE-0042", name: "Classic tee, organic" }, { number: "OLD-TEE-M", name: "Old tee / M" }] : [];
        return route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ query: q, items, error: null }) });
      });
      await field.fill("");
      await field.pressSequentially("tee", { delay: 60 });
      const found = page.getByRole("option", { name: "TEE-0042 — Classic tee, organic" });
      await found.waitFor();
      // Typed within the pause: one search, for the whole word.
      expect(asked).toEqual(["tee"]);
      await checkPage(page, `item search results ${width.name}`);
      await screenshot(page, `order-item-search-${width.name}`);
      // A full-page screenshot can take the focus away, and the list closes with it; focusing the field opens it again.
      await field.click();
      await found.click();
      await expect.poll(() => field.inputValue()).toBe("TEE-0042");
      await page.waitForTimeout(600);
      // The chosen number is not searched again.
      expect(asked).toEqual(["tee"]);
      await page.getByRole("button", { name: "Save mapping" }).click();
      await page.getByText("Saved: OLD-TEE-M is sent as ERP item TEE-0042 from now on.").waitFor();
      await page.getByRole("button", { name: "Retry the 3 orders waiting on OLD-TEE-M" }).click();
      await page.locator(".stub-toast", { hasText: /^3 orders waiting on OLD-TEE-M are back in the queue/ }).first().waitFor();
      await page.getByText("ERP item: TEE-0042 (from the SKU mapping table)").waitFor();
      const states = await suite.db.prisma.orderSync.findMany({ where: { id: { in: [ids.tee1, ids.tee2, ids.tee3] } }, select: { state: true } });
      expect(states.map((s) => s.state)).toEqual(["pending", "pending", "pending"]);

      // Settings → SKU mapping has the same field.
      await page.goto(await suite.app.adminUrl("/app/settings"));
      const settingsField = page.getByRole("combobox", { name: "ERP item number" });
      await settingsField.pressSequentially("tee", { delay: 60 });
      await page.getByRole("option", { name: "OLD-TEE-M — Old tee / M" }).click();
      await expect.poll(() => settingsField.inputValue()).toBe("OLD-TEE-M");
    } finally {
      await page.close();
      if (before) await suite.db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { connectorType: before.connectorType, connectorConfig: before.connectorConfig, connectorSecrets: before.connectorSecrets } });
      else await suite.db.prisma.shopSettings.delete({ where: { shop: SHOP } });
    }
  });

  it.skipIf(skipReason)("mark resolved: 'Resolved by staff' in its own badge, and no 'Retry now' on resolved or synced orders", async () => {
    await suite.db.prisma.orderSync.update({ where: { id: ids.blocked }, data: { state: "failed", resolvedBy: null, resolvedAt: null } });
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl(`/app/orders/${ids.blocked}`));
    await page.getByRole("heading", { name: "#3004", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Retry now" }).first().waitFor();
    if (width.name === "phone") {
      // Polaris folds the secondary actions into a menu on narrow screens.
      await page.getByRole("button", { name: "View actions" }).first().click();
    }
    await (width.name === "phone" ? page.locator(".Polaris-Popover").getByText("Mark resolved", { exact: true }) : page.getByRole("button", { name: /^Mark resolved/ })).first().click();
    await page.locator(".stub-toast", { hasText: "1 order marked as resolved" }).first().waitFor();
    await page.getByText("Resolved by staff", { exact: true }).first().waitFor();
    await expect(page.getByText("Synced", { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Retry now" }).count()).resolves.toBe(0);
    await checkPage(page, `resolved order ${width.name}`);
    await screenshot(page, `order-resolved-${width.name}`);
    await page.goto(await suite.app.adminUrl(`/app/orders/${ids.synced}`));
    await page.getByRole("heading", { name: "#3005", level: 1 }).waitFor();
    await expect(page.getByRole("button", { name: "Retry now" }).count()).resolves.toBe(0);
    await checkPage(page, `synced order ${width.name}`);
    await page.close();
  });

  it.skipIf(skipReason)("bulk skip asks for a reason, and the skip can be undone", async () => {
    await suite.db.prisma.orderSync.updateMany({ where: { id: { in: [ids.skip1, ids.skip2] } }, data: { state: "failed", manualSkip: false, skipReason: null } });
    const page = await openPage(width);
    await page.goto(await suite.app.adminUrl("/app/orders?q=crate"));
    await page.getByRole("heading", { name: "Orders", level: 1 }).waitFor();
    await page.getByText("#3006").first().waitFor();
    await checkPage(page, `orders log ${width.name}`);
    await screenshot(page, `orders-${width.name}`);
    await page.getByRole("checkbox", { name: /Select all/ }).first().check();
    await page.getByRole("button", { name: "Skip selected" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("You can undo this for 10 minutes").waitFor();
    await dialog.getByRole("button", { name: "Skip 2 orders" }).click();
    await dialog.getByText("Say why these orders should not go to the ERP").waitFor();
    await checkPage(page, `bulk skip dialog ${width.name}`);
    await screenshot(page, `orders-skip-dialog-${width.name}`);
    await dialog.getByLabel("Reason (shown in each order's history)").fill("Wholesale, entered by hand");
    await dialog.getByRole("button", { name: "Skip 2 orders" }).click();
    await page.getByText("2 orders skipped: Wholesale, entered by hand").waitFor();
    expect((await suite.db.prisma.orderSync.findMany({ where: { id: { in: [ids.skip1, ids.skip2] } } })).map((r) => r.state)).toEqual(["skipped", "skipped"]);
    await checkPage(page, `undo offer ${width.name}`);
    await screenshot(page, `orders-undo-${width.name}`);
    await page.getByRole("button", { name: "Undo skip of 2 orders" }).click();
    await page.locator(".stub-toast", { hasText: "2 skipped orders are back in the queue" }).first().waitFor();
    expect((await suite.db.prisma.orderSync.findMany({ where: { id: { in: [ids.skip1, ids.skip2] } } })).map((r) => r.state)).toEqual(["pending", "pending"]);
    await page.close();
  });
});
