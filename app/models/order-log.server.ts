// The sync log staff browse: ledger rows of ONE shop, filtered and paged with
// a keyset cursor on (updatedAt, id) so page 2,000 costs what page 1 costs
// (OFFSET would re-read every earlier row). Every query starts from the
// session's shop; nothing here can return another shop's row.
import type { OrderSync, Prisma, PrismaClient } from "@prisma/client";
import { databaseProviderOf } from "../db/client";
import { storableText } from "../lib/storable-text";
import type { DatabaseProvider } from "../db/url";
import { SYNC_OPERATIONS, SYNC_STATES, type SyncOperation, type SyncState } from "../sync/ledger/states";

export const PAGE_SIZE = 50;
/** CSV export is capped so one click cannot tie up the server for minutes. */
export const CSV_EXPORT_LIMIT = 50_000;

export interface OrderLogFilters {
  states: SyncState[];
  operations: SyncOperation[];
  /** Inclusive lower bound of the last activity (updatedAt). */
  from: Date | null;
  /** Inclusive upper bound of the last activity: the whole "to" day counts. */
  to: Date | null;
  /** Order name, external id, SKU (searchText) or error text. */
  query: string;
}

/** How an order is named on every page, and where it stands (orderHeadline). */
export interface OrderHeadline {
  id: string;
  orderId: string;
  orderName: string;
  externalId: string;
  state: string;
  operation: string;
  /** Who marked it resolved by hand (state stays "synced"; the pages show "Resolved by <name>"). */
  resolvedBy: string | null;
  /** The state as the pages show it: "resolved" for a synced row staff resolved by hand. */
  shownState: string;
}

export interface OrderLogRow extends OrderHeadline {
  erpDocument: string | null;
  lastAttemptAt: string | null;
  updatedAt: string;
  attemptCount: number;
  message: string | null;
}

export interface OrderLogPage {
  rows: OrderLogRow[];
  /** Cursor for the next (older) page, null on the last page. */
  nextCursor: string | null;
  /** Cursor for the previous (newer) page, null on the first page. */
  previousCursor: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function parseDay(value: string | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Reads the filters from the page URL; unknown values are dropped, never trusted. */
export function parseOrderLogFilters(params: URLSearchParams): OrderLogFilters {
  const states = params.getAll("state").flatMap((s) => s.split(",")).filter((s): s is SyncState => (SYNC_STATES as readonly string[]).includes(s));
  const operations = params
    .getAll("operation")
    .flatMap((s) => s.split(","))
    .filter((s): s is SyncOperation => (SYNC_OPERATIONS as readonly string[]).includes(s));
  const toDay = parseDay(params.get("to"));
  return {
    states: [...new Set(states)],
    operations: [...new Set(operations)],
    from: parseDay(params.get("from")),
    to: toDay ? new Date(toDay.getTime() + DAY_MS - 1) : null,
    // Searched for as stored (app/lib/storable-text.ts): PostgreSQL refuses
    // U+0000 even as a search term, and the cut may split a 4-byte character.
    query: storableText((params.get("q") ?? "").trim().slice(0, 200)),
  };
}

/**
 * "Blue" must find "blue t-shirt" on both databases. SQLite's LIKE (what
 * Prisma's contains becomes) ignores ASCII case; PostgreSQL's LIKE does not,
 * and Prisma's mode: "insensitive" (ILIKE) exists only there (SQLite rejects
 * it, and the SQLite-generated types do not know it, hence the cast).
 */
function containsIgnoringCase(text: string, provider: DatabaseProvider): Prisma.StringFilter {
  return (provider === "postgresql" ? { contains: text, mode: "insensitive" } : { contains: text }) as Prisma.StringFilter;
}

/** The WHERE clause of the log: always this shop first. Search ignores case on every database. */
export function orderLogWhere(shop: string, filters: OrderLogFilters, provider: DatabaseProvider = "sqlite"): Prisma.OrderSyncWhereInput {
  const and: Prisma.OrderSyncWhereInput[] = [{ shop }];
  if (filters.states.length > 0) and.push({ state: { in: filters.states } });
  if (filters.operations.length > 0) and.push({ operation: { in: filters.operations } });
  if (filters.from || filters.to) {
    and.push({ updatedAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) } });
  }
  if (filters.query) {
    const q = filters.query;
    and.push({
      OR: [
        { orderName: containsIgnoringCase(q, provider) },
        { externalId: containsIgnoringCase(q, provider) },
        // Intake stores searchText lowercased (Unicode-aware, which SQLite's
        // LIKE is not), so a lowercased query finds "BLÅ" in "blå t-shirt" there too.
        { searchText: containsIgnoringCase(q.toLowerCase(), provider) },
        { lastError: containsIgnoringCase(q, provider) },
      ],
    });
  }
  return { AND: and };
}

interface Cursor {
  updatedAt: Date;
  id: string;
}

export function encodeCursor(row: { updatedAt: Date; id: string }): string {
  return Buffer.from(`${row.updatedAt.toISOString()}|${row.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string | null | undefined): Cursor | null {
  if (!value) return null;
  const text = Buffer.from(value, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  if (bar === -1) return null;
  const updatedAt = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (Number.isNaN(updatedAt.getTime()) || !id) return null;
  return { updatedAt, id };
}

const ROW_SELECT = {
  id: true,
  orderId: true,
  orderName: true,
  externalId: true,
  state: true,
  operation: true,
  erpDocumentNumber: true,
  erpDocumentId: true,
  lastAttemptAt: true,
  updatedAt: true,
  attemptCount: true,
  lastError: true,
  problems: true,
  skipReason: true,
  resolvedBy: true,
} satisfies Prisma.OrderSyncSelect;

type SelectedRow = Prisma.OrderSyncGetPayload<{ select: typeof ROW_SELECT }>;

/** First validation problem as plain text (problems is a JSON array of strings or {message}). */
export function firstProblem(problemsJson: string): string | null {
  try {
    const list: unknown = JSON.parse(problemsJson);
    if (!Array.isArray(list) || list.length === 0) return null;
    const first = list[0];
    if (typeof first === "string") return first;
    if (first && typeof first === "object" && "message" in first) return String((first as { message: unknown }).message);
    return null;
  } catch {
    return null;
  }
}

/**
 * "Synced" means the app wrote an ERP document; an order staff marked
 * resolved by hand is shown as its own state, "resolved".
 */
export function shownState(row: Pick<OrderSync, "state" | "resolvedBy">): string {
  return row.state === "synced" && row.resolvedBy ? "resolved" : row.state;
}

/** How every page names an order and where it stands: the same words on the log and the order page. */
export function orderHeadline(row: Pick<OrderSync, "id" | "orderId" | "orderName" | "externalId" | "state" | "operation" | "resolvedBy">): OrderHeadline {
  return {
    resolvedBy: row.state === "synced" ? row.resolvedBy : null,
    shownState: shownState(row),
    id: row.id,
    orderId: row.orderId,
    orderName: row.orderName || `Order ${row.orderId}`,
    externalId: row.externalId,
    state: row.state,
    operation: row.operation,
  };
}

/** The one line a person needs to read about a row: why it is not synced. */
export function rowMessage(row: Pick<SelectedRow, "state" | "lastError" | "problems" | "skipReason">): string | null {
  if (row.state === "skipped" && row.skipReason) return row.skipReason;
  return row.lastError ?? firstProblem(row.problems);
}

function toRow(row: SelectedRow): OrderLogRow {
  return {
    ...orderHeadline(row),
    erpDocument: row.erpDocumentNumber ?? row.erpDocumentId,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    attemptCount: row.attemptCount,
    message: rowMessage(row),
  };
}

/**
 * One page of the log, newest activity first. `after` pages to older rows,
 * `before` back to newer ones; both are opaque cursors from an earlier page.
 */
export async function listOrderLog(
  prisma: PrismaClient,
  shop: string,
  filters: OrderLogFilters,
  page: { after?: string | null; before?: string | null; pageSize?: number } = {},
): Promise<OrderLogPage> {
  const pageSize = page.pageSize ?? PAGE_SIZE;
  const after = decodeCursor(page.after);
  const before = after ? null : decodeCursor(page.before);
  const base = orderLogWhere(shop, filters, databaseProviderOf(prisma));
  const where: Prisma.OrderSyncWhereInput = { AND: [base] };
  if (after) {
    (where.AND as Prisma.OrderSyncWhereInput[]).push({
      OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }],
    });
  } else if (before) {
    (where.AND as Prisma.OrderSyncWhereInput[]).push({
      OR: [{ updatedAt: { gt: before.updatedAt } }, { updatedAt: before.updatedAt, id: { gt: before.id } }],
    });
  }
  const direction = before ? "asc" : "desc";
  // One extra row tells whether another page exists without counting.
  const found = await prisma.orderSync.findMany({
    where,
    select: ROW_SELECT,
    orderBy: [{ updatedAt: direction }, { id: direction }],
    take: pageSize + 1,
  });
  const hasMore = found.length > pageSize;
  const pageRows = found.slice(0, pageSize);
  if (before) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows.map(toRow),
    nextCursor: last && (before ? true : hasMore) ? encodeCursor(last) : null,
    previousCursor: first && (before ? hasMore : Boolean(after)) ? encodeCursor(first) : null,
  };
}

/** Every row matching the filters (up to CSV_EXPORT_LIMIT), read in keyset batches. */
export async function* iterateOrderLog(
  prisma: PrismaClient,
  shop: string,
  filters: OrderLogFilters,
  limit = CSV_EXPORT_LIMIT,
): AsyncGenerator<OrderLogRow> {
  let after: string | null = null;
  let sent = 0;
  for (;;) {
    const page: OrderLogPage = await listOrderLog(prisma, shop, filters, { after, pageSize: 1000 });
    for (const row of page.rows) {
      if (sent >= limit) return;
      sent += 1;
      yield row;
    }
    if (!page.nextCursor) return;
    after = page.nextCursor;
  }
}

