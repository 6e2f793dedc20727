// The states of an OrderSync row and the ERP write due next.
//
//   pending ──claim──▶ sending ──▶ synced
//      ▲                  │──────▶ retrying ──(backoff due)──▶ sending …
//      │                  │──────▶ needs_attention (staff fix, then replay)
//      │                  │──────▶ failed (retry window ended; replayable)
//      │                  └──────▶ skipped (a rule said so, in words)
//      └── new Shopify content / staff "retry now" (from any state but sending)
//
// "sending" is only ever held under a lease; an expired lease makes the row
// claimable again, so a crashed worker loses nothing.

export const SYNC_STATES = [
  "pending",
  "sending",
  "synced",
  "retrying",
  "needs_attention",
  "failed",
  "skipped",
] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const SYNC_OPERATIONS = ["create", "update", "cancel", "refund", "none"] as const;
export type SyncOperation = (typeof SYNC_OPERATIONS)[number];

/** States a worker may claim when nextAttemptAt has come. */
export const CLAIMABLE_STATES: SyncState[] = ["pending", "retrying"];
