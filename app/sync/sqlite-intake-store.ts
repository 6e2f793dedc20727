// Intake on SQLite with group commit: webhooks that arrive together are
// recorded in ONE SQLite transaction (one fsync), each still all-or-nothing
// inside it (a savepoint per event), and every caller is answered only after
// the COMMIT, so an acknowledged webhook is on disk.
//
// Why not Prisma here: on SQLite the per-event Prisma transaction (about five
// statements through the query compiler, its own fsync) was the whole cost of
// a webhook, capping one process at about 220 webhooks/s (docs/benchmarks.md).
// Prepared statements on libsql (the SQLite library Prisma's adapter already
// uses in this process, so there is one SQLite copy and its file locks stay
// correct) and one commit per batch remove it. The fold rules are the same
// plans the Prisma store carries out (intake-plan.ts); the columns written
// follow the Prisma schema, and the test suite reads everything back through
// Prisma.
//
// The batch runs synchronously from BEGIN to COMMIT: nothing else in this
// process can run in between, and the process's write lock (db-sqlite-lock.ts)
// keeps Prisma's own transactions out while it does.
import { randomBytes } from "node:crypto";
import Database from "libsql";
import { sqliteFilePath, sqliteWriteLock, type WriteLock } from "../db-sqlite-lock";
import { SQLITE_BUSY_TIMEOUT_MS } from "../db-sqlite-adapter";
import { startWalCheckpointer, type Checkpointer } from "../db-sqlite-checkpointer";
import { NOT_INSTALLED, offlineSessionId, type IntakeResult } from "./intake-result";
import {
  DEFAULT_EXTERNAL_ID_PREFIX,
  planFold,
  type FoldPlan,
  type FoldRow,
  type InboxEntry,
  type LedgerChanges,
  type OrderNews,
  type ParsedNews,
} from "./intake-plan";

/** Most events in one transaction: bounds how long one batch holds the file. */
const MAX_BATCH = 128;
/**
 * Under concurrent load, at most one commit per this many ms: each commit is
 * an fsync that blocks this thread (about 0.6 ms here), and flushing at every
 * turn of the event loop committed one or two events at a time. Only while
 * batches hold several events: a lone caller (reconciliation recording orders
 * one after another) is committed at once, as is the first request after a
 * quiet spell.
 */
const MIN_COMMIT_INTERVAL_MS = 2;
const MAX_FOLD_TRIES = 5;

interface Pending {
  entry: InboxEntry;
  parsed: ParsedNews;
  now: Date;
  onlyInstalled: boolean;
  resolve(result: IntakeResult): void;
  reject(error: unknown): void;
}

type SqlValue = string | number | null;

/** Prisma's encoding of DateTime on SQLite ("2026-11-25T17:29:22.697+00:00"): comparisons are textual. */
export function sqliteDateTime(date: Date): string {
  return date.toISOString().replace(/Z$/, "+00:00");
}

function encode(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return sqliteDateTime(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string") return value;
  throw new Error(`cannot store ${typeof value} in a ledger column`);
}

const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(String(value)));

// Row ids: the shape of Prisma's cuid() defaults ("c", lowercase letters and
// digits, 25 characters), unique across processes through a random part drawn
// once per process and a counter, so no random bytes are drawn per row.
const processPart = randomBytes(6).toString("hex").slice(0, 8);
let counter = 0;

export function newRowId(): string {
  counter = (counter + 1) % 36 ** 6;
  return `c${Date.now().toString(36).padStart(10, "0")}${processPart}${counter.toString(36).padStart(6, "0")}`;
}

const FOLD_ROW_SQL =
  'SELECT "id", "revision", "state", "leaseToken", "leaseExpiresAt", "manualSkip", "sourceUpdatedAt", "sourceTriggeredAt", ' +
  '"contentHash", "cancelledInShopify", "refunds", "syncedHash", "erpDocumentId", "createMaybeSent", "cancelSynced", ' +
  '"refundsSynced", "snapshot" <> \'\' AS "hasSnapshot" FROM "OrderSync" WHERE "shop" = ? AND "orderId" = ?';

function foldRowFrom(r: Record<string, unknown>): FoldRow {
  return {
    id: String(r.id),
    revision: Number(r.revision),
    state: String(r.state),
    leaseToken: (r.leaseToken as string | null) ?? null,
    leaseExpiresAt: date(r.leaseExpiresAt),
    manualSkip: Boolean(r.manualSkip),
    sourceUpdatedAt: date(r.sourceUpdatedAt)!,
    sourceTriggeredAt: date(r.sourceTriggeredAt),
    contentHash: String(r.contentHash),
    cancelledInShopify: Boolean(r.cancelledInShopify),
    refunds: String(r.refunds),
    syncedHash: (r.syncedHash as string | null) ?? null,
    erpDocumentId: (r.erpDocumentId as string | null) ?? null,
    createMaybeSent: Boolean(r.createMaybeSent),
    cancelSynced: Boolean(r.cancelSynced),
    refundsSynced: String(r.refundsSynced),
    hasSnapshot: Boolean(r.hasSnapshot),
  };
}

const quote = (column: string) => `"${column}"`;

export class SqliteIntakeStore {
  private readonly db: Database.Database;
  private readonly lock: WriteLock;
  private readonly checkpointer: Checkpointer;
  private readonly statements = new Map<string, Database.Statement>();
  private queue: Pending[] = [];
  private flushScheduled = false;
  private lastCommitAt = 0;
  private lastBatchSize = 0;

  constructor(databaseUrl: string) {
    const file = sqliteFilePath(databaseUrl);
    if (!file) throw new Error("SQLite intake needs a database file (DATABASE_URL=file:…), not an in-memory database");
    this.db = new Database(file);
    this.db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // Commits here never stop to checkpoint: a thread does (db-sqlite-checkpointer.ts).
    this.db.pragma("wal_autocheckpoint = 0");
    this.checkpointer = startWalCheckpointer(file);
    this.lock = sqliteWriteLock(databaseUrl);
  }

  record(entry: InboxEntry, parsed: ParsedNews, now: Date, onlyInstalled: boolean): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, parsed, now, onlyInstalled, resolve, reject });
      this.scheduleFlush();
    });
  }

  async close(): Promise<void> {
    await this.checkpointer.stop();
    this.db.close();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = this.lastBatchSize > 1 ? this.lastCommitAt + MIN_COMMIT_INTERVAL_MS - performance.now() : 0;
    // setImmediate, not a microtask: requests whose bodies arrived in the
    // same turn of the event loop join this batch.
    if (wait <= 0) setImmediate(() => void this.flush());
    else setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    const release = await this.lock.acquire();
    this.flushScheduled = false;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.scheduleFlush();
    if (batch.length === 0) return release();
    const outcomes: Array<{ ok: true; result: IntakeResult } | { ok: false; error: unknown }> = [];
    try {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        for (const pending of batch) outcomes.push(this.recordOne(pending));
        this.db.exec("COMMIT");
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      // Nothing of this batch is stored: every caller gets the error (a 500,
      // and Shopify delivers again).
      for (const pending of batch) pending.reject(error);
      return;
    } finally {
      this.lastCommitAt = performance.now();
      this.lastBatchSize = batch.length;
      release();
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
  }

  /** One event inside the batch's transaction; its own savepoint, so its failure leaves the others. */
  private recordOne(pending: Pending): { ok: true; result: IntakeResult } | { ok: false; error: unknown } {
    this.db.exec("SAVEPOINT intake_event");
    try {
      const result = this.recordInTransaction(pending);
      this.db.exec("RELEASE intake_event");
      return { ok: true, result };
    } catch (error) {
      this.db.exec("ROLLBACK TO intake_event");
      this.db.exec("RELEASE intake_event");
      return { ok: false, error };
    }
  }

  private recordInTransaction({ entry, parsed, now, onlyInstalled }: Pending): IntakeResult {
    if (onlyInstalled && !this.get('SELECT 1 AS "found" FROM "Session" WHERE "id" = ?', [offlineSessionId(entry.shop)])) {
      return NOT_INSTALLED;
    }
    if (this.get('SELECT 1 AS "found" FROM "WebhookEvent" WHERE "shop" = ? AND "eventId" = ?', [entry.shop, entry.eventId])) {
      return { status: "duplicate", message: "already received" };
    }
    if (!parsed.ok) {
      this.insertEvent(entry, null, now, parsed.message);
      return { status: "ignored", message: parsed.message };
    }
    const folded = this.foldIntoLedger(entry.shop, parsed.news, entry.eventId, now);
    this.insertEvent(entry, parsed.news.orderId, now, folded.result);
    return { status: "recorded", orderSyncId: folded.orderSyncId, message: folded.result };
  }

  private foldIntoLedger(shop: string, news: OrderNews, correlationId: string, now: Date) {
    for (let tries = 1; ; tries++) {
      const found = this.get(FOLD_ROW_SQL, [shop, news.orderId]);
      const row = found ? foldRowFrom(found) : null;
      const plan = planFold(row, news, {
        shop,
        correlationId,
        now,
        externalIdPrefix: () =>
          String(this.get('SELECT "externalIdPrefix" FROM "ShopSettings" WHERE "shop" = ?', [shop])?.externalIdPrefix ?? DEFAULT_EXTERNAL_ID_PREFIX),
      });
      const orderSyncId = this.carryOut(plan, row?.id, now);
      if (orderSyncId) return { orderSyncId, result: plan.result };
      // Cannot happen while this batch holds the write lock; kept so both
      // stores behave the same if it ever does.
      if (tries >= MAX_FOLD_TRIES) throw new Error(`order row ${row?.id} kept changing while intake folded news into it`);
    }
  }

  private carryOut(plan: FoldPlan, existingId: string | undefined, now: Date): string | null {
    switch (plan.kind) {
      case "leave":
        return existingId!;
      case "create": {
        const id = newRowId();
        this.insert("OrderSync", { id, ...plan.row, createdAt: now, updatedAt: now });
        return id;
      }
      case "update": {
        const { guard, changes } = plan;
        const columns = Object.keys(changes) as Array<keyof LedgerChanges>;
        const sql =
          `UPDATE "OrderSync" SET ${[...columns, "updatedAt"].map((c) => `${quote(c)} = ?`).join(", ")} ` +
          'WHERE "id" = ? AND "revision" = ? AND "state" = ? AND "leaseToken" IS ? AND "leaseExpiresAt" IS ? AND "manualSkip" = ?';
        const info = this.statement(sql).run(
          ...columns.map((c) => encode(changes[c])),
          encode(now),
          ...[guard.id, guard.revision, guard.state, guard.leaseToken, guard.leaseExpiresAt, guard.manualSkip].map(encode),
        );
        return info.changes === 0 ? null : guard.id;
      }
    }
  }

  private insertEvent(entry: InboxEntry, orderId: string | null, now: Date, processResult: string): void {
    this.insert("WebhookEvent", { id: newRowId(), ...entry, orderId, receivedAt: now, processedAt: now, processResult });
  }

  private insert(table: string, values: Record<string, unknown>): void {
    const columns = Object.keys(values).filter((c) => values[c] !== undefined);
    const sql = `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
    this.statement(sql).run(...columns.map((c) => encode(values[c])));
  }

  private get(sql: string, args: SqlValue[]): Record<string, unknown> | undefined {
    return this.statement(sql).get(...args) as Record<string, unknown> | undefined;
  }

  /** Prepared once per distinct statement (a handful: the column sets are fixed by the plans). */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
