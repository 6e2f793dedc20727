// The completeness certificate and the three-way diff card in a real browser
// (Debian's Chromium through playwright-core), against the production build
// on a seeded SQLite database (test/support/browser/app-harness.ts), opened
// as Shopify's admin opens pages, with a session token: the dashboard card's
// headline, the drill-down and its filter, "Make certificate", and the order
// page's "Compare with the ERP" for a shop without an ERP.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestDatabase } from "../../testkit/db";
import { seedInstalledShop, setUpBrowserApp } from "../support/browser/browser-suite";

const SHOP = "browser-certificate.myshopify.com";
let page: Page;
let certificateId: string;
let orderId: string;

const exception = (kind: string, orderName: string, message: string) => ({ kind, orderId: orderName.slice(1), orderName, createdAt: "2026-11-24T10:00:00Z", externalId: `shopify-${orderName.slice(1)}`, ledgerState: "synced", shopifyTotal: "52.15", erpTotal: null, erpDocuments: [], message });

const suite = setUpBrowserApp({ shop: SHOP, name: "certificate", seed });
const { skipReason } = suite;

async function seed(prisma: TestDatabase["prisma"]) {
  await seedInstalledShop(prisma, SHOP);
  orderId = (await prisma.orderSync.create({ data: { shop: SHOP, orderId: "3001", orderGid: "gid://shopify/Order/3001", orderName: "#3001", externalId: "shopify-3001", state: "synced", snapshot: "{}", sourceUpdatedAt: new Date() } })).id;
  certificateId = (
    await prisma.completenessCertificate.create({
      data: {
        shop: SHOP,
        windowStart: new Date("2026-11-24T00:00:00Z"),
        windowEnd: new Date("2026-11-25T00:00:00Z"),
        trigger: "daily",
        status: "exceptions",
        erpReadBack: true,
        shopifyCount: 1204,
        ledgerCount: 1204,
        expectedInErp: 1204,
        erpCount: 1203,
        erpDocuments: 1204,
        missingInErp: 1,
        duplicated: 1,
        exceptions: JSON.stringify([exception("missing_in_erp", "#3001", "Open the order and choose Retry."), exception("duplicated", "#3002", "Cancel the copy SO-9 in the ERP.")]),
        finishedAt: new Date(),
      },
    })
  ).id;
}

beforeAll(async () => {
  if (!skipReason) page = await suite.openPage({ width: 1280, height: 900 });
});

describe("certificate pages in Chromium", () => {
  it.skipIf(skipReason)("the dashboard card shows the newest certificate and leads to its exceptions, filterable by kind", async () => {
    await page.goto(await suite.app.adminUrl("/app"));
    await page.getByText("1,204 orders in Shopify, 1,203 in the ERP, 1 missing, 1 duplicated, 0 with a different total").waitFor();
    await page.getByText("Not complete").first().waitFor();
    await page.getByRole("link", { name: "See the orders to fix" }).click();
    await page.waitForURL(new RegExp(`/app/certificates/${certificateId}`));
    await page.getByRole("heading", { name: /Orders created 24 Nov 2026/ }).waitFor();
    await page.getByText("Cancel the copy SO-9 in the ERP.").waitFor();
    await expect(page.locator("tbody tr").count()).resolves.toBe(2);
    await page.getByRole("button", { name: "Duplicated in the ERP" }).click();
    await page.waitForURL(/kind=duplicated/);
    await page.getByText("Open the order and choose Retry.").waitFor({ state: "detached" });
    await expect(page.locator("tbody tr").count()).resolves.toBe(1);
    // The CSV comes through the production router's resource route, fetched with the session token.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("completeness-2026-11-24-to-2026-11-24.csv");
    const file = await download.path();
    const text = (await import("node:fs")).readFileSync(file!, "utf8");
    expect(text.split("\n")[0]).toContain("Exception,Order,Shopify order id");
    expect(text).toContain("Cancel the copy SO-9 in the ERP.");
  });

  it.skipIf(skipReason)("'Make certificate' asks for a date range and says when it will appear", async () => {
    await page.goto(await suite.app.adminUrl("/app/certificates"));
    await page.getByLabel("First day").fill("2026-11-20");
    await page.getByLabel("Last day").fill("2026-11-21");
    await page.getByRole("button", { name: "Make certificate" }).click();
    await page.getByText("Certificate for 20 Nov 2026 – 21 Nov 2026 requested.").waitFor();
    expect(await suite.db.prisma.completenessCertificate.count({ where: { shop: SHOP, trigger: "manual", status: "requested" } })).toBe(1);
  });

  it.skipIf(skipReason)("the order page's three-way diff says plainly when no ERP is connected", async () => {
    await page.goto(await suite.app.adminUrl(`/app/orders/${orderId}`));
    await page.getByRole("button", { name: "Compare with the ERP" }).click();
    await page.getByText("No ERP is connected yet, so there is nothing to compare with.").waitFor();
  });
});
