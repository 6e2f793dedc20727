// What `npm run demo -- --check` verifies about delivery health and the
// settings dry run, through the app's own resource routes as the pages call
// them (session token from the Shopify stand-in): the dashboard's Delivery
// health card counts the demo's orders as arrived by webhook and measures
// their way into the ERP; previewing the SKU mapping that fixes the demo's
// unknown item shows the orders it would change, and saves nothing.
import type { PrismaClient } from "@prisma/client";
import type { DeliveryHealthPanel } from "../../app/models/delivery-health.server";
import { formatDuration } from "../../app/health/delivery-health";
import type { DryRunResult } from "../../app/dry-run/dry-run";
import type { CheckResult } from "./checks";
import { LEGACY_SKU } from "./order-stream";
import type { ShopifyStandIn } from "./shopify-stand-in";

const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export async function checkHealthAndPreview(opts: { prisma: PrismaClient; shop: string; shopify: ShopifyStandIn; appUrl: string }): Promise<CheckResult[]> {
  const { prisma, shop, shopify, appUrl } = opts;
  const results: CheckResult[] = [];
  const headers = async () => ({ Authorization: `Bearer ${await shopify.sessionToken()}`, "User-Agent": BROWSER_USER_AGENT });

  const res = await fetch(`${appUrl}/app/health?_data=${encodeURIComponent("routes/app.health")}`, { headers: await headers() });
  const panel = ((await res.json().catch(() => null)) as { panel?: DeliveryHealthPanel } | null)?.panel;
  // The demo's orders carry fixed creation times some days back: the 14-day window holds them.
  const day = panel?.health.sources.fortnight;
  const lag = panel?.health.lag.fortnight;
  results.push({
    name: "the Delivery health card counts the orders that arrived by webhook and their time into the ERP",
    ok: res.status === 200 && !!day && day.counts.webhook > 0 && day.counts.reconciliation === 0 && !!lag && lag.samples > 0 && lag.p99Ms !== null,
    detail: day && lag ? `last 14 days: ${day.counts.webhook} by webhook, ${day.counts.reconciliation} found by reconciliation; ${lag.samples} documents, placed → in the ERP p50 ${formatDuration(lag.p50Ms)}, p99 ${formatDuration(lag.p99Ms)}` : `HTTP ${res.status}`,
  });

  const mappingsBefore = await prisma.skuMapping.count({ where: { shop } });
  const preview = await fetch(`${appUrl}/app/settings?_data=${encodeURIComponent("routes/app.settings")}`, {
    method: "POST",
    headers: { ...(await headers()), "Content-Type": "application/json" },
    body: JSON.stringify({ intent: "preview", change: { kind: "sku_upsert", sku: LEGACY_SKU.sku, itemNumber: LEGACY_SKU.itemNumber } }),
  });
  const answer = (await preview.json().catch(() => null)) as { ok?: boolean; message?: string; preview?: DryRunResult } | null;
  const changedField = answer?.preview?.changed.orders[0]?.changes?.find((c) => c.path.endsWith(".itemNumber"));
  results.push({
    name: `Preview of the mapping ${LEGACY_SKU.sku} → ${LEGACY_SKU.itemNumber} shows the orders it changes, and saves nothing`,
    ok:
      preview.status === 200 &&
      answer?.ok === true &&
      (answer.preview?.changed.count ?? 0) > 0 &&
      changedField?.after === LEGACY_SKU.itemNumber &&
      (await prisma.skuMapping.count({ where: { shop } })) === mappingsBefore,
    detail: answer?.message ?? `HTTP ${preview.status}`,
  });
  return results;
}
