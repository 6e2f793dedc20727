// Reconciliation's intake and ledger without a database, for tests and
// bench:reconcile: it records every snapshot handed in and keeps a ledger the
// way the engine would (the newest updated_at wins).
import type { PrismaClient } from "@prisma/client";
import type { LedgerEntry, LedgerReader, SnapshotInput } from "../app/reconciliation/ports";

export class FakeIntake implements LedgerReader {
  readonly rows = new Map<string, LedgerEntry>();
  readonly calls: SnapshotInput[] = [];
  /** Throw (like a crash) once this many snapshots were recorded. */
  crashAfter: number | null = null;

  record = async (_prisma: PrismaClient, input: SnapshotInput): Promise<unknown> => {
    if (this.crashAfter !== null && this.calls.length >= this.crashAfter) throw new Error("worker crashed");
    this.calls.push(input);
    const p = input.payload as { id: string; name: string; updated_at: string; total_price: string };
    const existing = this.rows.get(p.id);
    const version = new Date(p.updated_at);
    if (!existing || existing.sourceUpdatedAt < version) this.rows.set(p.id, this.entry(p.id, p.name, version, p.total_price));
    return { status: "recorded" };
  };

  entry(orderId: string, name: string, sourceUpdatedAt: Date, total: string | null = null): LedgerEntry {
    return { orderId, orderName: name, externalId: `shopify-${orderId}`, state: "synced", sourceUpdatedAt, shopifyTotal: total, erpTotal: total, syncedAt: sourceUpdatedAt };
  }

  async entries(_shop: string, ids: string[]) {
    return new Map(ids.filter((id) => this.rows.has(id)).map((id) => [id, this.rows.get(id)!]));
  }

  async syncedBetween(_shop: string, from: Date, to: Date, limit: number) {
    return [...this.rows.values()].filter((r) => r.syncedAt && r.syncedAt >= from && r.syncedAt < to).slice(0, limit);
  }

  /** Order gids Shopify said were edited, as a test sets them. */
  readonly edited: string[] = [];
  async editedNotArrived(_shop: string, limit: number) {
    return this.edited.slice(0, limit).map((orderGid) => ({ orderGid }));
  }

  recordedIds(): string[] {
    return this.calls.map((c) => (c.payload as { id: string }).id);
  }
}
