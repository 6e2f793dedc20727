// Security checks on a database holding two shops:
// - every read model and staff action the pages use, called as shop A with
//   shop B's ids, returns nothing of B and changes nothing of B;
// - shop/redact leaves no row of the shop in ANY table that has a shop
//   column (the list comes from Prisma's own model metadata, so a table
//   added later is checked without editing this test);
// - ERP credentials are not readable in a raw dump of the database (the
//   SQLite files, or pg_dump on PostgreSQL).
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { Prisma } from "@prisma/client";
import { overrideAppConfig } from "../support/app-env";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";
import { rawDatabaseBytes } from "../support/raw-dump";
import { seedLedger } from "../ui/seed";

const A = "isolation-a.myshopify.com";
const B = "isolation-b.myshopify.com";
// Marker strings that only shop B's data contains: none may appear in A's answers.
const B_MARK = "ZEBRA-ONLY-IN-B";
let db: TestDatabase;
let bIds: string[];

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  await seedLedger(db.prisma, [
    { shop: A, orderId: "100", orderName: "#A-100", state: "needs_attention", lastError: "A problem" },
    { shop: A, orderId: "101", orderName: "#A-101", state: "synced", syncedAt: new Date() },
  ]);
  const b = await seedLedger(db.prisma, [
    { shop: B, orderId: "100", orderName: `#${B_MARK}-1`, state: "needs_attention", lastError: `${B_MARK} error`, searchText: B_MARK.toLowerCase() },
    { shop: B, orderId: "200", orderName: `#${B_MARK}-2`, state: "failed", lastError: `${B_MARK} failed`, syncedAt: new Date() },
  ]);
  bIds = b.map((r) => r.id);
  for (const row of b) {
    await db.prisma.syncAttempt.create({ data: { shop: B, orderSyncId: row.id, externalId: row.externalId, localId: row.orderName, operation: "create", startedAt: new Date(), attemptNumber: 1, outcome: "needs_attention", errorMessage: B_MARK } });
    await db.prisma.orderAction.create({ data: { shop: B, orderSyncId: row.id, action: "skip", actor: B_MARK } });
  }
  await db.prisma.skuMapping.create({ data: { shop: B, sku: B_MARK, itemNumber: B_MARK, updatedBy: B_MARK } });
});
afterAll(() => db.cleanup());

describe("shop isolation of the pages' read models and actions", () => {
  it("order detail: B's row id and B's Shopify order id are not found as A", async () => {
    const { getOrderDetail } = await import("../../app/models/order-detail.server");
    for (const id of bIds) expect(await getOrderDetail(db.prisma, A, { id })).toBeNull();
    expect(await getOrderDetail(db.prisma, A, { orderId: "200" })).toBeNull();
    // Same Shopify order id in both shops: A gets its own row, never B's.
    expect(JSON.stringify(await getOrderDetail(db.prisma, A, { orderId: "100" }))).not.toContain(B_MARK);
  });

  it("order log, its search and CSV rows never return B's rows", async () => {
    const { listOrderLog, iterateOrderLog, parseOrderLogFilters } = await import("../../app/models/order-log.server");
    for (const query of ["", `q=${B_MARK}`, "state=failed", "state=needs_attention"]) {
      const filters = parseOrderLogFilters(new URLSearchParams(query));
      expect(JSON.stringify(await listOrderLog(db.prisma, A, filters))).not.toContain(B_MARK);
      const rows = [];
      for await (const row of iterateOrderLog(db.prisma, A, filters)) rows.push(row);
      expect(JSON.stringify(rows)).not.toContain(B_MARK);
    }
  });

  it("dashboard counts, chart, attention list and health count only A", async () => {
    const { loadDashboard } = await import("../../app/models/dashboard.server");
    const dashboard = await loadDashboard(db.prisma, A, "24h");
    expect(JSON.stringify(dashboard)).not.toContain(B_MARK);
    expect(dashboard.counts.needs_attention).toBe(1);
    expect(dashboard.counts.failed).toBe(0);
  });

  it("settings page data (SKU mappings included) shows nothing of B", async () => {
    const { loadSettingsPage } = await import("../../app/models/settings-page.server");
    expect(JSON.stringify(await loadSettingsPage(db.prisma, A, new URLSearchParams("sku=ONLY-IN")))).not.toContain(B_MARK);
  });

  it.each(["retry_now", "mark_resolved", "skip"] as const)("staff action %s with B's ids as A: reported not found, B unchanged", async (action) => {
    const { performOrderAction } = await import("../../app/models/order-actions.server");
    const before = await db.prisma.orderSync.findMany({ where: { shop: B }, orderBy: { id: "asc" } });
    const summary = await performOrderAction(db.prisma, { shop: A, actor: "attacker", action, ids: bIds });
    expect(summary.ok).toBe(false);
    expect(summary.message).toMatch(/not found in this shop/);
    expect(await db.prisma.orderSync.findMany({ where: { shop: B }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.prisma.orderAction.count({ where: { actor: "attacker" } })).toBe(0);
  });
});

describe("shop/redact", () => {
  it("leaves no row of the shop in any table with a shop column, and other shops' rows stay", async () => {
    const { eraseShopData } = await import("../../app/shops/shop-lifecycle.server");
    const shopTables = Prisma.dmmf.datamodel.models.filter((m) => m.fields.some((f) => f.name === "shop")).map((m) => m.name);
    const delegate = (model: string) => (db.prisma as unknown as Record<string, { count(args: unknown): Promise<number>; create(args: unknown): Promise<unknown> }>)[model[0].toLowerCase() + model.slice(1)];
    // Give B a row in the tables the seed did not fill, so every table is tested.
    const now = new Date();
    await db.prisma.reconciliationState.create({ data: { shop: B, watermark: now } });
    await db.prisma.reconciliationRun.create({ data: { shop: B, trigger: "manual", windowStart: now, windowEnd: now, startedAt: now, heartbeatAt: now } });
    await db.prisma.backfillJob.create({ data: { shop: B, rangeStart: now, rangeEnd: now, mode: "paged", requestedBy: `staff ${B_MARK}` } });
    await db.prisma.alertSettings.create({ data: { shop: B, email: "ops-b@example.com" } });
    await db.prisma.erpHealth.create({ data: { shop: B, openedAt: now } });
    await db.prisma.completenessCertificate.create({ data: { shop: B, windowStart: now, windowEnd: now, trigger: "daily" } });
    await db.prisma.stockRun.create({ data: { shop: B, trigger: "manual" } });
    await db.prisma.stockLevelChange.create({ data: { shop: B, sku: "X", inventoryItemId: "1", locationId: "1", erpQuantity: 1, unsyncedSold: 0, fromQuantity: 0, toQuantity: 1, runId: "r" } });
    await db.prisma.stockNotice.create({ data: { shop: B, noticeId: "n1", issuedAt: now, items: "[]" } });
    await db.prisma.shipmentSync.create({ data: { shop: B, shipmentId: "s1", externalId: "shopify-1", orderName: `#1 ${B_MARK}`, shipment: "{}" } });
    await db.prisma.shipmentOrderLock.create({ data: { shop: B, externalId: "shopify-1" } });
    await db.prisma.shipmentCursor.create({ data: { shop: B } });
    await db.prisma.shopSettings.create({ data: { shop: B } });
    await db.prisma.shopSettings.create({ data: { shop: A } });
    await db.prisma.session.create({ data: { id: `offline_${B}`, shop: B, state: "s", accessToken: "shpat_b" } });
    await db.prisma.webhookEvent.create({ data: { shop: B, eventId: "e1", topic: "orders/create", payload: "{}" } });
    await db.prisma.skuMappingChange.create({ data: { shop: B, sku: "X", version: 1, source: "form", actor: B_MARK } });

    const before: Record<string, number> = {};
    for (const model of shopTables) before[model] = await delegate(model).count({ where: { shop: B } });
    expect(Object.entries(before).filter(([, n]) => n === 0).map(([m]) => m)).toEqual([]); // every table really had B's data

    await eraseShopData(db.prisma, B);
    const left: Record<string, number> = {};
    for (const model of shopTables) left[model] = await delegate(model).count({ where: { shop: B } });
    expect(left).toEqual(Object.fromEntries(shopTables.map((m) => [m, 0])));
    expect(await db.prisma.orderSync.count({ where: { shop: A } })).toBe(2);
  });
});

describe("credentials at rest", () => {
  it("ERP secrets saved through Settings are not readable anywhere in the database files", async () => {
    const restoreConfig = overrideAppConfig({ ALLOW_PRIVATE_ERP_URLS: "true" });
    onTestFinished(restoreConfig);
    const { saveConnectorSettings } = await import("../../app/settings/shop-settings.server");
    const secrets = { bearerToken: "dump-check-bearer-5c1f0a9e", signingSecret: "dump-check-signing-secret-8b2d" };
    const saved = await saveConnectorSettings(db.prisma, A, { connectorType: "generic-http", values: { baseUrl: "http://127.0.0.1:9/erp", authType: "bearer", ...secrets } });
    expect(saved).toEqual({ ok: true });
    const dump = (await rawDatabaseBytes(db)).toString("latin1");
    expect(dump).toContain("127.0.0.1:9/erp"); // the dump is real: non-secret fields are in it
    for (const secret of Object.values(secrets)) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret).toString("base64"));
    }
  });
});
