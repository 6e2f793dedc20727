// Set-up shared by the worker job tests: a real migrated SQLite database, the
// fake Admin API on virtual time (each request also waits a real millisecond
// or two, so timers such as stop() get a turn as they would in production)
// or on wall time from NOW (shopifyWorldOnWallTime), and an installed shop
// with a connector chosen.
import type { PrismaClient } from "@prisma/client";
import { createLogger } from "../../app/logging/logger";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import type { Clock } from "../../app/lib/clock";
import { createVirtualClock } from "../../testkit/virtual-clock";
import { sleep } from "../../app/lib/sleep";
import { FakeAdminApi, type FakeAdminApiOptions } from "../../testkit/fake-admin-api";

export const quiet = createLogger({ level: "silent" });
export const NOW = Date.parse("2026-11-25T12:00:00Z");
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/**
 * A clock that starts at `startMs` and moves with real time, for tests where
 * time must pass the same way for the jobs' timers (real) and the records
 * they compare (heartbeats).
 */
function wallClockFrom(startMs: number): Clock {
  const origin = Date.now();
  return { now: () => startMs + (Date.now() - origin), sleep };
}

type WorldOptions = Omit<FakeAdminApiOptions, "clock"> & { requestDelayMs?: number };

/** The fake Admin API and a client for it, on virtual time starting at NOW. */
export function shopifyWorld(options: WorldOptions = {}) {
  return worldOn(createVirtualClock(NOW), options);
}

/** The same on wall time starting at NOW (jobs whose timers must agree with the records' times). */
export function shopifyWorldOnWallTime(options: WorldOptions = {}) {
  return worldOn(wallClockFrom(NOW), options);
}

function worldOn<C extends Clock>(clock: C, options: WorldOptions) {
  const fake = new FakeAdminApi({ ...options, clock });
  const delay = options.requestDelayMs ?? 1;
  const slowFetch: typeof fetch = async (input, init) => {
    await new Promise((r) => setTimeout(r, delay));
    return fake.fetch(input, init);
  };
  const adminApi = new ShopifyAdminApi({
    getAccessToken: async () => fake.accessToken,
    refreshAccessToken: async () => fake.accessToken,
    fetch: slowFetch,
    clock,
    logger: quiet,
  });
  return { clock, fake, adminApi, fetch: slowFetch };
}

/** An installed shop (offline session) with or without an ERP chosen. */
export async function installShop(prisma: PrismaClient, shop: string, connectorType = "generic-http", scope = "read_orders"): Promise<void> {
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: "shpat_x", scope } });
  await prisma.shopSettings.create({ data: { shop, connectorType } });
}

/** Poll until check() returns something truthy (real time; the jobs run on timers). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
