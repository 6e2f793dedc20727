// When to alert operations staff, as pure functions of what the ledger says.
// Two reasons: too many orders need a person (needs_attention + failed at or
// above the shop's threshold), or nothing reached the ERP for N minutes while
// orders are waiting. One message covers every reason that holds; a reason
// already in the last message is not repeated within REPEAT_AFTER_MS, so a
// lasting problem sends one message an hour, not one a minute.
// While the shop's ERP is not answering (its breaker is open), "nothing
// reached the ERP" is not repeated: the outage has its own two messages, one
// when it starts and one when it ends (erp-outage-alert.server.ts).

export type AlertReason = "attention" | "no_sync";
export const ALERT_REASONS: AlertReason[] = ["attention", "no_sync"];
export const REPEAT_AFTER_MS = 60 * 60_000;

export interface AlertFacts {
  /** needs_attention + failed */
  attentionCount: number;
  /** pending + retrying + sending */
  waitingCount: number;
  /** Since when the longest-waiting order has waited (null: none waiting). */
  waitingSince: Date | null;
  /** Last time an order reached the ERP (null: never). */
  lastSyncedAt: Date | null;
  /** The shop's ERP is not answering (breaker open): staff were told by the outage alert. */
  erpDown?: boolean;
  /** When the shop's ERP last answered again after an outage: waiting orders are being sent from then on. */
  erpBackAt?: Date | null;
}

/** Since when nothing has reached the ERP, as far as staff should be told. */
export function quietSince(facts: AlertFacts): number {
  return Math.max(facts.waitingSince?.getTime() ?? 0, facts.lastSyncedAt?.getTime() ?? 0, facts.erpBackAt?.getTime() ?? 0);
}

export interface AlertThresholds {
  /** 0 = never alert for this. */
  attentionThreshold: number;
  /** null = never alert for this. */
  noSyncMinutes: number | null;
}

export interface LastAlert {
  lastAlertAt: Date | null;
  /** Comma-separated reasons of the last message. */
  lastAlertReason: string | null;
}

export function reasonsThatHold(facts: AlertFacts, thresholds: AlertThresholds, now: Date): AlertReason[] {
  const reasons: AlertReason[] = [];
  if (thresholds.attentionThreshold > 0 && facts.attentionCount >= thresholds.attentionThreshold) reasons.push("attention");
  if (thresholds.noSyncMinutes !== null && facts.waitingCount > 0 && facts.waitingSince && !facts.erpDown) {
    // Quiet since the latest of "last order synced", "the first order started waiting" and
    // "the ERP answered again after an outage": a shop that had no orders overnight is not
    // "stuck" when the first one arrives, nor is one whose ERP came back a moment ago.
    if (now.getTime() - quietSince(facts) >= thresholds.noSyncMinutes * 60_000) reasons.push("no_sync");
  }
  return reasons;
}

export function parseReasons(text: string | null): AlertReason[] {
  return (text ?? "").split(",").filter((r): r is AlertReason => (ALERT_REASONS as string[]).includes(r));
}

/** Reasons to put in a message now, or [] when staff were told recently enough. */
export function reasonsToSend(holding: AlertReason[], last: LastAlert, now: Date, repeatAfterMs = REPEAT_AFTER_MS): AlertReason[] {
  if (holding.length === 0) return [];
  const recent = last.lastAlertAt !== null && now.getTime() - last.lastAlertAt.getTime() < repeatAfterMs;
  if (!recent) return holding;
  const told = new Set(parseReasons(last.lastAlertReason));
  return holding.some((r) => !told.has(r)) ? holding : [];
}
