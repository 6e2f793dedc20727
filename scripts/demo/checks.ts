// What `npm run demo -- --check` verifies once the stream has been worked
// through: the product did what the demo claims, seen from the outside (the
// local ERP's records, the ledger staff see, the served dashboard).
import type { PrismaClient } from "@prisma/client";
import type { DemoErp } from "./demo-erp";
import { LEGACY_SKU, type DemoEvent } from "./order-stream";
import type { ShopifyStandIn } from "./shopify-stand-in";

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

const ACTIVE_STATES = ["pending", "sending", "retrying"];

/** Waits until no order is still on its way (or the time is up). */
export async function waitUntilSettled(prisma: PrismaClient, shop: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const active = await prisma.orderSync.count({ where: { shop, state: { in: ACTIVE_STATES } } });
    if (active === 0) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function orderIdOf(event: DemoEvent): string {
  return /"admin_graphql_api_id":"gid:\/\/shopify\/Order\/(\d+)"/.exec(event.body)?.[1] ?? "";
}

export async function checkOutcome(opts: {
  prisma: PrismaClient;
  shop: string;
  erp: DemoErp;
  events: DemoEvent[];
}): Promise<CheckResult[]> {
  const { prisma, shop, erp, events } = opts;
  const results: CheckResult[] = [];
  const creates = events.filter((e) => e.topic === "orders/create" && e.expect !== "duplicate");
  const rows = await prisma.orderSync.findMany({ where: { shop } });
  const byName = new Map(rows.map((r) => [r.orderName, r]));

  // The order the stream cancels is judged by the cancellation check below
  // alone: whether it reached the ERP depends on timing (cancelled while its
  // create was still being retried through the outage = never sent, by
  // design), so it must not also be required here.
  const cancelledNames = new Set(events.filter((e) => e.expect === "cancelled").map((e) => e.orderName));
  const wanted = creates.filter((e) => e.expect === "synced" && !cancelledNames.has(e.orderName));
  const missing = wanted.filter((e) => !erp.orders.has(`shopify-${orderIdOf(e)}`));
  results.push({
    name: "ordinary orders reached the ERP",
    ok: missing.length === 0,
    detail: `${wanted.length - missing.length} of ${wanted.length} in the ERP${missing.length ? `; missing ${missing.map((e) => e.orderName).join(", ")}` : ""}`,
  });

  const notSynced = wanted.filter((e) => byName.get(e.orderName)?.state !== "synced");
  results.push({
    name: "ordinary orders are shown as synced",
    ok: notSynced.length === 0,
    detail: notSynced.length ? `not synced: ${notSynced.map((e) => `${e.orderName} (${byName.get(e.orderName)?.state})`).join(", ")}` : `${wanted.length} synced`,
  });

  for (const [expect, phrase] of [
    ["no-sku", "has no SKU"],
    ["unknown-item", "does not exist in the ERP"],
  ] as const) {
    const group = creates.filter((e) => e.expect === expect);
    const wrong = group.filter((e) => {
      const row = byName.get(e.orderName);
      return row?.state !== "needs_attention" || !`${row.problems} ${row.lastError ?? ""}`.includes(phrase);
    });
    results.push({
      name: `orders whose line ${expect === "no-sku" ? "has no SKU" : "has an SKU the ERP does not know"} need attention, in words`,
      ok: group.length > 0 && wrong.length === 0,
      detail: wrong.length ? `wrong: ${wrong.map((e) => `${e.orderName} (${byName.get(e.orderName)?.state})`).join(", ")}` : `${group.length} orders say "${phrase}"`,
    });
  }

  const cancelled = events.find((e) => e.expect === "cancelled");
  if (cancelled) {
    const row = byName.get(cancelled.orderName);
    const inErp = erp.orders.get(`shopify-${orderIdOf(cancelled)}`);
    // Skipped is right only if nothing was created (a skipped row with an ERP order would be an orphan).
    const ok = (row?.state === "synced" && inErp?.status === "cancelled") || (row?.state === "skipped" && !inErp);
    results.push({ name: "the cancelled order is cancelled in the ERP (or never sent)", ok, detail: `${cancelled.orderName}: ledger ${row?.state}, ERP ${inErp?.status ?? "none"}` });
  }

  const received = await prisma.webhookEvent.count({ where: { shop } });
  const distinct = new Set(events.map((e) => e.eventId)).size;
  results.push({
    name: "a redelivered event is recorded once",
    ok: received === distinct && distinct < events.length,
    detail: `${events.length} deliveries, ${distinct} distinct events, ${received} recorded`,
  });

  results.push({
    name: "the ERP outage was ridden out by retries",
    ok: erp.outageRefusals > 0 && missing.length === 0,
    detail: `${erp.outageRefusals} requests refused during the outage; all ordinary orders still arrived`,
  });

  const duplicates = [...erp.orders.values()].length - new Set([...erp.orders.keys()]).size;
  results.push({ name: "no order is in the ERP twice", ok: duplicates === 0, detail: `${erp.orders.size} ERP orders` });
  return results;
}

// Shopify's library answers bots with 410; a person's browser says this.
const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/**
 * Through the app's own pages, as staff would (session tokens from the
 * Shopify stand-in, Remix actions with App Bridge's Authorization header):
 * the dashboard loads (its shop query answered offline); adding the SKU
 * mapping in Settings and choosing Retry on the orders that need attention
 * because of it gets them into the ERP.
 */
export async function fixUnknownSkuThroughPages(opts: {
  prisma: PrismaClient;
  shop: string;
  erp: DemoErp;
  shopify: ShopifyStandIn;
  appUrl: string;
}): Promise<CheckResult[]> {
  const { prisma, shop, erp, shopify, appUrl } = opts;
  const results: CheckResult[] = [];
  const dashboard = await fetch(await shopify.embeddedUrl("/app"), { headers: { "User-Agent": BROWSER_USER_AGENT }, redirect: "manual" });
  const html = await dashboard.text();
  results.push({
    name: "the dashboard opens with a session token and shows the shop from the Admin API",
    ok: dashboard.status === 200 && html.includes("Demo Shop"),
    detail: `HTTP ${dashboard.status}`,
  });

  const call = async (pathname: string, route: string, body: string, contentType: string) => {
    const res = await fetch(`${appUrl}${pathname}?_data=${encodeURIComponent(route)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await shopify.sessionToken()}`, "Content-Type": contentType, "User-Agent": BROWSER_USER_AGENT },
      body,
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as { ok?: boolean; message?: string } | null };
  };
  const mapping = await call(
    "/app/settings",
    "routes/app.settings",
    JSON.stringify({ intent: "sku_upsert", sku: LEGACY_SKU.sku, itemNumber: LEGACY_SKU.itemNumber }),
    "application/json",
  );
  results.push({
    name: "Settings saves the SKU mapping",
    ok: mapping.status === 200 && mapping.json?.ok === true,
    detail: `HTTP ${mapping.status}: ${mapping.json?.message ?? ""}`,
  });

  const stuck = await prisma.orderSync.findMany({
    where: { shop, state: "needs_attention", searchText: { contains: LEGACY_SKU.sku.toLowerCase() } },
  });
  const retries = [];
  for (const row of stuck) {
    const form = new URLSearchParams({ intent: "retry_now" }).toString();
    retries.push(await call(`/app/orders/${row.id}`, "routes/app.orders.$id", form, "application/x-www-form-urlencoded"));
  }
  await waitUntilSettled(prisma, shop, 30_000);
  const after = await prisma.orderSync.findMany({ where: { id: { in: stuck.map((r) => r.id) } } });
  const fixed = after.filter((r) => r.state === "synced" && erp.orders.has(r.externalId));
  results.push({
    name: "after Retry, the orders with the mapped SKU are in the ERP",
    ok: stuck.length > 0 && fixed.length === stuck.length && retries.every((r) => r.status === 200 && r.json?.ok),
    detail: `${fixed.length} of ${stuck.length} synced (${retries.map((r) => r.json?.message).join("; ")})`,
  });
  return results;
}

/**
 * What the demo must let staff do besides syncing: save Settings as they are
 * (the demo ERP's loopback http:// address must pass the web app's URL guard
 * the worker uses too), and "Check for missed orders now" must be picked up
 * by the worker's production jobs and finish.
 */
export async function settingsAndJobsThroughPages(opts: { shopify: ShopifyStandIn; appUrl: string }): Promise<CheckResult[]> {
  const { shopify, appUrl } = opts;
  const results: CheckResult[] = [];
  const headers = async (contentType?: string) => ({
    Authorization: `Bearer ${await shopify.sessionToken()}`,
    "User-Agent": BROWSER_USER_AGENT,
    ...(contentType ? { "Content-Type": contentType } : {}),
  });
  const page = await fetch(`${appUrl}/app/settings?_data=${encodeURIComponent("routes/app.settings")}`, { headers: await headers() });
  const data = (await page.json().catch(() => null)) as {
    settings?: { connectorType: string; values: Record<string, string>; externalIdPrefix: string; logRetentionDays: number; syncRules: unknown };
  } | null;
  const s = data?.settings;
  if (!s) {
    results.push({ name: "Settings saves as it is", ok: false, detail: `settings page data: HTTP ${page.status}` });
  } else {
    const saved = await fetch(`${appUrl}/app/settings?_data=${encodeURIComponent("routes/app.settings")}`, {
      method: "POST",
      headers: await headers("application/json"),
      body: JSON.stringify({
        intent: "save",
        connector: { connectorType: s.connectorType, values: s.values },
        general: { externalIdPrefix: s.externalIdPrefix, logRetentionDays: s.logRetentionDays },
        syncRules: s.syncRules,
      }),
    });
    const body = (await saved.json().catch(() => null)) as { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | null;
    results.push({
      name: "Settings saves as it is (the demo ERP's loopback address passes the web app's URL guard)",
      ok: saved.status === 200 && body?.ok === true,
      detail: `HTTP ${saved.status}: ${body?.message ?? ""} ${JSON.stringify(body?.fieldErrors ?? {})}`,
    });
  }

  const check = await fetch(`${appUrl}/app/settings/reconciliation?_data=${encodeURIComponent("routes/app.settings.reconciliation")}`, {
    method: "POST",
    headers: await headers("application/json"),
    body: JSON.stringify({ intent: "check_now" }),
  });
  let state = ((await check.json().catch(() => null)) as { panel?: { state: string } } | null)?.panel?.state ?? `HTTP ${check.status}`;
  const deadline = Date.now() + 30_000;
  while (state !== "completed" && state !== "failed" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const poll = await fetch(`${appUrl}/app/settings/reconciliation?_data=${encodeURIComponent("routes/app.settings.reconciliation")}`, { headers: await headers() });
    state = ((await poll.json().catch(() => null)) as { panel?: { state: string } } | null)?.panel?.state ?? `HTTP ${poll.status}`;
  }
  results.push({ name: "'Check for missed orders now' is run by the worker's jobs and finishes", ok: state === "completed", detail: `state: ${state}` });
  return results;
}
