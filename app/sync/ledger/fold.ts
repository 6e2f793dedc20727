// Folding one piece of news from Shopify (an order snapshot or a refund) into
// the order's ledger row. Pure decisions here; intake (../intake/) does the I/O.
//
// Versions: a snapshot is ordered by Shopify's updated_at, then by
// X-Shopify-Triggered-At (or the observation time for reconciliation). An
// older snapshot never replaces a newer one; refunds are append-only facts
// and are always kept, whatever order they arrive in.
import type { SyncOperation, SyncState } from "./states";

export interface SnapshotVersion {
  updatedAt: number;
  triggeredAt: number | null;
}

/** <0 when a is older than b, 0 when equal, >0 when newer. */
export function compareVersions(a: SnapshotVersion, b: SnapshotVersion): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt - b.updatedAt;
  return (a.triggeredAt ?? 0) - (b.triggeredAt ?? 0);
}

/** The parts of an OrderSync row that decide what is due. */
export interface LedgerFacts {
  hasSnapshot: boolean;
  cancelled: boolean;
  contentHash: string;
  syncedHash: string | null;
  erpDocumentId: string | null;
  createMaybeSent: boolean;
  cancelSynced: boolean;
  refundIds: string[];
  refundsSynced: string[];
}

/**
 * The ERP write due next, before shop rules are applied (the worker applies
 * them). "none" means the ERP already holds everything.
 */
export function dueOperation(f: LedgerFacts): SyncOperation {
  if (!f.hasSnapshot) return "create";
  // Until a create is confirmed (the ERP answered, or a look-up found the
  // document) the order is not known to be in the ERP, whatever may have been
  // sent: the next write is the create (its look-up first finds an earlier
  // one), or for a cancelled order the cancel, whose look-up decides between
  // "cancel it there" and "nothing was ever created". Refunds and updates
  // wait for a document to apply to.
  if (f.erpDocumentId === null) return f.cancelled ? "cancel" : "create";
  if (f.cancelled && !f.cancelSynced) return "cancel";
  if (f.refundIds.some((id) => !f.refundsSynced.includes(id))) return "refund";
  if (f.syncedHash !== f.contentHash) return "update";
  return "none";
}

export interface RowLockView {
  state: string;
  leaseToken: string | null;
  leaseExpiresAt: Date | null;
  manualSkip: boolean;
}

/** True while a worker holds the row: intake then changes content only, never state. */
export function isLeased(row: RowLockView, now: Date): boolean {
  return row.leaseToken !== null && row.leaseExpiresAt !== null && row.leaseExpiresAt.getTime() > now.getTime();
}

/**
 * New state for a row whose content just changed in a way that may matter.
 * A leased row keeps its state (the worker re-reads the row before finishing);
 * a row staff skipped stays skipped.
 */
export function stateAfterNews(row: RowLockView, now: Date): SyncState | null {
  if (isLeased(row, now)) return null;
  if (row.manualSkip) return null;
  return "pending";
}
