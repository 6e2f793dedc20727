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

/** The log's tabs; each is a filter with a true count (logTabCounts). */
export const LOG_TABS = ["all", "attention", "retrying", "skipped", "resolved"] as const;
export type LogTab = (typeof LOG_TABS)[number];

export interface OrderLogFilters {
  tab: LogTab;
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
  /** When the order was placed in Shopify (the snapshot's created_at), else when the app first saw it. */
  orderDate: string;
  /** The customer's name as on the order (shown to staff, never logged). */
  customer: string | null;
  total: string | null;
  currency: string | null;
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
  const tab = params.get("tab");
  return {
    tab: (LOG_TABS as readonly string[]).includes(tab ?? "") ? (tab as LogTab) : "all",
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

/** What each tab shows: "Needs attention" is what a person must act on (needs attention or failed). */
const TAB_WHERE: Record<Exclude<LogTab, "all">, Prisma.OrderSyncWhereInput> = {
  attention: { state: { in: ["needs_attention", "failed"] } },
  retrying: { state: "retrying" },
  skipped: { state: "skipped" },
  resolved: { state: "synced", resolvedBy: { not: null } },
};

/** A true count per tab (one grouped count plus one for resolved; the (shop, state) index serves both). */
export async function logTabCounts(prisma: PrismaClient, shop: string): Promise<Record<LogTab, number>> {
  const [grouped, resolved] = await Promise.all([
    prisma.orderSync.groupBy({ by: ["state"], where: { shop }, _count: { _all: true } }),
    prisma.orderSync.count({ where: { shop, ...TAB_WHERE.resolved } }),
  ]);
  const by = (states: string[]) => grouped.filter((g) => states.includes(g.state)).reduce((n, g) => n + g._count._all, 0);
  return {
    all: grouped.reduce((n, g) => n + g._count._all, 0),
    attention: by(["needs_attention", "failed"]),
    retrying: by(["retrying"]),
    skipped: by(["skipped"]),
    resolved,
  };
}

/** The WHERE clause of the log: always this shop first. Search ignores case on every database. */
export function orderLogWhere(shop: string, filters: OrderLogFilters, provider: DatabaseProvider = "sqlite"): Prisma.OrderSyncWhereInput {
  const and: Prisma.OrderSyncWhereInput[] = [{ shop }];
  if (filters.tab && filters.tab !== "all") and.push(TAB_WHERE[filters.tab]);
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
  createdAt: true,
  shopifyTotal: true,
  currency: true,
} satisfies Prisma.OrderSyncSelect;

/** The page also reads the snapshot for the order's date and customer; the CSV export does not need them. */
const PAGE_SELECT = { ...ROW_SELECT, snapshot: true } satisfies Prisma.OrderSyncSelect;

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

/** Date and customer from the stored Shopify order, without validating the rest of it. */
function orderFacts(snapshot: string | undefined): { date: string | null; customer: string | null } {
  if (!snapshot || snapshot.length < 3) return { date: null, customer: null };
  try {
    const o = JSON.parse(snapshot) as {
      created_at?: unknown;
      customer?: { first_name?: unknown; last_name?: unknown } | null;
      billing_address?: { name?: unknown } | null;
    };
    const name = [o.customer?.first_name, o.customer?.last_name].filter((p) => typeof p === "string" && p.trim()).join(" ");
    const billing = typeof o.billing_address?.name === "string" ? o.billing_address.name : "";
    const date = typeof o.created_at === "string" && !Number.isNaN(Date.parse(o.created_at)) ? new Date(o.created_at).toISOString() : null;
    return { date, customer: name || billing || null };
  } catch {
    return { date: null, customer: null };
  }
}

function toRow(row: SelectedRow & { snapshot?: string }): OrderLogRow {
  const facts = orderFacts(row.snapshot);
  return {
    ...orderHeadline(row),
    orderDate: facts.date ?? row.createdAt.toISOString(),
    customer: facts.customer,
    total: row.shopifyTotal,
    currency: row.currency,
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
  page: { after?: string | null; before?: string | null; pageSize?: number; details?: boolean } = {},
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
    select: page.details === false ? ROW_SELECT : PAGE_SELECT,
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
    const page: OrderLogPage = await listOrderLog(prisma, shop, filters, { after, pageSize: 1000, details: false });
    for (const row of page.rows) {
      if (sent >= limit) return;
      sent += 1;
      yield row;
    }
    if (!page.nextCursor) return;
    after = page.nextCursor;
  }
}

