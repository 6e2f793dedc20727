// Raw statements for the ledger writes on the worker's hot path (delivery/deliver.ts),
// with values encoded exactly as Prisma stores them on each provider, so
// Prisma reads the rows back unchanged. Intake's SQLite store
// (intake/sqlite-store.ts) encodes its writes with the same functions.
//
// Why not Prisma's updateMany/createMany here: on Prisma's JS engine every
// model query is compiled (WebAssembly) on every call and wrapped in a
// transaction of its own, about 0.6 ms of CPU per write on top of the
// statement; a delivery makes three such writes, which on SQLite would be
// most of a worker's time (npm run bench:sync, docs/benchmarks.md). A raw
// statement is only run. Everything else keeps using Prisma's model API.
//
// Every text value goes through storableText (app/lib/storable-text.ts): a
// title with U+0000 or half a surrogate pair in a message must not make the
// write fail on PostgreSQL, nor be cut short on SQLite.
import { randomBytes } from "node:crypto";
import type { OrderSync, PrismaClient, SyncAttempt } from "@prisma/client";
import type { DatabaseProvider } from "../../db/url";
import { storableText } from "../../lib/storable-text";

export type ColumnValue = string | number | boolean | Date | null;

/** A client or an interactive transaction's client. */
export type RawExecutor = Pick<PrismaClient, "$executeRawUnsafe">;

/** Prisma's encoding of DateTime on SQLite ("2026-11-25T17:29:22.697+00:00"): comparisons there are textual. */
export function sqliteDateTime(date: Date): string {
  // toISOString always ends in "Z" (it throws for invalid dates).
  return `${date.toISOString().slice(0, -1)}+00:00`;
}

/** A value as a SQLite column holds it when Prisma wrote it (text made storable). */
export function sqliteValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return sqliteDateTime(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") return storableText(value);
  if (typeof value === "number") return value;
  throw new Error(`cannot store ${typeof value} in a ledger column`);
}

// Row ids: the shape of Prisma's cuid() defaults ("c", lowercase letters and
// digits, 25 characters), unique across processes through a random part drawn
// once per process and a counter, so no random bytes are drawn per row.
const processPart = randomBytes(6).toString("hex").slice(0, 8);
let counter = 0;

export function newRowId(): string {
  counter = (counter + 1) % 36 ** 6;
  return `c${Date.now().toString(36).padStart(10, "0")}${processPart}${counter.toString(36).padStart(6, "0")}`;
}

const quote = (column: string) => `"${column}"`;

/** Placeholders and arguments for one provider: SQLite "?", PostgreSQL "$n" (timestamps cast to Prisma's column type). */
class Parameters {
  readonly args: Array<string | number | boolean | null> = [];
  constructor(private readonly provider: DatabaseProvider) {}

  add(value: ColumnValue): string {
    if (this.provider === "sqlite") {
      this.args.push(sqliteValue(value));
      return "?";
    }
    // UTC text cast to timestamp(3) (no zone), as Prisma stores DateTime on
    // PostgreSQL, so the session's TimeZone setting cannot shift it.
    this.args.push(value instanceof Date ? value.toISOString() : typeof value === "string" ? storableText(value) : value);
    return value instanceof Date ? `CAST($${this.args.length} AS timestamp(3))` : `$${this.args.length}`;
  }
}

function defined(values: object): Array<[string, ColumnValue]> {
  return Object.entries(values).filter((entry): entry is [string, ColumnValue] => entry[1] !== undefined);
}

/**
 * UPDATE "OrderSync" … WHERE every given column equals its value (null: IS
 * NULL); updatedAt is set as Prisma's @updatedAt would. Returns rows changed.
 */
export async function updateOrderSync(
  db: RawExecutor,
  provider: DatabaseProvider,
  where: { id: string } & Partial<OrderSync>,
  // Typed by the model, so a misspelt or removed column fails the typecheck.
  data: Partial<OrderSync>,
  now: Date,
): Promise<number> {
  const params = new Parameters(provider);
  const set = [...defined(data), ["updatedAt", now] as [string, ColumnValue]]
    .map(([column, value]) => `${quote(column)} = ${params.add(value)}`)
    .join(", ");
  const conditions = defined(where)
    .map(([column, value]) => (value === null ? `${quote(column)} IS NULL` : `${quote(column)} = ${params.add(value)}`))
    .join(" AND ");
  return db.$executeRawUnsafe(`UPDATE "OrderSync" SET ${set} WHERE ${conditions}`, ...params.args);
}

/** INSERT INTO "SyncAttempt"; the id is made here, as Prisma's @default(cuid()) would. */
export async function insertSyncAttempt(
  db: RawExecutor,
  provider: DatabaseProvider,
  values: Omit<SyncAttempt, "id" | "direction">,
): Promise<void> {
  const params = new Parameters(provider);
  const columns = [["id", newRowId()] as [string, ColumnValue], ...defined(values)];
  const placeholders = columns.map(([, value]) => params.add(value));
  await db.$executeRawUnsafe(
    `INSERT INTO "SyncAttempt" (${columns.map(([column]) => quote(column)).join(", ")}) VALUES (${placeholders.join(", ")})`,
    ...params.args,
  );
}
