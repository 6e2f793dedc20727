// Shared set-up for reconciliation and backfill tests: the fake Admin API on
// virtual time, an Admin client, and a fake intake (testkit/fake-intake.ts).
import type { PrismaClient } from "@prisma/client";
import { createLogger } from "../../app/logging/logger";
import { MemoryReconciliationStore } from "../../testkit/memory-reconciliation-store";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import { createVirtualClock, type VirtualClock } from "../../testkit/virtual-clock";
import { FakeAdminApi, type FakeAdminApiOptions } from "../../testkit/fake-admin-api";
import { FakeIntake } from "../../testkit/fake-intake";

export const quiet = createLogger({ level: "silent" });
export const noPrisma = {} as PrismaClient;

export function world(options: FakeAdminApiOptions & { clock?: VirtualClock } = {}) {
  const clock = options.clock ?? createVirtualClock(Date.parse("2026-11-25T12:00:00Z"));
  const fake = new FakeAdminApi({ ...options, clock });
  const store = new MemoryReconciliationStore();
  const intake = new FakeIntake();
  /** What our token store holds (the fake may have moved on: revoked, rotated). */
  const tokens = { current: fake.accessToken };
  /** A fresh client, as a restarted worker would have (nothing learned yet). */
  const newAdmin = () =>
    new ShopifyAdminApi({
      getAccessToken: async () => tokens.current,
      refreshAccessToken: async () => tokens.current,
      fetch: fake.fetch,
      clock,
      logger: quiet,
    }).forShop(fake.shop);
  return { clock, fake, store, intake, tokens, newAdmin };
}
