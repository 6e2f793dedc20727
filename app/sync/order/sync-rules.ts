// Per-shop sync rules, stored as JSON in ShopSettings.syncRules. Parsing fills
// defaults, so a shop that never opened Settings gets the safe behaviour.
import { z } from "zod";

const DEFAULT_MAX_DELAY_MS = 15 * 60_000;
/** The cap before the retry budget became a time window; the settings form stored it with every save. */
const FORMER_DEFAULT_MAX_DELAY_MS = 30 * 60_000;

/**
 * Rules stored before retries were budgeted by time still parse: their
 * `maxAttempts` no longer ends retries and is dropped, and the former default
 * cap becomes today's (the form never offered that field, so a stored 30
 * minutes is the old default written back, not a shop's choice).
 */
function migrateStoredRetryRules(stored: unknown): unknown {
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return stored;
  const { maxAttempts: _noLongerUsed, ...retry } = stored as Record<string, unknown>;
  if (retry.maxDelayMs === FORMER_DEFAULT_MAX_DELAY_MS) delete retry.maxDelayMs;
  return retry;
}

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
  /** Retrying transient failures: for how long, and how far apart. */
  retry: z
    .preprocess(
      migrateStoredRetryRules,
      z.object({
        /** Window from an order's first failed attempt; a transient failure after it is final (`failed`). */
        maxAgeHours: z.number().min(1).max(24 * 30).default(72),
        /** Ceiling of the first retry delay; each later one doubles (app/lib/backoff.ts). */
        baseDelayMs: z.number().int().min(100).default(2_000),
        /** No two attempts of an order are further apart than this (Retry-After aside). */
        maxDelayMs: z.number().int().min(1_000).default(DEFAULT_MAX_DELAY_MS),
      }),
    )
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
