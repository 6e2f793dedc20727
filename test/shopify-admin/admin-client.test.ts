// The Admin client against the fake Admin API on virtual time: it learns each
// shop's bucket from responses, paces itself so Shopify never has to throttle
// it, recovers when it is throttled anyway, retries 5xx, refreshes a rejected
// token once, and refuses queries that cost too much.
import { describe, expect, it, vi } from "vitest";
import { ORDER_FOR_SYNC_QUERY, ORDERS_FOR_SYNC_PAGE_QUERY, RECONCILE_ORDERS_PAGE_QUERY } from "../../app/graphql/orders";
import { ShopifyAdminApi, type AdminApiDeps } from "../../app/shopify-admin/admin-client";
import { createVirtualClock } from "../../testkit/virtual-clock";
import { AdminApiError } from "../../app/shopify-admin/errors";
import { FakeAdminApi, type FakeAdminApiOptions } from "../../testkit/fake-admin-api";

const silent = { level: "silent" } as const;

function setup(fakeOptions: FakeAdminApiOptions = {}, deps: Partial<AdminApiDeps> = {}) {
  const clock = createVirtualClock();
  const fake = new FakeAdminApi({ clock, ...fakeOptions });
  fake.seed({ count: 1200 });
  const refreshAccessToken = vi.fn(async () => fake.accessToken);
  const api = new ShopifyAdminApi({
    getAccessToken: async () => "shpat_test_token",
    refreshAccessToken,
    fetch: fake.fetch,
    clock,
    random: () => 0.5,
    logger: (await_import_logger()),
    ...deps,
  });
  return { clock, fake, api, admin: api.forShop(fake.shop), refreshAccessToken };
}

// pino at level silent: the client logs, tests stay quiet.
import { createLogger } from "../../app/logging/logger";
function await_import_logger() {
  return createLogger(silent);
}

const LIST = { first: 250, after: null as string | null, query: "updated_at:>='2026-01-01T00:00:00Z'" };

async function listAll(admin: ReturnType<ShopifyAdminApi["forShop"]>, rounds: number) {
  for (let i = 0; i < rounds; i++) {
    let after: string | null = null;
    do {
      const { data }: { data: { orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } = await admin.query(RECONCILE_ORDERS_PAGE_QUERY, { ...LIST, after });
      after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
    } while (after);
  }
}

describe("Admin API client", () => {
  it.each([
    { restoreRate: 50, maximumAvailable: 1000 },
    { restoreRate: 100, maximumAvailable: 2000 },
    { restoreRate: 1000, maximumAvailable: 2000 },
  ])("learns a $restoreRate points/s bucket from responses and is never throttled", async (plan) => {
    const { fake, admin, clock } = setup(plan);
    await listAll(admin, 6); // 6 × 5 pages × ~250 points
    expect(fake.invalidQueries).toEqual([]);
    expect(fake.throttledCount).toBe(0);
    expect(admin.bucket()).toMatchObject({ restoreRate: plan.restoreRate, maximumAvailable: plan.maximumAvailable });
    // Waited about as long as the cost bound demands, not more.
    const bound = ((fake.actualCostTotal - plan.maximumAvailable) / plan.restoreRate) * 1000;
    expect(clock.sleptMs).toBeLessThanOrEqual(Math.max(0, bound) * 1.1 + 3000);
    expect(clock.sleptMs).toBeGreaterThanOrEqual(bound * 0.9);
  });

  it("recovers from THROTTLED when another caller emptied the bucket", async () => {
    const { fake, admin } = setup({ restoreRate: 100 });
    fake.drain(990); // the client cannot know: its first call is refused
    const { data } = await admin.query<{ orders: { nodes: unknown[] } }>(RECONCILE_ORDERS_PAGE_QUERY, LIST);
    expect(data.orders.nodes).toHaveLength(250);
    expect(fake.throttledCount).toBe(1);
    expect(admin.stats()).toMatchObject({ throttled: 1, retries: 1 });
  });

  it("retries 5xx answers with backoff, then gives a transient error", async () => {
    const { fake, admin, clock } = setup();
    fake.failNext(2, 502);
    await admin.query(RECONCILE_ORDERS_PAGE_QUERY, LIST);
    expect(admin.stats().retries).toBe(2);
    expect(clock.sleptMs).toBeGreaterThan(0);

    fake.failNext(20, 503);
    const error = await admin.query(RECONCILE_ORDERS_PAGE_QUERY, LIST).catch((e) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ code: "SERVER_ERROR", kind: "transient" });
  });

  it("refreshes a rejected token once, then asks the merchant to re-authorise", async () => {
    const { fake, admin, refreshAccessToken } = setup();
    fake.accessToken = "shpat_rotated";
    await admin.query(RECONCILE_ORDERS_PAGE_QUERY, LIST);
    expect(refreshAccessToken).toHaveBeenCalledTimes(1);

    const stuck = setup({}, { refreshAccessToken: async () => "shpat_still_wrong" });
    stuck.fake.accessToken = "shpat_other";
    const error = await stuck.admin.query(RECONCILE_ORDERS_PAGE_QUERY, LIST).catch((e) => e);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", kind: "permanent" });
    expect(error.userMessage).toMatch(/re-authorise|reinstall/);
  });

  it("refuses a query above the configured max cost, without sending it again", async () => {
    const { fake, admin } = setup({}, { maxQueryCost: 100 });
    const id = fake.orders[0].id;
    await expect(admin.query(ORDER_FOR_SYNC_QUERY, { id })).rejects.toMatchObject({ code: "MAX_COST_EXCEEDED" });
    const sent = fake.requests.length;
    await expect(admin.query(ORDER_FOR_SYNC_QUERY, { id })).rejects.toMatchObject({ code: "MAX_COST_EXCEEDED" });
    expect(fake.requests.length).toBe(sent);
    await expect(admin.query(RECONCILE_ORDERS_PAGE_QUERY, LIST, { expectedCost: 900 })).rejects.toMatchObject({ code: "MAX_COST_EXCEEDED" });
    expect(fake.requests.length).toBe(sent);
  });

  it("reports Shopify's own single-query limit as a permanent error", async () => {
    const { admin } = setup();
    const error = await admin.query(ORDERS_FOR_SYNC_PAGE_QUERY, { first: 10, query: "" }).catch((e) => e);
    expect(error).toMatchObject({ code: "MAX_COST_EXCEEDED", kind: "permanent" });
  });

  it("keeps separate buckets per shop", async () => {
    const clock = createVirtualClock();
    const a = new FakeAdminApi({ clock, shop: "a.myshopify.com", restoreRate: 50 });
    const b = new FakeAdminApi({ clock, shop: "b.myshopify.com", restoreRate: 1000 });
    a.seed({ count: 10 });
    b.seed({ count: 10 });
    const fetchBoth: typeof fetch = (input, init) => (new Request(input, init).url.includes("a.myshopify") ? a.fetch(input, init) : b.fetch(input, init));
    const api = new ShopifyAdminApi({ getAccessToken: async () => "shpat_test_token", refreshAccessToken: async () => "x", fetch: fetchBoth, clock, logger: createLogger(silent) });
    await api.forShop(a.shop).query(RECONCILE_ORDERS_PAGE_QUERY, LIST);
    await api.forShop(b.shop).query(RECONCILE_ORDERS_PAGE_QUERY, LIST);
    expect(api.forShop(a.shop).bucket().restoreRate).toBe(50);
    expect(api.forShop(b.shop).bucket().restoreRate).toBe(1000);
  });
});
