// SKU -> ERP item number mappings as staff manage them: one at a time, by CSV
// import, with a history of who changed what.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { storableText } from "../../app/lib/storable-text";
import {
  MAX_IMPORT_ROWS,
  deleteSkuMapping,
  importSkuMappingsCsv,
  listSkuMappings,
  lookupItemNumbers,
  upsertSkuMapping,
} from "~/settings/sku-mapping.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

const SHOP = "acme.myshopify.com";
const OTHER = "other.myshopify.com";
const ANNA = { actor: "anna@acme.test" };
const BEN = { actor: "ben@acme.test" };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});
beforeEach(async () => {
  await db.prisma.skuMapping.deleteMany();
  await db.prisma.skuMappingChange.deleteMany();
});

const countMappings = (shop = SHOP) => db.prisma.skuMapping.count({ where: { shop } });


/** Every recorded change of one SKU (as typed: stored trimmed and storable), newest first. */
function changesOf(sku: string) {
  return db.prisma.skuMappingChange.findMany({ where: { shop: SHOP, sku: storableText(sku.trim()) }, orderBy: [{ version: "desc" }, { createdAt: "desc" }] });
}

describe("one mapping at a time", () => {
  it("creates, changes and reports an unchanged save without recording it", async () => {
    expect(await upsertSkuMapping(db.prisma, SHOP, { sku: " TEE-M ", itemNumber: "100234" }, ANNA)).toMatchObject({
      ok: true,
      outcome: "created",
      mapping: { sku: "TEE-M", itemNumber: "100234", version: 1, updatedBy: "anna@acme.test" },
    });
    expect(await upsertSkuMapping(db.prisma, SHOP, { sku: "TEE-M", itemNumber: "100299" }, BEN)).toMatchObject({
      outcome: "updated",
      mapping: { itemNumber: "100299", version: 2, updatedBy: "ben@acme.test" },
    });
    expect(await upsertSkuMapping(db.prisma, SHOP, { sku: "TEE-M", itemNumber: "100299" }, ANNA)).toMatchObject({
      outcome: "unchanged",
      mapping: { version: 2 },
    });
    const history = await changesOf("TEE-M");
    expect(history.map((h) => [h.version, h.oldItemNumber, h.newItemNumber, h.actor, h.source])).toEqual([
      [2, "100234", "100299", "ben@acme.test", "form"],
      [1, null, "100234", "anna@acme.test", "form"],
    ]);
  });

  it("explains empty or unusable values per field", async () => {
    expect(await upsertSkuMapping(db.prisma, SHOP, { sku: "  ", itemNumber: "" }, ANNA)).toEqual({
      ok: false,
      fieldErrors: { sku: "Enter the SKU.", itemNumber: "Enter the item number." },
    });
    expect(await upsertSkuMapping(db.prisma, SHOP, { sku: "A\tB", itemNumber: "x".repeat(256) }, ANNA)).toEqual({
      ok: false,
      fieldErrors: {
        sku: expect.stringContaining("invisible character"),
        itemNumber: expect.stringContaining("longer than 255 characters"),
      },
    });
    expect(await countMappings()).toBe(0);
  });

  it("deletes with a history entry; re-creating continues the version count", async () => {
    await upsertSkuMapping(db.prisma, SHOP, { sku: "MUG", itemNumber: "7" }, ANNA);
    expect(await deleteSkuMapping(db.prisma, SHOP, "MUG", BEN)).toEqual({ deleted: true });
    expect(await deleteSkuMapping(db.prisma, SHOP, "MUG", BEN)).toEqual({ deleted: false });
    await upsertSkuMapping(db.prisma, SHOP, { sku: "MUG", itemNumber: "8" }, ANNA);
    const history = await changesOf("MUG");
    expect(history.map((h) => [h.version, h.oldItemNumber, h.newItemNumber, h.actor])).toEqual([
      [3, null, "8", "anna@acme.test"],
      [2, "7", null, "ben@acme.test"],
      [1, null, "7", "anna@acme.test"],
    ]);
  });

  it("keeps a gap-free history when staff save the same SKU at the same moment", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => upsertSkuMapping(db.prisma, SHOP, { sku: "RACE", itemNumber: `R${i}` }, ANNA)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const history = await changesOf("RACE");
    expect(history.map((h) => h.version)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    // Each change starts from what the previous one left.
    for (let i = 0; i < history.length - 1; i++) expect(history[i].oldItemNumber).toBe(history[i + 1].newItemNumber);
    const [mapping] = (await listSkuMappings(db.prisma, SHOP, { search: "RACE" })).items;
    expect(mapping).toMatchObject({ version: 8, itemNumber: history[0].newItemNumber });
  });

  it("keeps a gap-free history when staff change an existing SKU at the same moment", async () => {
    await upsertSkuMapping(db.prisma, SHOP, { sku: "BUSY", itemNumber: "B0" }, ANNA);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => upsertSkuMapping(db.prisma, SHOP, { sku: "BUSY", itemNumber: `B${i + 1}` }, BEN)),
    );
    expect(results.map((r) => r.ok && r.outcome)).toEqual(Array(8).fill("updated"));
    const history = await changesOf("BUSY");
    expect(history.map((h) => h.version)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    for (let i = 0; i < history.length - 1; i++) expect(history[i].oldItemNumber).toBe(history[i + 1].newItemNumber);
    expect(await lookupItemNumbers(db.prisma, SHOP, ["BUSY"])).toEqual(new Map([["BUSY", history[0].newItemNumber]]));
  });

  it("keeps shops apart", async () => {
    await upsertSkuMapping(db.prisma, SHOP, { sku: "TEE-M", itemNumber: "1" }, ANNA);
    await upsertSkuMapping(db.prisma, OTHER, { sku: "TEE-M", itemNumber: "2" }, ANNA);
    expect(await deleteSkuMapping(db.prisma, OTHER, "TEE-M", BEN)).toEqual({ deleted: true });
    expect(await lookupItemNumbers(db.prisma, SHOP, ["TEE-M"])).toEqual(new Map([["TEE-M", "1"]]));
    expect(await changesOf("TEE-M")).toHaveLength(1);
  });
});

describe("list and look-up", () => {
  beforeEach(async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `SKU-${String(i).padStart(3, "0")},ITEM-${1000 + i}`);
    const result = await importSkuMappingsCsv(db.prisma, SHOP, ["sku,item_number", ...rows].join("\n"), ANNA);
    expect(result).toMatchObject({ ok: true, created: 120 });
  });

  it("pages in SKU order", async () => {
    const page = await listSkuMappings(db.prisma, SHOP, { page: 3, pageSize: 50 });
    expect(page).toMatchObject({ total: 120, page: 3, pageSize: 50, pageCount: 3 });
    expect(page.items.map((m) => m.sku)).toEqual(Array.from({ length: 20 }, (_, i) => `SKU-${100 + i}`));
  });

  it("searches SKUs and item numbers", async () => {
    expect((await listSkuMappings(db.prisma, SHOP, { search: "SKU-11" })).items.map((m) => m.sku)).toEqual(
      Array.from({ length: 10 }, (_, i) => `SKU-11${i}`),
    );
    expect((await listSkuMappings(db.prisma, SHOP, { search: "ITEM-1005" })).items.map((m) => m.sku)).toEqual(["SKU-005"]);
    expect((await listSkuMappings(db.prisma, OTHER, { search: "SKU" })).total).toBe(0);
    // Staff type in any case, on SQLite and PostgreSQL alike.
    expect((await listSkuMappings(db.prisma, SHOP, { search: "sku-11" })).total).toBe(10);
    expect((await listSkuMappings(db.prisma, SHOP, { search: "item-1005" })).items.map((m) => m.sku)).toEqual(["SKU-005"]);
  });

  it("looks up many SKUs at once, keyed as asked, leaving unmapped ones out", async () => {
    const asked = [" SKU-001", "SKU-119", "NOPE", ...Array.from({ length: 1200 }, (_, i) => `MISSING-${i}`)];
    expect(await lookupItemNumbers(db.prisma, SHOP, asked)).toEqual(
      new Map([
        [" SKU-001", "ITEM-1001"],
        ["SKU-119", "ITEM-1119"],
      ]),
    );
  });
});

describe("SKUs with text PostgreSQL refuses (U+0000, lone surrogates)", () => {
  it("looks up an order's SKU holding them, and finds the mapping saved as the ledger shows it (U+FFFD)", async () => {
    await upsertSkuMapping(db.prisma, SHOP, { sku: "TEE\uFFFDM", itemNumber: "ITEM-7" }, ANNA);
    const asked = ["TEE\u0000M", "TEE\ud800M", "TEE\udc00M", "TEE\u0000L"];
    expect(await lookupItemNumbers(db.prisma, SHOP, asked)).toEqual(
      new Map([
        ["TEE\u0000M", "ITEM-7"],
        ["TEE\ud800M", "ITEM-7"],
        ["TEE\udc00M", "ITEM-7"],
      ]),
    );
  });

  it("refuses U+0000 typed into the form, stores a lone surrogate as U+FFFD, and searches, shows history and deletes with them", async () => {
    expect(await upsertSkuMapping(db.prisma, SHOP, { sku: "A\u0000B", itemNumber: "1" }, ANNA)).toEqual({
      ok: false,
      fieldErrors: { sku: "The SKU contains a line break or another invisible character. Remove it." },
    });
    expect(await upsertSkuMapping(db.prisma, SHOP, { sku: "A\ud800B", itemNumber: "2\udc00" }, ANNA)).toMatchObject({
      ok: true,
      mapping: { sku: "A\uFFFDB", itemNumber: "2\uFFFD" },
    });
    expect((await listSkuMappings(db.prisma, SHOP, { search: "A\u0000" })).items.map((m) => m.sku)).toEqual(["A\uFFFDB"]);
    expect(await changesOf("A\u0000B")).toHaveLength(1);
    expect(await deleteSkuMapping(db.prisma, SHOP, "A\ud800B", BEN)).toEqual({ deleted: true });
    expect(await countMappings()).toBe(0);
  });
});

describe("CSV import", () => {
  it("imports a spreadsheet export: BOM, header in any case and order, quoted commas, extra columns", async () => {
    await upsertSkuMapping(db.prisma, SHOP, { sku: "EXISTING", itemNumber: "OLD" }, ANNA);
    await upsertSkuMapping(db.prisma, SHOP, { sku: "SAME", itemNumber: "S-1" }, ANNA);
    const csv = '\uFEFFItem_Number,SKU,Description\r\n"10,5",BOLT-10,"Bolt, 10 mm"\r\nNEW-1,EXISTING,\r\nS-1,SAME,\r\n\r\n';
    expect(await importSkuMappingsCsv(db.prisma, SHOP, csv, BEN)).toEqual({ ok: true, created: 1, updated: 1, unchanged: 1, requeued: 0 });
    expect(await lookupItemNumbers(db.prisma, SHOP, ["BOLT-10", "EXISTING", "SAME"])).toEqual(
      new Map([
        ["BOLT-10", "10,5"],
        ["EXISTING", "NEW-1"],
        ["SAME", "S-1"],
      ]),
    );
    const [latest] = await changesOf("EXISTING");
    expect(latest).toMatchObject({ oldItemNumber: "OLD", newItemNumber: "NEW-1", source: "csv", actor: "ben@acme.test", version: 2 });
    expect(await changesOf("SAME")).toHaveLength(1);
  });

  it("reads semicolon-separated files (Excel in many European locales)", async () => {
    expect(await importSkuMappingsCsv(db.prisma, SHOP, "sku;item_number\nA;1\nB;2,5\n", ANNA)).toMatchObject({ ok: true, created: 2 });
    expect(await lookupItemNumbers(db.prisma, SHOP, ["B"])).toEqual(new Map([["B", "2,5"]]));
  });

  it("reports every bad line by number in plain words and imports nothing", async () => {
    const csv = ["sku,item_number", "GOOD-1,100", ",200", "NO-ITEM,", "GOOD-1,101", "GOOD-2,300"].join("\n");
    const result = await importSkuMappingsCsv(db.prisma, SHOP, csv, ANNA);
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 3, message: "Line 3: the SKU is empty. Fill it in or delete the line." },
        { line: 4, message: 'Line 4: SKU "NO-ITEM" has no item number. Fill it in or delete the line.' },
        { line: 5, message: 'Line 5: SKU "GOOD-1" is already on line 2. Keep one line per SKU.' },
      ],
    });
    expect(await countMappings()).toBe(0);
    expect(await db.prisma.skuMappingChange.count()).toBe(0);
  });

  it.each([
    ["a wrong header", "product,number\nA,1\n", { line: 1, message: expect.stringContaining("must name the columns sku and item_number (found: product, number)") }],
    ["an empty file", "\uFEFF \n", { line: null, message: expect.stringContaining("The file is empty") }],
    ["only a header", "sku,item_number\n", { line: null, message: expect.stringContaining("no mappings") }],
    ["an unclosed quote", 'sku,item_number\nA,1\n"B,2\nC,3\n', { line: 4, message: expect.stringContaining("opened but never closed") }],
  ])("explains %s", async (_what, csv, error) => {
    expect(await importSkuMappingsCsv(db.prisma, SHOP, csv, ANNA)).toEqual({ ok: false, errors: [error] });
  });

  it("refuses files above the row limit before writing anything", async () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `S${i},I${i}`);
    const result = await importSkuMappingsCsv(db.prisma, SHOP, ["sku,item_number", ...rows].join("\n"), ANNA);
    expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining(`at most ${MAX_IMPORT_ROWS}`) }] });
    expect(await countMappings()).toBe(0);
  });

  it("caps a long error list and says how many more there are", async () => {
    const rows = Array.from({ length: 80 }, () => ",x");
    const result = await importSkuMappingsCsv(db.prisma, SHOP, ["sku,item_number", ...rows].join("\n"), ANNA);
    if (result.ok) throw new Error("expected errors");
    expect(result.errors).toHaveLength(51);
    expect(result.errors.at(-1)?.message).toBe("…and 30 more problems. Nothing was imported.");
  });

  it("applies imports and single saves of the same SKUs made at the same moment one after the other, history gap-free", async () => {
    await upsertSkuMapping(db.prisma, SHOP, { sku: "OLD-1", itemNumber: "O1" }, ANNA);
    const skus = ["OLD-1", "NEW-1", "NEW-2", "NEW-3"];
    // Files list the SKUs in different orders, as real exports do.
    const files = [0, 1, 2, 3].map((n) => {
      const lines = skus.map((sku, i) => `${sku},F${n}-${i}`);
      return ["sku,item_number", ...(n % 2 ? lines.reverse() : lines)].join("\n");
    });
    const results = await Promise.all([
      ...files.map((csv) => importSkuMappingsCsv(db.prisma, SHOP, csv, BEN)),
      upsertSkuMapping(db.prisma, SHOP, { sku: "NEW-2", itemNumber: "FORM" }, ANNA),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    // Every file changes every SKU (its values differ from all others'), so
    // each write is one version: 4 imports, plus the earlier save of OLD-1 and
    // the form save of NEW-2.
    const expectedVersions: Record<string, number> = { "OLD-1": 5, "NEW-1": 4, "NEW-2": 5, "NEW-3": 4 };
    for (const sku of skus) {
      const history = await changesOf(sku);
      const n = expectedVersions[sku];
      expect(history.map((h) => h.version)).toEqual(Array.from({ length: n }, (_, i) => n - i));
      for (let i = 0; i < history.length - 1; i++) expect(history[i].oldItemNumber).toBe(history[i + 1].newItemNumber);
      const [mapping] = (await listSkuMappings(db.prisma, SHOP, { search: sku })).items;
      expect(mapping).toMatchObject({ version: history[0].version, itemNumber: history[0].newItemNumber });
    }
  });

  it("imports and then changes 5,000 lines, each in one all-or-nothing transaction, in reasonable time", async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `BULK-${i},ERP-${i}`);
    const started = performance.now();
    const result = await importSkuMappingsCsv(db.prisma, SHOP, ["sku,item_number", ...rows].join("\n"), ANNA);
    const ms = performance.now() - started;
    console.info(`[measure] CSV import of 5000 new mappings: ${Math.round(ms)} ms`);
    expect(result).toEqual({ ok: true, created: 5_000, updated: 0, unchanged: 0, requeued: 0 });
    expect(await db.prisma.skuMappingChange.count({ where: { shop: SHOP } })).toBe(5_000);
    expect(ms).toBeLessThan(60_000);

    const changed = Array.from({ length: 5_000 }, (_, i) => `BULK-${i},ERP-${i}-B`);
    const again = performance.now();
    const second = await importSkuMappingsCsv(db.prisma, SHOP, ["sku,item_number", ...changed].join("\n"), BEN);
    const updateMs = performance.now() - again;
    console.info(`[measure] CSV import changing 5000 existing mappings: ${Math.round(updateMs)} ms`);
    expect(second).toEqual({ ok: true, created: 0, updated: 5_000, unchanged: 0, requeued: 0 });
    expect(await lookupItemNumbers(db.prisma, SHOP, ["BULK-4999"])).toEqual(new Map([["BULK-4999", "ERP-4999-B"]]));
    expect(updateMs).toBeLessThan(60_000);
  });
});
