// The set-up every browser test file shares, as vitest hooks: a seeded test
// database, the production build served by app-harness.ts, and Debian's
// Chromium; pages opened at a given window size; on a failed test a
// screenshot and the page's text; everything stopped and removed afterwards.
// Also the checks every page and state must pass (axe.ts, no sideways
// scrolling, one main landmark). Screenshots go to screenshots/ (git-ignored).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createTestDatabase, type TestDatabase } from "../../../testkit/db";
import { CHROMIUM_ARGS, CHROMIUM_PATH, DESKTOP_USER_AGENT, buildApp, chromiumMissingReason, removeBuild, startApp, type RunningApp } from "./app-harness";
import { seriousAxeViolations, sidewaysScrolling } from "./axe";

export const SCREENSHOTS = path.resolve(__dirname, "../../../screenshots");

/** The window sizes the page checks run at: a laptop and a phone. */
export const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

export interface BrowserApp {
  /** Why the file's tests are skipped (no Chromium), or null. */
  readonly skipReason: string | null;
  readonly db: TestDatabase;
  readonly app: RunningApp;
  /** A page in a fresh browser context; the newest one is pictured when a test fails. */
  openPage(viewport: { width: number; height: number }, timeoutMs?: number): Promise<Page>;
}

/**
 * Registers the hooks: before all tests the database is made and seeded (the
 * shop's session is seedInstalledShop's), the app built and started, Chromium
 * launched; `name` marks the failure screenshots. Read db and app inside tests.
 */
export function setUpBrowserApp(options: { shop: string; name: string; seed(prisma: TestDatabase["prisma"]): Promise<void> }): BrowserApp {
  const skipReason = chromiumMissingReason();
  if (skipReason) console.warn(skipReason);
  let db: TestDatabase | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let buildDir: string | undefined;
  const contexts: BrowserContext[] = [];
  let current: Page | null = null;

  beforeAll(async () => {
    if (skipReason) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    await options.seed(db.prisma);
    buildDir = buildApp();
    app = await startApp({ buildDir, databaseUrl: db.url, shop: options.shop });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 300_000);

  afterEach(async (ctx) => {
    // A failed step leaves a picture and the page's text behind for whoever reads the log.
    if (current && ctx.task.result?.state === "fail") {
      await screenshot(current, `failed-${options.name}-${ctx.task.name.split(":")[0].replace(/\W+/g, "-")}`).catch(() => undefined);
      console.warn("page text at failure:\n", (await current.locator("body").innerText().catch(() => "")).slice(0, 3000));
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    if (buildDir) removeBuild(buildDir);
    await db?.cleanup();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the browser test's ${what} is started in beforeAll: use it inside a hook or test`);
    return value;
  };
  return {
    skipReason,
    get db() {
      return started(db, "database");
    },
    get app() {
      return started(app, "app");
    },
    async openPage(viewport, timeoutMs = 10_000) {
      const context = await started(browser, "browser").newContext({ userAgent: DESKTOP_USER_AGENT, viewport, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(timeoutMs);
      page.on("pageerror", (error) => console.warn("page error:", error.message));
      current = page;
      return page;
    },
  };
}

/** The shop's offline session as the app stores it after installation, with the scopes granted. */
export async function seedInstalledShop(prisma: TestDatabase["prisma"], shop: string, scope = "read_orders"): Promise<void> {
  await prisma.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "installed",
      isOnline: false,
      scope,
      accessToken: "shpat_browser_test",
      expires: new Date(Date.now() + 24 * 3600_000),
      refreshToken: "shprt_browser_test",
      refreshTokenExpires: new Date(Date.now() + 30 * 24 * 3600_000),
    },
  });
}

/** A worker that reported a moment ago, so pages do not say "Waiting for the worker". */
export async function markWorkerAlive(prisma: TestDatabase["prisma"]): Promise<void> {
  const now = new Date();
  await prisma.workerHeartbeat.upsert({ where: { workerId: "browser-test" }, create: { workerId: "browser-test", startedAt: now, beatAt: now }, update: { beatAt: now } });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits for the App Bridge stand-in's toast with this text. */
export async function waitForToast(page: Page, text: string | RegExp): Promise<void> {
  await page.locator(".stub-toast", { hasText: text }).first().waitFor({ timeout: 15_000 });
}

/**
 * The checks every page and state must pass at every width, once the page
 * has settled: no serious or critical axe findings, nothing scrolling
 * sideways (the elements wider than the window are printed), one main landmark.
 */
export async function checkPage(page: Page, where: string): Promise<void> {
  // The table's loading veil is a passing state: wait until it is gone...
  await expect.poll(() => page.locator(".Polaris-IndexTable__LoadingPanelEntered").count(), { timeout: 10_000 }).toBe(0);
  // ...and has finished sliding out (a CSS transition, half-transparent on its way).
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
