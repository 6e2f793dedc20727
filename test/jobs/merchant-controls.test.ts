// What staff do from the pages, through the real route handlers with a real
// session token: "Check for missed orders now" writes a request that the
// worker's job answers (the page follows it from requested to finished);
// "Import past orders" checks the range (60-day limit without
// read_all_orders) and records a job the worker runs; cancel works on this
// shop's import only; alert settings are saved with errors next to fields.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";
import { startReconciliationJob } from "../../app/jobs/reconciliation-job";
import { loadBackfillPanel, loadReconciliationPanel, startBackfill } from "../../app/models/reconciliation.server";
import { PrismaReconciliationStore } from "../../app/reconciliation/prisma-store";
import { DAY, eventually, HOUR, installShop, NOW, quiet, shopifyWorld } from "./helpers";

const STORE = "controls-test";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "someone-else.myshopify.com";

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>;
let db: TestDatabase;
const routes: Record<string, { loader?: Handler; action?: Handler }> = {};

async function call(handler: Handler, request: Request): Promise<Record<string, unknown>> {
  const result = await handler({ request, params: {}, context: {} });
  return (result instanceof Response ? await result.json() : result) as Record<string, unknown>;
}
const options = { type: RequestType.Admin, store: STORE, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY } as const;
const get = (path: string) => setUpValidRequest(options, new Request(`${APP_URL}${path}`));
const post = (path: string, body: unknown) =>
  setUpValidRequest(options, new Request(`${APP_URL}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }));

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  routes.check = await import("../../app/routes/app.settings.reconciliation");
  routes.backfill = await import("../../app/routes/app.settings.backfill");
  routes.alerts = await import("../../app/routes/app.settings.alerts");
  await installShop(db.prisma, SHOP);
});
afterAll(async () => db.cleanup());

describe("check for missed orders now", () => {
  it("records the request at once and shows it through to the worker's finished run", async () => {
    expect(await call(routes.check.loader!, await get("/app/settings/reconciliation"))).toEqual({ panel: { state: "never", summary: null, at: null, error: null, workerWarning: null } });
    const first = await call(routes.check.action!, await post("/app/settings/reconciliation", { intent: "check_now" }));
    expect(first).toMatchObject({ ok: true, message: "Checking Shopify for missed orders", panel: { state: "requested" } });
    const again = await call(routes.check.action!, await post("/app/settings/reconciliation", { intent: "check_now" }));
    expect(again).toMatchObject({ message: "A check for missed orders is already on its way", panel: { state: "requested" } });

    const w = shopifyWorld({ shop: SHOP });
    w.fake.seed({ count: 5, startAt: new Date(NOW - 2 * HOUR), spacingMs: 10 * 60_000 });
    const job = startReconciliationJob({ prisma: db.prisma, adminApi: w.adminApi, logger: quiet, clock: w.clock, requestPollMs: 20 });
    try {
      const panel = await eventually(async () => {
        const p = await loadReconciliationPanel(db.prisma, SHOP);
        return p.state === "completed" && p.summary?.startsWith("Check requested by staff") ? p : null;
      });
      expect(panel.summary).toMatch(/^Check requested by staff: compared \d+ orders \(orders updated between 2026-11-2\d \d\d:\d\d UTC and 2026-11-25 12:00 UTC\); /);
      const scheduled = (await new PrismaReconciliationStore(db.prisma).listRuns(SHOP, 5)).find((r) => r.trigger === "schedule");
      expect(scheduled).toMatchObject({ missingFound: 5, enqueued: 5 });
    } finally {
      await job.stop();
    }
  });

  it("shows a refused request by its reason alone", async () => {
    const { refuseRequestedRuns, requestReconciliation } = await import("../../app/reconciliation/prisma-store");
    await requestReconciliation(db.prisma, OTHER);
    await refuseRequestedRuns(db.prisma, OTHER, "Connect your ERP in Settings, then check again.");
    expect(await loadReconciliationPanel(db.prisma, OTHER)).toMatchObject({ state: "failed", summary: "Connect your ERP in Settings, then check again." });
  });
});

describe("import past orders", () => {
  it("explains the 60-day limit next to the first day when read_all_orders is missing", async () => {
    const w = shopifyWorld({ shop: SHOP, scopes: ["read_orders"] });
    const now = new Date(NOW);
    expect(await loadBackfillPanel(db.prisma, SHOP, now)).toMatchObject({ readAllOrders: false, recentFrom: "2026-09-26", active: null });
    const result = await startBackfill(db.prisma, w.adminApi.forShop(SHOP), { from: "2026-06-01", to: "2026-11-20", requestedBy: "staff" }, now);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.from).toMatch(/^Shopify only lets the app read orders from the last 60 days \(since 2026-09-26\)\. .*"Read all orders" permission/);
    expect(await startBackfill(db.prisma, w.adminApi.forShop(SHOP), { from: "2026-11-20", to: "2026-11-01", requestedBy: "staff" }, now)).toMatchObject({
      ok: false,
      fieldErrors: { to: "The last day must be on or after the first day." },
    });
    expect(await startBackfill(db.prisma, w.adminApi.forShop(SHOP), { from: "", to: "2026-11-01", requestedBy: "staff" }, now)).toMatchObject({
      ok: false,
      fieldErrors: { from: "Pick the first day to import." },
    });
  });

  it("records an import with its estimate, shows it as active, and cancels only this shop's import", async () => {
    const w = shopifyWorld({ shop: SHOP });
    w.fake.seed({ count: 12, startAt: new Date(NOW - 10 * DAY), spacingMs: DAY / 2 });
    const now = new Date(NOW);
    const started = await startBackfill(db.prisma, w.adminApi.forShop(SHOP), { from: "2026-11-01", to: "2026-11-25", requestedBy: "staff user 42" }, now);
    expect(started).toEqual({ ok: true, message: "Importing about 12 orders" });
    const panel = await call(routes.backfill.loader!, await get("/app/settings/backfill"));
    expect(panel).toMatchObject({ panel: { active: { status: "pending", from: "2026-11-01", estimatedTotal: 12, processed: 0, requestedBy: "staff user 42" } } });
    const activeId = (panel.panel as { active: { id: string } }).active.id;

    const theirs = await new PrismaReconciliationStore(db.prisma).createBackfill({
      shop: OTHER, rangeStart: now, rangeEnd: now, mode: "paged", requestedBy: "x", estimatedTotal: 1, createdAt: now,
    });
    expect(await call(routes.backfill.action!, await post("/app/settings/backfill", { intent: "cancel", id: theirs.id }))).toMatchObject({
      ok: false,
      message: "That import no longer exists. Reload the page.",
    });
    expect((await db.prisma.backfillJob.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("pending");

    const cancelled = await call(routes.backfill.action!, await post("/app/settings/backfill", { intent: "cancel", id: activeId }));
    expect(cancelled).toMatchObject({ ok: true, message: "Import cancelled", panel: { active: null, recent: [{ id: activeId, status: "cancelled" }] } });
  });
});

describe("alert settings", () => {
  it("saves through the page's route and answers field errors next to the fields", async () => {
    const bad = await call(routes.alerts.action!, await post("/app/settings/alerts", { emails: "", webhookUrl: "ftp://example.com/hook", attentionThreshold: "-1" }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { webhookUrl: expect.any(String), attentionThreshold: "Enter a whole number (0 turns this alert off)." } });
    const good = await call(routes.alerts.action!, await post("/app/settings/alerts", { attentionThreshold: "25", noSyncMinutes: "45" }));
    expect(good).toMatchObject({ ok: true, message: "Alert settings saved", card: { settings: { attentionThreshold: 25, noSyncMinutes: 45, webhookSet: false } } });
  });
});
