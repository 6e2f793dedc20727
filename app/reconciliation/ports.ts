// What reconciliation and backfill need from the rest of the app, as small
// interfaces so the logic is testable without Remix and the persistence can
// move from memory to Prisma without touching it.
import type { PrismaClient } from "@prisma/client";

export type SnapshotSource = "reconciliation" | "backfill";

export interface SnapshotInput {
  shop: string;
  source: SnapshotSource;
  /** REST-shaped order (ids already strings), as graphqlOrderToRestPayload builds it. */
  payload: unknown;
  observedAt: Date;
}

/**
 * The engine's intake (app/sync/intake/intake.ts recordOrderSnapshot): folds the
 * snapshot into the ledger with the same staleness and dedupe rules as a
 * webhook, so handing in an order twice is harmless.
 */
export type RecordOrderSnapshot = (prisma: PrismaClient, input: SnapshotInput) => Promise<unknown>;

/** What the ledger knows about one order. */
export interface LedgerEntry {
  orderId: string;
  orderName: string;
  externalId: string;
  state: string;
  sourceUpdatedAt: Date;
  shopifyTotal: string | null;
  erpTotal: string | null;
  syncedAt: Date | null;
}

export interface LedgerReader {
  /** Entries for these legacy order ids (absent ids have no row). */
  entries(shop: string, orderIds: string[]): Promise<Map<string, LedgerEntry>>;
  /** Orders synced in [from, to), oldest first, for the ERP-side check. */
  syncedBetween(shop: string, from: Date, to: Date, limit: number): Promise<LedgerEntry[]>;
  /**
   * Orders Shopify said were edited (orders/edited) whose edited version the
   * ledger does not hold yet, oldest edit first.
   */
  editedNotArrived(shop: string, limit: number): Promise<Array<{ orderGid: string }>>;
}
