// Webhook URLs as a client on the network reaches them: the production build
// served by server.mjs (its fast path hands POSTs to the route's action;
// every other method goes through Remix) on a loopback port, against a fresh
// migrated database. Each case checks what the client sees and what the
// server logs.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, removeBuild, startApp, type RunningApp } from "../support/browser/app-harness";
import { createTestDatabase, type TestDatabase } from "../support/db";

const SHOP = "webhook-http.myshopify.com";
/** Every webhook path the app serves, from its route files (webhooks.orders.create.tsx -> /webhooks/orders/create). */
const WEBHOOK_PATHS = readdirSync(path.resolve(__dirname, "../../app/routes"))
  .filter((file) => file.startsWith("webhooks."))
  .map((file) => `/${file.replace(/\.tsx?$/, "").replaceAll(".", "/")}`);

let db: TestDatabase;
let app: RunningApp;
let buildDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, scope: "read_orders", accessToken: "shpat_http" } });
  await db.prisma.shopSettings.create({ data: { shop: SHOP } });
  buildDir = buildApp();
  app = await startApp({ buildDir, databaseUrl: db.url, shop: SHOP });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  if (buildDir) removeBuild(buildDir);
  await db?.cleanup();
});

/** Log lines written since `from` that look like an error report (a stack frame or an "Error:" line). */
function errorReportsSince(from: number): string[] {
  return app
    .output()
    .slice(from)
    .split("\n")
    .filter((line) => /^\s+at |Error\b/.test(line));
}

describe("webhook URLs opened with another method than POST", () => {
  it("finds every webhook route of the app", () => {
    expect(WEBHOOK_PATHS).toContain("/webhooks/orders/create");
    expect(WEBHOOK_PATHS).toContain("/webhooks/app/uninstalled");
    expect(WEBHOOK_PATHS.length).toBeGreaterThanOrEqual(9);
  });

  it.each(WEBHOOK_PATHS)("GET %s answers 405 with Allow: POST and logs no error", async (webhookPath) => {
    const logFrom = app.output().length;
    const response = await fetch(`${app.baseUrl}${webhookPath}`);
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    expect(await response.text()).toMatch(/Webhooks are POST requests/);
    await new Promise((r) => setTimeout(r, 100)); // a stack trace would be written after the answer
    expect(errorReportsSince(logFrom)).toEqual([]);
  });

  it.each(["HEAD", "PUT", "DELETE"])("%s /webhooks/app/uninstalled answers 405 with Allow: POST", async (method) => {
    const logFrom = app.output().length;
    const response = await fetch(`${app.baseUrl}/webhooks/app/uninstalled`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    expect(errorReportsSince(logFrom)).toEqual([]);
  });
});
