// Intake through Prisma: one interactive transaction per event records it in
// the inbox and carries out the fold plan on the ledger row. Used on
// PostgreSQL, where several app processes share the database and row-level
// locking lets their transactions run side by side. Every row written goes
// through storableColumns: text PostgreSQL refuses (U+0000, lone surrogates)
// in a title or name is replaced instead of failing the whole webhook.
// A large raw payload or snapshot is written by a plain parameterised UPDATE
// on the transaction's own connection, past Prisma's query compiler, whose
// memory would otherwise keep the size of the largest webhook for good
// (app/db/postgres/raw-in-transaction.ts).
import { Prisma, type PrismaClient } from "@prisma/client";
import { setTextById, withRawTransaction, type RawTransaction } from "../../db/postgres/raw-in-transaction";
import { storableColumns } from "../../lib/storable-text";
import { firstSeenByOf } from "../../health/delivery-health";
import { NOT_INSTALLED, offlineSessionId, type IntakeResult } from "./result";
import { DEFAULT_EXTERNAL_ID_PREFIX, FOLD_ROW_COLUMNS, planFold, type FoldPlan, type FoldRow, type InboxEntry, type OrderNews, type ParsedNews } from "./plan";

type Tx = Prisma.TransactionClient;
/** The transaction's connection for writes past the query compiler, when the client offers it. */
type Raw = () => RawTransaction | undefined;

// Texts from this size on skip the query compiler (a usual order is a few kB,
// and the extra statement is not worth it for those).
const LARGE_TEXT_CHARS = 64 * 1024;

/**
 * `values` with `column` emptied when it holds a large text and the raw path
 * is there, and that text, to be written by setTextById in the same
 * transaction right after the row.
 */
function splitLargeText<T extends object>(values: T, column: keyof T & string, raw: Raw): { values: T; large: string | null } {
  const text = values[column];
  if (typeof text !== "string" || text.length < LARGE_TEXT_CHARS || !raw()) return { values, large: null };
  return { values: { ...values, [column]: "" }, large: text };
}

// How often a fold re-reads a row that a worker changed between our read and
// our write before giving up (the webhook then gets a 500 and Shopify retries).
const MAX_FOLD_TRIES = 5;

const foldRowSelect = Object.fromEntries([...FOLD_ROW_COLUMNS, "snapshot"].map((column) => [column, true])) as {
  [Column in (typeof FOLD_ROW_COLUMNS)[number] | "snapshot"]: true;
};

async function readFoldRow(tx: Tx, shop: string, orderId: string): Promise<FoldRow | null> {
  const row = await tx.orderSync.findUnique({ where: { shop_orderId: { shop, orderId } }, select: foldRowSelect });
  if (!row) return null;
  const { snapshot, ...rest } = row;
  return { ...rest, hasSnapshot: snapshot !== "" };
}

async function carryOut(tx: Tx, raw: Raw, plan: FoldPlan, existingId: string | undefined): Promise<string | null> {
  switch (plan.kind) {
    case "leave":
      return existingId!;
    case "create": {
      const { values, large } = splitLargeText(storableColumns(plan.row), "snapshot", raw);
      const { id } = await tx.orderSync.create({ data: values, select: { id: true } });
      if (large !== null) await setTextById(raw()!, "OrderSync", "snapshot", id, large);
      return id;
    }
    case "update": {
      const { values, large } = splitLargeText(storableColumns(plan.changes), "snapshot", raw);
      const written = await tx.orderSync.updateMany({ where: plan.guard, data: values });
      if (written.count === 0) return null;
      if (large !== null) await setTextById(raw()!, "OrderSync", "snapshot", plan.guard.id, large);
      return plan.guard.id;
    }
  }
}

async function foldIntoLedger(tx: Tx, raw: Raw, shop: string, news: OrderNews, correlationId: string, now: Date, firstSeenBy: string) {
  for (let tries = 1; ; tries++) {
    const row = await readFoldRow(tx, shop, news.orderId);
    // The prefix only matters for a new row: read it only then.
    const prefix = row
      ? DEFAULT_EXTERNAL_ID_PREFIX
      : ((await tx.shopSettings.findUnique({ where: { shop }, select: { externalIdPrefix: true } }))?.externalIdPrefix ??
        DEFAULT_EXTERNAL_ID_PREFIX);
    const plan = planFold(row, news, { shop, correlationId, now, externalIdPrefix: () => prefix, firstSeenBy });
    // Nothing to write (possibly no row at all: an edit of an order not seen yet).
    if (plan.kind === "leave") return { orderSyncId: row?.id, result: plan.result };
    const orderSyncId = await carryOut(tx, raw, plan, row?.id);
    if (orderSyncId) return { orderSyncId, result: plan.result };
    // A worker changed the row after we read it: decide again on what it wrote.
    if (tries >= MAX_FOLD_TRIES) throw new Error(`order row ${row?.id} kept changing while intake folded news into it`);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Writes the inbox row, its payload past the query compiler when large (see splitLargeText). */
async function createInboxRow(tx: Tx, raw: Raw, data: InboxEntry & { orderId?: string; processedAt: Date; processResult: string }) {
  const { values, large } = splitLargeText(storableColumns(data), "payload", raw);
  const { id } = await tx.webhookEvent.create({ data: values, select: { id: true } });
  if (large !== null) await setTextById(raw()!, "WebhookEvent", "payload", id, large);
}

async function recordOnce(prisma: PrismaClient, entry: InboxEntry, parsed: ParsedNews, now: Date, onlyInstalled: boolean): Promise<IntakeResult> {
  // The raw slot is per transaction: a retry below opens a new one.
  return withRawTransaction((raw) => prisma.$transaction(async (tx) => {
    if (onlyInstalled && !(await tx.session.findUnique({ where: { id: offlineSessionId(entry.shop) }, select: { id: true } }))) {
      return NOT_INSTALLED;
    }
    const existing = await tx.webhookEvent.findUnique({
      where: { shop_eventId: { shop: entry.shop, eventId: entry.eventId } },
      select: { id: true },
    });
    if (existing) return { status: "duplicate", message: "already received" } satisfies IntakeResult;
    if (!parsed.ok) {
      await createInboxRow(tx, raw, { ...entry, processedAt: now, processResult: parsed.message });
      return { status: "ignored", message: parsed.message } satisfies IntakeResult;
    }
    const folded = await foldIntoLedger(tx, raw, entry.shop, parsed.news, entry.eventId, now, firstSeenByOf(entry.topic));
    await createInboxRow(tx, raw, { ...entry, orderId: parsed.news.orderId, processedAt: now, processResult: folded.result });
    return { status: "recorded", orderSyncId: folded.orderSyncId, message: folded.result } satisfies IntakeResult;
  }));
}

export async function recordWithPrisma(
  prisma: PrismaClient,
  entry: InboxEntry,
  parsed: ParsedNews,
  now: Date,
  onlyInstalled: boolean,
): Promise<IntakeResult> {
  // A unique-index violation means another delivery won a race: the same
  // event (the inbox index), or another event about the same NEW order (the
  // ledger's (shop, orderId) index), e.g. orders/updated and orders/create
  // arriving together. Run the transaction again: it then finds the event
  // (a duplicate) or the order's row (and folds into it). Answering
  // "duplicate" straight away dropped the newer content of the second case.
  for (let tries = 1; ; tries++) {
    try {
      return await recordOnce(prisma, entry, parsed, now, onlyInstalled);
    } catch (error) {
      if (!isUniqueViolation(error) || tries >= 3) throw error;
    }
  }
}
