// The dashboard card's resource route (/app/health) with a real session
// token: it answers this shop's delivery health only, with the thresholds the
// merchant set and which of them hold now.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";
import type { DeliveryHealthPanel } from "../../app/models/delivery-health.server";

const STORE = "health-route";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "other-health.myshopify.com";
let db: TestDatabase;
let loader: (args: LoaderFunctionArgs) => Promise<unknown>;

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  loader = (await import("../../app/routes/app.health")).loader as typeof loader;
  const { sessionStorage } = await import("../../app/shopify.server");
  await sessionStorage.storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_orders", expires: new Date(Date.now() + 3600_000) }),
  );
  const now = Date.now();
  const row = (shop: string, n: number, firstSeenBy: string, extra: Record<string, unknown> = {}) =>
    db.prisma.orderSync.create({
      data: {
        shop,
        orderId: `${shop}-${n}`,
        orderGid: `gid://shopify/Order/${n}`,
        orderName: `#${n}`,
        externalId: `shopify-${n}`,
        snapshot: "{}",
        sourceUpdatedAt: new Date(),
        shopifyCreatedAt: new Date(now - 60 * 60_000),
        firstSeenBy,
        ...extra,
      },
    });
  for (let i = 0; i < 8; i++) await row(SHOP, i, "webhook", { state: "synced", erpCommittedAt: new Date(now - 55 * 60_000) });
  for (let i = 8; i < 10; i++) await row(SHOP, i, "reconciliation", { state: "pending" });
  for (let i = 0; i < 5; i++) await row(OTHER, 100 + i, "reconciliation", { state: "pending" });
  await db.prisma.alertSettings.create({ data: { shop: SHOP, lostWebhookPercent: 10, lagMinutes: 30, backlogMinutes: 120 } });
});
afterAll(() => db.cleanup());

describe("/app/health", () => {
  it("answers this shop's figures, its thresholds and which hold", async () => {
    const request = await setUpValidRequest({ type: RequestType.Admin, store: STORE, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY }, new Request(`${APP_URL}/app/health`));
    const { panel } = (await loader({ request, params: {}, context: {} })) as { panel: DeliveryHealthPanel };
    expect(panel.health.sources.day.counts).toMatchObject({ webhook: 8, reconciliation: 2 });
    expect(panel.health.sources.day.lostWebhookShare).toBeCloseTo(0.2, 6);
    expect(panel.health.lag.day).toMatchObject({ samples: 8, p50Ms: 5 * 60_000, p99Ms: 5 * 60_000 });
    expect(panel.health.backlog.waiting).toBe(2);
    expect(panel.thresholds).toEqual({ lostWebhookPercent: 10, lagMinutes: 30, backlogMinutes: 120 });
    // 20 % lost ≥ 10 %; lag 5 min < 30; waiting 60 min < 120.
    expect(panel.holding).toEqual(["lost_webhooks"]);
  });

  it("does not answer without a session token", async () => {
    const thrown = await loader({ request: new Request(`${APP_URL}/app/health`), params: {}, context: {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Response);
    expect([302, 401]).toContain((thrown as Response).status);
  });
});
