// Delivery health on /metrics, one series per shop (label "shop" = the
// myshopify domain, which names a store, not a person): how orders were first
// seen, the created_at → ERP document lag quantiles, and the waiting backlog.
// Read from the ledger at scrape time like the other queue figures
// (app/observability/metrics.ts), with the same reader as the dashboard.
import type { PrismaClient } from "@prisma/client";
import { Gauge, type Registry } from "prom-client";
import { FIRST_SEEN_SOURCES, HEALTH_WINDOWS, type DeliveryHealth, type HealthWindow } from "./delivery-health";
import { loadDeliveryHealth, shopsWithOrders } from "./delivery-health.server";

/** Shops read per scrape at most (each costs five indexed queries). */
export const MAX_SHOPS_PER_SCRAPE = 500;

export interface HealthMetrics {
  refresh(prisma: PrismaClient, now: Date): Promise<void>;
}

const WINDOW_LABEL: Record<HealthWindow, string> = { day: "24h", fortnight: "14d" };

export function createHealthMetrics(registers: Registry[]): HealthMetrics {
  const firstSeen = new Gauge({
    name: "erp_sync_health_orders_first_seen",
    help: "Orders created in the window, by how the app first saw them (webhook, or found later by reconciliation/backfill)",
    labelNames: ["shop", "window", "source"],
    registers,
  });
  const lostShare = new Gauge({
    name: "erp_sync_health_lost_webhook_ratio",
    help: "Orders found only by reconciliation / (webhook + reconciliation), orders created in the window (NaN: none)",
    labelNames: ["shop", "window"],
    registers,
  });
  const lag = new Gauge({
    name: "erp_sync_health_lag_seconds",
    help: "Time from Shopify's created_at to the ERP document, documents committed in the window, by quantile (NaN: none)",
    labelNames: ["shop", "window", "quantile"],
    registers,
  });
  const waiting = new Gauge({
    name: "erp_sync_health_waiting_orders",
    help: "Orders still to be written to the ERP (pending, sending, retrying, needs attention)",
    labelNames: ["shop"],
    registers,
  });
  const oldest = new Gauge({
    name: "erp_sync_health_oldest_waiting_age_seconds",
    help: "How long the oldest order still waiting has waited: since placed in Shopify, or since imported for backfilled orders (0: none)",
    labelNames: ["shop"],
    registers,
  });

  function set(shop: string, h: DeliveryHealth): void {
    for (const w of Object.keys(HEALTH_WINDOWS) as HealthWindow[]) {
      const window = WINDOW_LABEL[w];
      for (const source of FIRST_SEEN_SOURCES) firstSeen.set({ shop, window, source }, h.sources[w].counts[source]);
      lostShare.set({ shop, window }, h.sources[w].lostWebhookShare ?? Number.NaN);
      lag.set({ shop, window, quantile: "0.5" }, h.lag[w].p50Ms === null ? Number.NaN : h.lag[w].p50Ms / 1000);
      lag.set({ shop, window, quantile: "0.99" }, h.lag[w].p99Ms === null ? Number.NaN : h.lag[w].p99Ms / 1000);
    }
    waiting.set({ shop }, h.backlog.waiting);
    oldest.set({ shop }, (h.backlog.oldestAgeMs ?? 0) / 1000);
  }

  return {
    async refresh(prisma, now) {
      const shops = (await shopsWithOrders(prisma)).slice(0, MAX_SHOPS_PER_SCRAPE);
      const figures = [];
      for (const shop of shops) figures.push({ shop, health: await loadDeliveryHealth(prisma, shop, now) });
      // A shop whose rows were purged disappears from the output instead of keeping old values.
      for (const gauge of [firstSeen, lostShare, lag, waiting, oldest]) gauge.reset();
      for (const f of figures) set(f.shop, f.health);
    },
  };
}
