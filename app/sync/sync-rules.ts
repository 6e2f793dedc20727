// Per-shop sync rules, stored as JSON in ShopSettings.syncRules. Parsing fills
// defaults, so a shop that never opened Settings gets the safe behaviour.
import { z } from "zod";

export const syncRulesSchema = z.object({
  /** Which Shopify events lead to ERP writes. */
  events: z
    .object({
      create: z.boolean().default(true),
      update: z.boolean().default(true),
      cancel: z.boolean().default(true),
      refund: z.boolean().default(true),
    })
    .prefault({}),
  /** Whether a Shopify cancellation cancels the ERP order (else: needs attention note only). */
  cancelInErp: z.boolean().default(true),
  filters: z
    .object({
      /** Skip orders Shopify marks as test orders (default: yes). */
      skipTestOrders: z.boolean().default(true),
      /** Only orders carrying at least one of these tags (empty = all). */
      includeTags: z.array(z.string()).default([]),
      /** Skip orders carrying any of these tags. */
      excludeTags: z.array(z.string()).default([]),
      /** Only these sales channels (source_name, e.g. "web", "pos"); empty = all. */
      salesChannels: z.array(z.string()).default([]),
      /** Only these financial statuses (e.g. "paid"); empty = all. */
      financialStatuses: z.array(z.string()).default([]),
      /** Skip orders whose fraud recommendation is "cancel" (high risk). */
      skipHighRisk: z.boolean().default(false),
    })
    .prefault({}),
  /** Retry limits for transient failures. */
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(100).default(10),
      maxAgeHours: z.number().min(1).max(24 * 30).default(72),
      baseDelayMs: z.number().int().min(100).default(2_000),
      maxDelayMs: z.number().int().min(1_000).default(30 * 60_000),
    })
    .prefault({}),
});

export type SyncRules = z.infer<typeof syncRulesSchema>;

export function parseSyncRules(json: string | null | undefined): SyncRules {
  let raw: unknown = {};
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    raw = {};
  }
  const parsed = syncRulesSchema.safeParse(raw);
  return parsed.success ? parsed.data : syncRulesSchema.parse({});
}
