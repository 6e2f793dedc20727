// The sync log's read model: what staff get for a filter, a search and a page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { listOrderLog, parseOrderLogFilters, decodeCursor, type OrderLogFilters } from "../../app/models/order-log.server";
import { orderLogCsvStream, CSV_COLUMNS } from "../../app/models/order-log-csv.server";
import { seedLedger } from "./seed";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";
import { parse } from "csv-parse/sync";

const SHOP = "log-test.myshopify.com";
const OTHER = "other-shop.myshopify.com";
let db: TestDatabase;

const noFilters = (): OrderLogFilters => parseOrderLogFilters(new URLSearchParams());
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestDatabase();
  await seedLedger(db.prisma, [
    { shop: SHOP, orderName: "#1001", state: "synced", operation: "none", erpDocumentNumber: "SO-1", updatedAt: at("2026-11-01T10:00:00Z"), searchText: "BLUE-TEE-M Blue T-shirt" },
    {
      shop: SHOP,
      orderName: "#1002",
      state: "needs_attention",
      operation: "create",
      lastError: 'Line item "Red Mug" has no SKU. Add a SKU to the variant in Shopify, then retry.',
      updatedAt: at("2026-11-02T10:00:00Z"),
      searchText: "Red Mug",
    },
    { shop: SHOP, orderName: "#1003", state: "failed", operation: "update", lastError: "ERP answered 500 five times", updatedAt: at("2026-11-03T10:00:00Z") },
    { shop: SHOP, orderName: "#1004", state: "retrying", operation: "create", updatedAt: at("2026-11-04T10:00:00Z"), searchText: "GREEN-CAP" },
    { shop: SHOP, orderName: "#1005", state: "skipped", operation: "none", skipReason: "Test order: test orders are not sent.", updatedAt: at("2026-11-05T10:00:00Z") },
    { shop: OTHER, orderName: "#1002", state: "needs_attention", operation: "create", lastError: "Other shop's problem", updatedAt: at("2026-11-02T10:00:00Z"), searchText: "BLUE-TEE-M" },
  ]);
});
afterAll(async () => db.cleanup());

const names = (rows: { orderName: string }[]) => rows.map((r) => r.orderName);

describe("sync log filters", () => {
  it("shows only this shop's orders, newest activity first", async () => {
    const page = await listOrderLog(db.prisma, SHOP, noFilters());
    expect(names(page.rows)).toEqual(["#1005", "#1004", "#1003", "#1002", "#1001"]);
    expect(page.rows.some((r) => r.message === "Other shop's problem")).toBe(false);
  });

  it("filters by state and by ERP write from the URL, ignoring values that are not states", async () => {
    const filters = parseOrderLogFilters(new URLSearchParams("state=needs_attention&state=failed&state=drop_table"));
    expect(filters.states).toEqual(["needs_attention", "failed"]);
    expect(names((await listOrderLog(db.prisma, SHOP, filters)).rows)).toEqual(["#1003", "#1002"]);
    const byOperation = parseOrderLogFilters(new URLSearchParams("operation=create"));
    expect(names((await listOrderLog(db.prisma, SHOP, byOperation)).rows)).toEqual(["#1004", "#1002"]);
  });

  it("filters by a date range that includes the whole last day", async () => {
    const filters = parseOrderLogFilters(new URLSearchParams("from=2026-11-02&to=2026-11-03"));
    expect(names((await listOrderLog(db.prisma, SHOP, filters)).rows)).toEqual(["#1003", "#1002"]);
  });

  it("searches order name, SKU and error text, within this shop only", async () => {
    const search = async (q: string) => names((await listOrderLog(db.prisma, SHOP, parseOrderLogFilters(new URLSearchParams({ q })))).rows);
    expect(await search("#1003")).toEqual(["#1003"]);
    expect(await search("BLUE-TEE")).toEqual(["#1001"]);
    expect(await search("no SKU")).toEqual(["#1002"]);
    expect(await search("Other shop")).toEqual([]);
  });

  it("answers a search holding U+0000 (PostgreSQL refuses it in any query) with what matches, not an error", async () => {
    const search = async (query: string) => names((await listOrderLog(db.prisma, SHOP, parseOrderLogFilters(new URLSearchParams(query)))).rows);
    expect(await search("q=%00")).toEqual([]);
    expect(await search("q=Red%00Mug")).toEqual([]);
  });

  it("search ignores upper and lower case in SKUs, titles, order names and errors, on SQLite and PostgreSQL alike", async () => {
    const shop = "case-test.myshopify.com";
    // Through intake, so the row's search text is what production stores.
    const order = makeOrder({
      id: 7100000000000000001n,
      name: "#Case-77",
      lines: [{ title: "blue t-shirt", variantTitle: "m", sku: "tee-blå-m", price: "20.00" }],
    });
    await recordWebhookEvent(db.prisma, webhookInput(shop, "orders/create", order));
    await seedLedger(db.prisma, [{ shop, orderName: "#Case-78", lastError: "The ERP refused the Customer number.", updatedAt: at("2026-11-06T10:00:00Z") }]);
    const search = async (q: string) => names((await listOrderLog(db.prisma, shop, parseOrderLogFilters(new URLSearchParams({ q })))).rows);
    expect(await search("Blue")).toEqual(["#Case-77"]);
    expect(await search("BLUE T-SHIRT")).toEqual(["#Case-77"]);
    expect(await search("TEE-BLÅ-M")).toEqual(["#Case-77"]); // non-ASCII: SQLite's LIKE alone would miss it
    expect(await search("#case-77")).toEqual(["#Case-77"]);
    expect(await search("customer NUMBER")).toEqual(["#Case-78"]);
    expect(await search("green")).toEqual([]);
  });

  it("gives each row the one message staff need: the error, or why it was skipped", async () => {
    const rows = (await listOrderLog(db.prisma, SHOP, noFilters())).rows;
    expect(rows.find((r) => r.orderName === "#1005")?.message).toBe("Test order: test orders are not sent.");
    expect(rows.find((r) => r.orderName === "#1002")?.message).toMatch(/has no SKU/);
    expect(rows.find((r) => r.orderName === "#1001")?.erpDocument).toBe("SO-1");
  });
});

describe("keyset pagination", () => {
  it("walks every row exactly once forwards and backwards, including rows with the same timestamp", async () => {
    const shop = "paging.myshopify.com";
    const same = at("2026-10-10T00:00:00Z");
    await seedLedger(
      db.prisma,
      Array.from({ length: 23 }, (_, i) => ({ shop, orderName: `#P${i}`, updatedAt: i % 3 === 0 ? same : new Date(same.getTime() + (i + 1) * 3_600_000) })),
    );
    const seen: string[] = [];
    const cursors: (string | null)[] = [null];
    let page = await listOrderLog(db.prisma, shop, noFilters(), { pageSize: 5 });
    expect(page.previousCursor).toBeNull();
    seen.push(...names(page.rows));
    while (page.nextCursor) {
      cursors.push(page.nextCursor);
      page = await listOrderLog(db.prisma, shop, noFilters(), { pageSize: 5, after: page.nextCursor });
      seen.push(...names(page.rows));
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(page.rows).toHaveLength(3);

    // Back from the last page: the previous page is the 4th page seen going forward.
    const back = await listOrderLog(db.prisma, shop, noFilters(), { pageSize: 5, before: page.previousCursor });
    expect(names(back.rows)).toEqual(seen.slice(15, 20));
    expect(back.nextCursor).not.toBeNull();
  });

  it("treats a tampered cursor as no cursor", () => {
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(Buffer.from("yesterday|abc").toString("base64url"))).toBeNull();
  });
});

async function readStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("CSV export", () => {
  it("contains the filtered rows of this shop with a header, and defuses spreadsheet formulas", async () => {
    await seedLedger(db.prisma, [{ shop: SHOP, orderName: "=HYPERLINK(\"http://evil\")", state: "failed", updatedAt: at("2026-11-06T00:00:00Z") }]);
    const text = await readStream(orderLogCsvStream(db.prisma, SHOP, parseOrderLogFilters(new URLSearchParams("state=failed&state=needs_attention"))));
    const records: string[][] = parse(text.replace(/^\uFEFF/, ""));
    expect(records[0]).toEqual(CSV_COLUMNS.map((c) => c.header));
    const orders = records.slice(1).map((r) => r[0]);
    expect(orders).toEqual(["'=HYPERLINK(\"http://evil\")", "#1003", "#1002"]);
    expect(text).not.toContain("Other shop's problem");
    const row1002 = records.find((r) => r[0] === "#1002")!;
    expect(row1002[3]).toBe("needs_attention");
    expect(row1002[9]).toMatch(/has no SKU/);
  });
});
