// SKU -> ERP item number mappings of one shop: list, change one, delete one,
// import a CSV (all or nothing), and the look-up the sync engine uses. Every
// change is recorded in SkuMappingChange (who, from where, old -> new) so
// staff can see why an order line went out with a given item number.
import { storableText } from "../lib/storable-text";
import { Prisma, type PrismaClient, type SkuMapping } from "@prisma/client";
import { CsvError, parse } from "csv-parse/sync";
import { databaseProviderOf } from "../db/client";
import type { DatabaseProvider } from "../db/url";
import { requeueForSkus } from "../health/self-heal.server";

export type ChangeSource = "form" | "csv";

export interface ChangeActor {
  /** Who made the change (staff e-mail or user id), shown in the history. */
  actor: string;
}

export const MAX_VALUE_LENGTH = 255;
export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_REPORTED_ERRORS = 50;
const LOOKUP_CHUNK = 500;

type Tx = Prisma.TransactionClient;

/**
 * A SKU as it is stored and looked up: trimmed, and storable. An order's SKU
 * with U+0000 or a lone surrogate (which PostgreSQL refuses even as a query
 * value) is looked up as storableText makes it, the form a mapping of it is
 * stored in.
 */
function skuKey(sku: string): string {
  return storableText(sku.trim());
}

/**
 * The current mappings of these SKUs, locked for the rest of the transaction.
 *
 * Two staff saving the same SKU at once must each start from what the other
 * left, or the history gets two "version 3"s. SQLite needs no lock: its
 * transactions begin IMMEDIATE, so writers already take turns. PostgreSQL
 * runs them side by side (READ COMMITTED), so the rows are locked first
 * (FOR UPDATE); every read after that sees the other transaction's committed
 * change. Locked in SKU order, so two imports cannot deadlock each other.
 */
async function lockedMappings(tx: Tx, provider: DatabaseProvider, shop: string, skus: string[]): Promise<Map<string, SkuMapping>> {
  const sorted = [...new Set(skus)].sort();
  const locked = new Set<string>();
  for (;;) {
    if (provider === "postgresql") {
      for (let i = 0; i < sorted.length; i += LOOKUP_CHUNK) {
        const rows = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT "id" FROM "SkuMapping"
          WHERE "shop" = ${shop} AND "sku" = ANY(${sorted.slice(i, i + LOOKUP_CHUNK)}::text[])
          ORDER BY "sku"
          FOR UPDATE`;
        for (const row of rows) locked.add(row.id);
      }
    }
    const existing = new Map<string, SkuMapping>();
    for (let i = 0; i < sorted.length; i += LOOKUP_CHUNK) {
      const rows = await tx.skuMapping.findMany({ where: { shop, sku: { in: sorted.slice(i, i + LOOKUP_CHUNK) } } });
      for (const row of rows) existing.set(row.sku, row);
    }
    if (provider !== "postgresql" || [...existing.values()].every((m) => locked.has(m.id))) return existing;
    // A row we waited for was replaced meanwhile (an import deletes and
    // re-inserts changed mappings): lock its successor too.
  }
}

/**
 * A SKU with no mapping yet has no row to lock: two first saves both insert
 * and the later one fails on the (shop, sku) unique index (P2002); PostgreSQL
 * may also report a write conflict (P2034), or a deadlock: one import waits
 * on the other's uncommitted insert of a new SKU while holding a row the
 * other then wants (40P01, which arrives as a failed raw query, P2010, when
 * it hits the FOR UPDATE). PostgreSQL has already rolled that transaction
 * back; run it again: by then the rows exist and are locked in order.
 */
const MAX_ATTEMPTS = 4;
function isRace(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002" || error.code === "P2034") return true;
  return error.code === "P2010" && /\b(40P01|40001)\b/.test(`${JSON.stringify(error.meta ?? {})} ${error.message}`);
}
async function withRaceRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isRace(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The version the next change of a SKU gets: continues across delete and re-create. */
async function nextVersion(tx: Tx, shop: string, sku: string): Promise<number> {
  const last = await tx.skuMappingChange.findFirst({
    where: { shop, sku },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return (last?.version ?? 0) + 1;
}

type ValueProblem = "empty" | "too-long" | "invisible";

function checkValue(value: unknown): { value: string } | { problem: ValueProblem } {
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "") return { problem: "empty" };
  if (text.length > MAX_VALUE_LENGTH) return { problem: "too-long" };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return { problem: "invisible" };
  // What is left to clean is a lone surrogate, which no form sends but a caller might.
  return { value: storableText(text) };
}

function describeProblem(problem: ValueProblem, what: "SKU" | "item number"): string {
  switch (problem) {
    case "empty":
      return `Enter the ${what}.`;
    case "too-long":
      return `The ${what} is longer than ${MAX_VALUE_LENGTH} characters. Shorten it.`;
    case "invisible":
      return `The ${what} contains a line break or another invisible character. Remove it.`;
  }
}

export interface SkuMappingPage {
  items: SkuMapping[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/**
 * Search ignores case on both databases: SQLite's LIKE already does (ASCII);
 * on PostgreSQL Prisma's mode: "insensitive" (ILIKE), which exists only there
 * (SQLite rejects it and its generated types lack it, hence the cast).
 */
function containsIgnoringCase(text: string, provider: DatabaseProvider): Prisma.StringFilter {
  return (provider === "postgresql" ? { contains: text, mode: "insensitive" } : { contains: text }) as Prisma.StringFilter;
}

/** Mappings ordered by SKU; search matches part of the SKU or the item number, ignoring case. */
export async function listSkuMappings(
  prisma: PrismaClient,
  shop: string,
  options: { search?: string; page?: number; pageSize?: number } = {},
): Promise<SkuMappingPage> {
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? 50), 1), 250);
  const page = Math.max(Math.trunc(options.page ?? 1), 1);
  // Searched for as stored: PostgreSQL refuses U+0000 even as a search term.
  const search = storableText(options.search?.trim());
  const provider = databaseProviderOf(prisma);
  const where: Prisma.SkuMappingWhereInput = search
    ? { shop, OR: [{ sku: containsIgnoringCase(search, provider) }, { itemNumber: containsIgnoringCase(search, provider) }] }
    : { shop };
  const [total, items] = await Promise.all([
    prisma.skuMapping.count({ where }),
    prisma.skuMapping.findMany({ where, orderBy: { sku: "asc" }, skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { items, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

export type UpsertResult =
  /** requeued: orders that waited on this SKU and went back in the queue. */
  | { ok: true; outcome: "created" | "updated" | "unchanged"; mapping: SkuMapping; requeued: number }
  | { ok: false; fieldErrors: { sku?: string; itemNumber?: string } };

/** Writes one mapping inside a transaction; "unchanged" writes nothing and records nothing. */
async function upsertInTx(
  tx: Tx,
  shop: string,
  sku: string,
  itemNumber: string,
  source: ChangeSource,
  actor: string,
  existing: SkuMapping | null,
): Promise<{ outcome: "created" | "updated" | "unchanged"; mapping: SkuMapping }> {
  if (existing && existing.itemNumber === itemNumber) return { outcome: "unchanged", mapping: existing };
  const version = await nextVersion(tx, shop, sku);
  const mapping = existing
    ? await tx.skuMapping.update({ where: { id: existing.id }, data: { itemNumber, version, updatedBy: actor } })
    : await tx.skuMapping.create({ data: { shop, sku, itemNumber, version, updatedBy: actor } });
  await tx.skuMappingChange.create({
    data: { shop, sku, oldItemNumber: existing?.itemNumber ?? null, newItemNumber: itemNumber, version, source, actor },
  });
  return { outcome: existing ? "updated" : "created", mapping };
}

export async function upsertSkuMapping(
  prisma: PrismaClient,
  shop: string,
  input: { sku: unknown; itemNumber: unknown },
  by: ChangeActor,
): Promise<UpsertResult> {
  const sku = checkValue(input.sku);
  const itemNumber = checkValue(input.itemNumber);
  if ("problem" in sku || "problem" in itemNumber) {
    return {
      ok: false,
      fieldErrors: {
        ...("problem" in sku ? { sku: describeProblem(sku.problem, "SKU") } : {}),
        ...("problem" in itemNumber ? { itemNumber: describeProblem(itemNumber.problem, "item number") } : {}),
      },
    };
  }
  const provider = databaseProviderOf(prisma);
  const result = await withRaceRetry(() =>
    prisma.$transaction(async (tx) => {
      const existing = (await lockedMappings(tx, provider, shop, [sku.value])).get(sku.value) ?? null;
      return upsertInTx(tx, shop, sku.value, itemNumber.value, "form", by.actor, existing);
    }),
  );
  const requeued = result.outcome === "unchanged" ? 0 : await requeueForSkus(prisma, shop, [sku.value]);
  return { ok: true, ...result, requeued };
}

/** Removes a mapping (orders then fall back to the SKU if the connector allows). */
export async function deleteSkuMapping(
  prisma: PrismaClient,
  shop: string,
  sku: string,
  by: ChangeActor,
): Promise<{ deleted: boolean }> {
  const provider = databaseProviderOf(prisma);
  return prisma.$transaction(async (tx) => {
    const existing = (await lockedMappings(tx, provider, shop, [skuKey(sku)])).get(skuKey(sku)) ?? null;
    if (!existing) return { deleted: false };
    const version = await nextVersion(tx, shop, existing.sku);
    await tx.skuMapping.delete({ where: { id: existing.id } });
    await tx.skuMappingChange.create({
      data: {
        shop,
        sku: existing.sku,
        oldItemNumber: existing.itemNumber,
        newItemNumber: null,
        version,
        source: "form",
        actor: by.actor,
      },
    });
    return { deleted: true };
  });
}

/** Item numbers for the SKUs that have a mapping, keyed by the SKU as given. */
export async function lookupItemNumbers(
  prisma: PrismaClient,
  shop: string,
  skus: string[],
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const wanted = [...new Set(skus.map(skuKey).filter((s) => s !== ""))];
  const found = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += LOOKUP_CHUNK) {
    const rows = await prisma.skuMapping.findMany({
      where: { shop, sku: { in: wanted.slice(i, i + LOOKUP_CHUNK) } },
      select: { sku: true, itemNumber: true },
    });
    for (const row of rows) found.set(row.sku, row.itemNumber);
  }
  for (const sku of skus) {
    const itemNumber = found.get(skuKey(sku));
    if (itemNumber !== undefined) result.set(sku, itemNumber);
  }
  return result;
}

export interface CsvRowError {
  /** Line in the file (1 = header); null for problems with the whole file. */
  line: number | null;
  message: string;
}

export type CsvImportResult =
  | { ok: true; created: number; updated: number; unchanged: number; requeued: number }
  | { ok: false; errors: CsvRowError[] };

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quotation mark (\") is opened but never closed",
  CSV_INVALID_CLOSING_QUOTE: "there is text right after a closing quotation mark (\")",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "there is text right after a closing quotation mark (\")",
};

const FORMAT_HINT = 'The first line must be the header sku,item_number, then one line per SKU, e.g. BLUE-TEE-M,100234.';

/** Excel in many European locales saves "CSV" with semicolons: follow the header line. */
function detectDelimiter(text: string): "," | ";" {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return header.includes(";") && !header.includes(",") ? ";" : ",";
}

interface ParsedRow {
  line: number;
  sku: string;
  itemNumber: string;
}

export function parseMappingCsv(text: string): { rows: ParsedRow[] } | { errors: CsvRowError[] } {
  if (Buffer.byteLength(text, "utf8") > MAX_IMPORT_BYTES) {
    return { errors: [{ line: null, message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files and import them one after the other.` }] };
  }
  if (text.replace(/^\uFEFF/, "").trim() === "") {
    return { errors: [{ line: null, message: `The file is empty. ${FORMAT_HINT}` }] };
  }
  let records: { record: Record<string, string | undefined>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      columns: (names: string[]) => (header = names.map((n) => String(n).trim().toLowerCase())),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const problem = CSV_PROBLEMS[error.code] ?? "this line could not be read as CSV";
    const line = (error as CsvError & { lines?: number }).lines ?? null;
    return { errors: [{ line, message: `The file could not be read: ${problem}. Check the line, save the file as CSV and try again.` }] };
  }
  if (!header.includes("sku") || !header.includes("item_number")) {
    return {
      errors: [{ line: 1, message: `The header must name the columns sku and item_number (found: ${header.join(", ") || "nothing"}). ${FORMAT_HINT}` }],
    };
  }
  if (records.length === 0) {
    return { errors: [{ line: null, message: `The file has a header but no mappings. ${FORMAT_HINT}` }] };
  }
  if (records.length > MAX_IMPORT_ROWS) {
    return { errors: [{ line: null, message: `The file has ${records.length} lines; import at most ${MAX_IMPORT_ROWS} at a time.` }] };
  }

  const errors: CsvRowError[] = [];
  const rows: ParsedRow[] = [];
  const firstLineOfSku = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const sku = checkValue(record.sku);
    if ("problem" in sku) {
      errors.push({
        line,
        message:
          sku.problem === "empty"
            ? `Line ${line}: the SKU is empty. Fill it in or delete the line.`
            : `Line ${line}: ${describeProblem(sku.problem, "SKU")}`,
      });
      continue;
    }
    const itemNumber = checkValue(record.item_number);
    if ("problem" in itemNumber) {
      errors.push({
        line,
        message:
          itemNumber.problem === "empty"
            ? `Line ${line}: SKU "${sku.value}" has no item number. Fill it in or delete the line.`
            : `Line ${line}: SKU "${sku.value}": ${describeProblem(itemNumber.problem, "item number")}`,
      });
      continue;
    }
    const earlier = firstLineOfSku.get(sku.value);
    if (earlier !== undefined) {
      errors.push({ line, message: `Line ${line}: SKU "${sku.value}" is already on line ${earlier}. Keep one line per SKU.` });
      continue;
    }
    firstLineOfSku.set(sku.value, line);
    rows.push({ line, sku: sku.value, itemNumber: itemNumber.value });
  }
  if (errors.length > 0) return { errors };
  return { rows };
}

/**
 * Imports sku,item_number lines. Either every line is applied or, when any
 * line has a problem, none is, and every problem is reported with its line.
 */
export async function importSkuMappingsCsv(
  prisma: PrismaClient,
  shop: string,
  csvText: string,
  by: ChangeActor,
): Promise<CsvImportResult> {
  const parsed = parseMappingCsv(csvText);
  if ("errors" in parsed) {
    const errors = parsed.errors.slice(0, MAX_REPORTED_ERRORS);
    if (parsed.errors.length > errors.length) {
      errors.push({ line: null, message: `…and ${parsed.errors.length - errors.length} more problems. Nothing was imported.` });
    }
    return { ok: false, errors };
  }
  const provider = databaseProviderOf(prisma);
  let counts = { created: 0, updated: 0, unchanged: 0 };
  let changedSkus: string[] = [];
  await withRaceRetry(() => prisma.$transaction(
    async (tx) => {
      // A retried attempt counts from scratch (the failed one was rolled back).
      counts = { created: 0, updated: 0, unchanged: 0 };
      changedSkus = [];
      const skus = parsed.rows.map((r) => r.sku);
      const existing = await lockedMappings(tx, provider, shop, skus);
      const lastVersion = new Map<string, number>();
      for (let i = 0; i < skus.length; i += LOOKUP_CHUNK) {
        const chunk = skus.slice(i, i + LOOKUP_CHUNK);
        const versions = await tx.skuMappingChange.groupBy({
          by: ["sku"],
          where: { shop, sku: { in: chunk } },
          _max: { version: true },
        });
        for (const v of versions) lastVersion.set(v.sku, v._max.version ?? 0);
      }

      // Bulk statements: one row at a time took ~1.2 ms per line on SQLite.
      const creates: Prisma.SkuMappingCreateManyInput[] = [];
      const changes: Prisma.SkuMappingChangeCreateManyInput[] = [];
      const replaced: string[] = [];
      for (const row of parsed.rows) {
        const current = existing.get(row.sku);
        if (current && current.itemNumber === row.itemNumber) {
          counts.unchanged += 1;
          continue;
        }
        const version = (lastVersion.get(row.sku) ?? 0) + 1;
        // A changed mapping is replaced (delete + bulk insert): nothing refers
        // to SkuMapping.id, and per-row UPDATEs cost ~1 ms each.
        if (current) replaced.push(current.id);
        creates.push({ shop, sku: row.sku, itemNumber: row.itemNumber, version, updatedBy: by.actor });
        counts[current ? "updated" : "created"] += 1;
        changedSkus.push(row.sku);
        changes.push({
          shop,
          sku: row.sku,
          oldItemNumber: current?.itemNumber ?? null,
          newItemNumber: row.itemNumber,
          version,
          source: "csv",
          actor: by.actor,
        });
      }
      for (let i = 0; i < replaced.length; i += LOOKUP_CHUNK) {
        await tx.skuMapping.deleteMany({ where: { shop, id: { in: replaced.slice(i, i + LOOKUP_CHUNK) } } });
      }
      // New SKUs are inserted in SKU order too: two imports adding the same
      // new SKUs then wait for each other instead of deadlocking.
      creates.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      for (let i = 0; i < creates.length; i += LOOKUP_CHUNK) {
        await tx.skuMapping.createMany({ data: creates.slice(i, i + LOOKUP_CHUNK) });
      }
      for (let i = 0; i < changes.length; i += LOOKUP_CHUNK) {
        await tx.skuMappingChange.createMany({ data: changes.slice(i, i + LOOKUP_CHUNK) });
      }
    },
    // A large file is thousands of statements; the default 5 s would abort it half way (and roll back).
    { timeout: 120_000, maxWait: 10_000 },
  ));
  const requeued = changedSkus.length ? await requeueForSkus(prisma, shop, changedSkus) : 0;
  return { ok: true, ...counts, requeued };
}
