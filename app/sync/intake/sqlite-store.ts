// Intake on SQLite with group commit: webhooks that arrive together are
// recorded in ONE SQLite transaction (one fsync), each still all-or-nothing
// inside it (a savepoint per event), and every caller is answered only after
// the COMMIT, so an acknowledged webhook is on disk.
//
// Why not Prisma here: on SQLite a per-event Prisma transaction (about five
// statements through the query compiler, its own fsync) is the whole cost of
// a webhook and caps one process at about 220 webhooks/s (docs/benchmarks.md).
// Prepared statements on libsql and one commit per batch remove that cost. The fold
// rules are the same plans the Prisma store carries out (plan.ts); the
// columns written follow the Prisma schema, and the tests read everything back
// through Prisma.
//
// A batch is two round trips to the SQLite writer thread (app/db/sqlite/writer.ts),
// which holds the write transaction in between: "begin" looks up, for each
// event, the shop's session, the event id, the order's ledger row and the
// shop's external id prefix; this thread decides (planFold); "commit" writes
// every event in its own savepoint and commits. Two events about the same
// order (or the same event twice) never share a batch, so each decision sees
// what the one before it wrote. While a batch is out, this process's write
// lock (app/db/sqlite/write-lock.ts) keeps Prisma's statements waiting, not blocked
// inside SQLite against a transaction that needs this thread to finish.
import { sqliteFilePath, sqliteWriteLock, type WriteLock } from "../../db/sqlite/write-lock";
import { SQLITE_BUSY_TIMEOUT_MS } from "../../db/sqlite/adapter";
import { SqliteEventError, SqliteWriter, type SqlStatement } from "../../db/sqlite/writer";
import { firstSeenByOf } from "../../health/delivery-health";
import { NOT_INSTALLED, offlineSessionId, type IntakeResult } from "./result";
import { newRowId, sqliteValue } from "../ledger/ledger-sql";
import {
  DEFAULT_EXTERNAL_ID_PREFIX,
  FOLD_ROW_COLUMNS,
  planFold,
  type FoldPlan,
  type FoldRow,
  type InboxEntry,
  type ParsedNews,
} from "./plan";

/** Most events in one transaction: bounds how long one batch holds the file. */
const MAX_BATCH = 128;

interface Pending {
  entry: InboxEntry;
  parsed: ParsedNews;
  now: Date;
  onlyInstalled: boolean;
  resolve(result: IntakeResult): void;
  reject(error: unknown): void;
}

const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(String(value)));

const FOLD_ROW_SQL =
  `SELECT ${FOLD_ROW_COLUMNS.map((column) => `"${column}"`).join(", ")}, "snapshot" <> '' AS "hasSnapshot" ` +
  `FROM "OrderSync" WHERE "shop" = ? AND "orderId" = ?`;

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
    editedAt: date(r.editedAt),
    hasSnapshot: Boolean(r.hasSnapshot),
  };
}

const quote = (column: string) => `"${column}"`;

const EVENT_EXISTS_SQL = 'SELECT 1 AS "found" FROM "WebhookEvent" WHERE "shop" = ? AND "eventId" = ?';
const SESSION_EXISTS_SQL = 'SELECT 1 AS "found" FROM "Session" WHERE "id" = ?';
const PREFIX_SQL = 'SELECT "externalIdPrefix" FROM "ShopSettings" WHERE "shop" = ?';

/**
 * Payloads from this size on are sent to the writer thread once: the ledger's
 * snapshot, when it is the same text, is copied from the inbox row inside
 * SQLite. Each copy of a 10 MB webhook's text that crosses to the thread costs
 * the web process about as much again in the message and in the thread's heap
 * (docs/benchmarks.md, "Memory"); below this size the copy is cheaper than
 * the extra look-up.
 */
const SHARED_PAYLOAD_CHARS = 64 * 1024;

/** A column's value written as an SQL expression with one argument instead of a plain `?`. */
class SqlExpression {
  constructor(
    readonly sql: string,
    readonly arg: string,
  ) {}
}

const placeholderFor = (value: unknown) => (value instanceof SqlExpression ? value.sql : "?");
const argFor = (value: unknown) => (value instanceof SqlExpression ? value.arg : sqliteValue(value));

/** The inbox row's payload, read inside the transaction that wrote it. */
const payloadOfInboxRow = (inboxId: string) => new SqlExpression('(SELECT "payload" FROM "WebhookEvent" WHERE "id" = ?)', inboxId);

function insertStatement(table: string, values: Record<string, unknown>): SqlStatement {
  const columns = Object.keys(values).filter((c) => values[c] !== undefined);
  return {
    sql: `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (${columns.map((c) => placeholderFor(values[c])).join(", ")})`,
    args: columns.map((c) => argFor(values[c])),
  };
}

/**
 * The plan as statements: the ledger write (if any) and the row id it
 * concerns. `snapshotFrom`: the inbox row holding the same text as the plan's
 * snapshot, already written in this savepoint.
 */
function ledgerStatements(
  plan: FoldPlan,
  existingId: string | undefined,
  now: Date,
  snapshotFrom: string | null,
): { orderSyncId: string; statements: SqlStatement[] } {
  const snapshot = (values: { snapshot?: string }) =>
    snapshotFrom !== null && values.snapshot !== undefined ? { snapshot: payloadOfInboxRow(snapshotFrom) } : {};
  switch (plan.kind) {
    case "leave":
      return { orderSyncId: existingId!, statements: [] };
    case "create": {
      const id = newRowId();
      const values = { id, ...plan.row, ...snapshot(plan.row), createdAt: now, updatedAt: now };
      return { orderSyncId: id, statements: [insertStatement("OrderSync", values)] };
    }
    case "update": {
      const { guard } = plan;
      const changes: Record<string, unknown> = { ...plan.changes, ...snapshot(plan.changes), updatedAt: now };
      const columns = Object.keys(changes);
      const sql =
        `UPDATE "OrderSync" SET ${columns.map((c) => `${quote(c)} = ${placeholderFor(changes[c])}`).join(", ")} ` +
        'WHERE "id" = ? AND "revision" = ? AND "state" = ? AND "leaseToken" IS ? AND "leaseExpiresAt" IS ? AND "manualSkip" = ?';
      const args = [
        ...columns.map((c) => argFor(changes[c])),
        ...[guard.id, guard.revision, guard.state, guard.leaseToken, guard.leaseExpiresAt, guard.manualSkip].map(sqliteValue),
      ];
      return { orderSyncId: guard.id, statements: [{ sql, args, mustChange: true }] };
    }
  }
}

/** What intake decided for one event of a batch, before the commit. */
type Decision = { result: IntakeResult; statements: SqlStatement[] } | { error: unknown };

export class SqliteIntakeStore {
  private readonly writer: SqliteWriter;
  private readonly lock: WriteLock;
  private queue: Pending[] = [];
  private flushing = false;

  constructor(databaseUrl: string) {
    const file = sqliteFilePath(databaseUrl);
    if (!file) throw new Error("SQLite intake needs a database file (DATABASE_URL=file:…), not an in-memory database");
    this.writer = new SqliteWriter(file, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
    this.lock = sqliteWriteLock(databaseUrl);
  }

  record(entry: InboxEntry, parsed: ParsedNews, now: Date, onlyInstalled: boolean): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, parsed, now, onlyInstalled, resolve, reject });
      this.scheduleFlush();
    });
  }

  close(): Promise<void> {
    return this.writer.stop();
  }

  private scheduleFlush(): void {
    if (this.flushing) return; // the running batch schedules the next when it ends
    this.flushing = true;
    // setImmediate, not a microtask: requests whose bodies arrived in the
    // same turn of the event loop join this batch.
    setImmediate(() => void this.flush());
  }

  /** Up to MAX_BATCH events, at most one per order and per event id; the rest wait for the next batch. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      const { entry, parsed } = pending;
      const eventKey = `e:${entry.shop}:${entry.eventId}`;
      const orderKey = parsed.ok ? `o:${entry.shop}:${parsed.news.orderId}` : null;
      if (batch.length >= MAX_BATCH || keys.has(eventKey) || (orderKey && keys.has(orderKey))) {
        rest.push(pending);
        continue;
      }
      keys.add(eventKey);
      if (orderKey) keys.add(orderKey);
      batch.push(pending);
    }
    this.queue = rest;
    return batch;
  }

  private async flush(): Promise<void> {
    const release = await this.lock.acquire();
    const batch = this.takeBatch();
    try {
      if (batch.length > 0) await this.recordBatch(batch);
    } finally {
      release();
      this.flushing = false;
      if (this.queue.length > 0) this.scheduleFlush();
    }
  }

  private async recordBatch(batch: Pending[]): Promise<void> {
    let decisions: Decision[];
    let failures: Array<string | null>;
    try {
      const found = await this.writer.begin(batch.map(lookUps));
      decisions = batch.map((pending, i) => decide(pending, found[i]));
      failures = await this.writer.commit(decisions.map((d) => ("statements" in d ? d.statements : [])));
    } catch (error) {
      // Nothing of this batch is stored: every caller gets the error (a 500,
      // and Shopify delivers again).
      await this.writer.rollback().catch(() => undefined);
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const decision = decisions[i];
      if ("error" in decision) pending.reject(decision.error);
      else if (failures[i] !== null) pending.reject(new SqliteEventError(failures[i]!));
      else pending.resolve(decision.result);
    });
  }
}

/** The look-ups one event's decision needs, in the order decide() reads them. */
function lookUps({ entry, parsed, onlyInstalled }: Pending): SqlStatement[] {
  const queries: SqlStatement[] = [
    { sql: SESSION_EXISTS_SQL, args: [onlyInstalled ? offlineSessionId(entry.shop) : ""] },
    { sql: EVENT_EXISTS_SQL, args: [entry.shop, entry.eventId] },
  ];
  if (parsed.ok) {
    queries.push({ sql: FOLD_ROW_SQL, args: [entry.shop, parsed.news.orderId] }, { sql: PREFIX_SQL, args: [entry.shop] });
  }
  return queries;
}

function decide(pending: Pending, [session, event, found, settings]: Array<Record<string, unknown> | null>): Decision {
  const { entry, parsed, now, onlyInstalled } = pending;
  try {
    if (onlyInstalled && !session) return { result: NOT_INSTALLED, statements: [] };
    if (event) return { result: { status: "duplicate", message: "already received" }, statements: [] };
    const inboxId = newRowId();
    const inboxRow = (orderId: string | null, processResult: string) =>
      insertStatement("WebhookEvent", { id: inboxId, ...entry, orderId, receivedAt: now, processedAt: now, processResult });
    if (!parsed.ok) return { result: { status: "ignored", message: parsed.message }, statements: [inboxRow(null, parsed.message)] };
    const row: FoldRow | null = found ? foldRowFrom(found) : null;
    const plan = planFold(row, parsed.news, {
      shop: entry.shop,
      correlationId: entry.eventId,
      now,
      externalIdPrefix: () => String(settings?.externalIdPrefix ?? DEFAULT_EXTERNAL_ID_PREFIX),
      firstSeenBy: firstSeenByOf(entry.topic),
    });
    // A large snapshot that is the inbox payload itself crosses to the writer thread once: the inbox row goes first and the ledger copies it.
    const shared =
      parsed.news.kind === "order" && parsed.news.snapshotText === entry.payload && entry.payload.length >= SHARED_PAYLOAD_CHARS;
    const ledger = ledgerStatements(plan, row?.id, now, shared ? inboxId : null);
    const inbox = inboxRow(parsed.news.orderId, plan.result);
    return {
      result: { status: "recorded", orderSyncId: ledger.orderSyncId, message: plan.result },
      statements: shared ? [inbox, ...ledger.statements] : [...ledger.statements, inbox],
    };
  } catch (error) {
    return { error };
  }
}
