// The settings dry run: stored orders replayed through saved and proposed
// settings with the engine's own mapper, filters, rules and validation. It
// says which orders would start or stop syncing and why, what changes in each
// ERP document field by field, and the money affected; it writes nothing
// (the ledger is byte-for-byte the same afterwards). A property checks it
// against a reference: the verdict under each side is what the engine's
// planner steps decide, and a change of nothing changes nothing.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffFields, dryRun, type DryRunSettings, type StoredOrder } from "../../app/dry-run/dry-run";
import { previewSettingsChange } from "../../app/models/dry-run.server";
import { parseSyncRules } from "../../app/sync/order/sync-rules";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { makeOrder, toRawBody } from "../../testkit/shopify-payloads";

const SHOP = "dry-run.myshopify.com";
let seq = 0;

function stored(spec: { tags?: string; skus?: string[]; source?: string; test?: boolean; inErp?: boolean; manualSkip?: boolean; cancelled?: boolean } = {}): StoredOrder {
  const id = 6100000000000000001n + BigInt(seq++);
  const order = makeOrder({ id, name: `#D${seq}`, lines: (spec.skus ?? ["MUG"]).map((sku) => ({ title: `Item ${sku}`, sku, price: "12.50", quantity: 2 })) });
  order.tags = spec.tags ?? "";
  order.source_name = spec.source ?? "web";
  order.test = spec.test ?? false;
  if (spec.cancelled) order.cancelled_at = "2026-11-20T12:00:00-05:00";
  return {
    id: `row-${seq}`,
    orderName: `#D${seq}`,
    state: spec.inErp ? "synced" : "pending",
    snapshot: toRawBody(order),
    refunds: "[]",
    erpDocumentId: spec.inErp ? `DOC-${seq}` : null,
    createMaybeSent: false,
    manualSkip: spec.manualSkip ?? false,
  };
}

function settings(over: Partial<Omit<DryRunSettings, "rules">> & { rules?: unknown } = {}): DryRunSettings {
  const { rules, ...rest } = over;
  return {
    rules: parseSyncRules(JSON.stringify(rules ?? {})),
    externalIdPrefix: "shopify-",
    itemNumbers: new Map(),
    skuFallbackAllowed: true,
    connectorConfigured: true,
    ...rest,
  };
}

describe("dry run engine", () => {
  it("lists orders that would stop syncing under a new filter, with the rule in words, and the money they carry", () => {
    const rows = [stored({ tags: "wholesale" }), stored({ tags: "retail" }), stored({ tags: "wholesale", inErp: true })];
    const r = dryRun(rows, SHOP, settings(), settings({ rules: { filters: { excludeTags: ["wholesale"] } } }));
    expect(r.ordersReplayed).toBe(3);
    expect(r.stop.count).toBe(1);
    expect(r.stop.orders[0]).toMatchObject({ orderName: rows[0].orderName, before: "sent to the ERP", after: "skipped" });
    expect(r.stop.orders[0].reason).toMatch(/has the tag "wholesale", which your sync rules exclude/);
    // Already in the ERP: filters no longer apply to it.
    expect(r.unchanged).toBe(2);
    expect(Number(r.stop.orders[0].total)).toBeGreaterThanOrEqual(25);
    expect(r.money).toEqual([{ currency: "USD", starting: "0.00", stopping: r.stop.orders[0].total, changedBy: "0.00" }]);
  });

  it("lists orders that would start syncing when a filter is lifted or a missing mapping is added", () => {
    const rows = [stored({ test: true }), stored({ skus: ["NEW"] })];
    const before = settings({ skuFallbackAllowed: false, itemNumbers: new Map([["MUG", "I-MUG"]]) });
    const after = settings({ skuFallbackAllowed: false, rules: { filters: { skipTestOrders: false } }, itemNumbers: new Map([["MUG", "I-MUG"], ["NEW", "I-NEW"]]) });
    const r = dryRun(rows, SHOP, before, after);
    expect(r.start.count).toBe(2);
    expect(r.start.orders.map((o) => o.reason)).toEqual([expect.stringMatching(/test order/), expect.stringMatching(/SKU "NEW".*has no ERP item number/)]);
  });

  it("shows each changed field of the ERP document for a mapping change, and the prefix change on the external id", () => {
    const rows = [stored({ skus: ["MUG", "CUP"] })];
    const r = dryRun(rows, SHOP, settings(), settings({ externalIdPrefix: "web-", itemNumbers: new Map([["CUP", "ITEM-CUP"]]) }));
    expect(r.changed.count).toBe(1);
    const changes = r.changed.orders[0].changes!;
    expect(changes).toContainEqual({ path: "lines[1].itemNumber", before: "CUP", after: "ITEM-CUP" });
    expect(changes).toContainEqual(expect.objectContaining({ path: "externalId", before: expect.stringMatching(/^shopify-/), after: expect.stringMatching(/^web-/) }));
    expect(changes.find((c) => c.path === "lines[0].itemNumber")).toBeUndefined();
  });

  it("keeps staff skips skipped, does not create cancelled orders, and counts unreadable copies apart", () => {
    const broken = { ...stored(), snapshot: "{not json" };
    const empty = { ...stored(), snapshot: "" };
    const r = dryRun([stored({ manualSkip: true }), stored({ cancelled: true }), broken, empty], SHOP, settings({ rules: { filters: { skipTestOrders: true } } }), settings());
    expect(r.unreadable).toBe(2);
    expect(r.start.count + r.stop.count + r.changed.count).toBe(0);
  });

  it("diffs nested documents by path", () => {
    expect(diffFields({ a: 1, b: [1, { c: 2 }] }, { a: 1, b: [1, { c: 3 }, 4] })).toEqual([
      { path: "b[1].c", before: 2, after: 3 },
      { path: "b[2]", before: null, after: 4 },
    ]);
  });

  it("(property) the same settings on both sides change nothing, and swapping the sides swaps start and stop", () => {
    const arbOrder = fc.record({
      tags: fc.constantFrom("", "wholesale", "retail", "wholesale, vip"),
      skus: fc.subarray(["A", "B", "C"], { minLength: 1 }),
      source: fc.constantFrom("web", "pos"),
      test: fc.boolean(),
      inErp: fc.boolean(),
      manualSkip: fc.boolean(),
    });
    const arbSettings = fc.record({
      excludeTags: fc.subarray(["wholesale", "vip"]),
      salesChannels: fc.subarray(["web", "pos"]),
      skipTestOrders: fc.boolean(),
      create: fc.boolean(),
      fallback: fc.boolean(),
      mapped: fc.subarray(["A", "B", "C"]),
    });
    const toSettings = (s: { excludeTags: string[]; salesChannels: string[]; skipTestOrders: boolean; create: boolean; fallback: boolean; mapped: string[] }) =>
      settings({
        rules: { events: { create: s.create }, filters: { excludeTags: s.excludeTags, salesChannels: s.salesChannels, skipTestOrders: s.skipTestOrders } },
        skuFallbackAllowed: s.fallback,
        itemNumbers: new Map(s.mapped.map((k) => [k, `I-${k}`])),
      });
    fc.assert(
      fc.property(fc.array(arbOrder, { maxLength: 8 }), arbSettings, arbSettings, (specs, a, b) => {
        const rows = specs.map((s) => stored(s));
        const same = dryRun(rows, SHOP, toSettings(a), toSettings(a));
        expect(same.start.count + same.stop.count + same.changed.count).toBe(0);
        const forward = dryRun(rows, SHOP, toSettings(a), toSettings(b));
        const back = dryRun(rows, SHOP, toSettings(b), toSettings(a));
        expect(back.start.orders.map((o) => o.id)).toEqual(forward.stop.orders.map((o) => o.id));
        expect(back.stop.orders.map((o) => o.id)).toEqual(forward.start.orders.map((o) => o.id));
        expect(back.changed.count).toBe(forward.changed.count);
        // Reference: an order manually skipped or already in the ERP never starts or stops because of filters/create.
        for (const o of [...forward.start.orders, ...forward.stop.orders]) {
          const spec = specs[rows.findIndex((r) => r.id === o.id)];
          expect(spec.manualSkip).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("preview of a settings change on the stored ledger", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const now = Date.now();
    const rows = [stored({ skus: ["MUG"] }), stored({ skus: ["LAMP"], tags: "wholesale" }), stored({ skus: ["MUG"] })];
    for (const [i, r] of rows.entries()) {
      const { id: _id, ...rest } = r;
      await db.prisma.orderSync.create({
        data: {
          ...rest,
          shop: SHOP,
          orderId: String(i + 1),
          orderGid: `gid://shopify/Order/${i + 1}`,
          externalId: `shopify-${i + 1}`,
          sourceUpdatedAt: new Date(),
          // The third order was placed 20 days ago: outside the default 14 days.
          shopifyCreatedAt: new Date(now - (i === 2 ? 20 : 1) * 24 * 3_600_000),
        },
      });
    }
    await db.prisma.shopSettings.create({ data: { shop: SHOP, connectorType: "generic-http" } });
    await db.prisma.skuMapping.create({ data: { shop: SHOP, sku: "MUG", itemNumber: "I-MUG", updatedBy: "test" } });
  });
  afterAll(() => db.cleanup());

  async function ledgerText() {
    const [orders, mappings, settingsRows, actions] = await Promise.all([
      db.prisma.orderSync.findMany({ orderBy: { id: "asc" } }),
      db.prisma.skuMapping.findMany({ orderBy: { id: "asc" } }),
      db.prisma.shopSettings.findMany(),
      db.prisma.orderAction.count(),
    ]);
    return JSON.stringify({ orders, mappings, settingsRows, actions });
  }

  it("previews a CSV import, a single mapping, a deletion and a rule change without writing anything", async () => {
    const before = await ledgerText();
    const csv = await previewSettingsChange(db.prisma, SHOP, { intent: "preview", change: { kind: "sku_import", csv: "sku,item_number\nLAMP,I-LAMP\nMUG,I-MUG-2\n" } });
    expect(csv).toMatchObject({ ok: true, preview: { days: 14, ordersReplayed: 2, changed: { count: 2 } } });
    const one = await previewSettingsChange(db.prisma, SHOP, { intent: "preview", change: { kind: "sku_upsert", sku: "LAMP", itemNumber: "I-LAMP" } });
    expect(one.ok && one.preview.changed.orders[0].changes).toContainEqual({ path: "lines[0].itemNumber", before: "LAMP", after: "I-LAMP" });
    const del = await previewSettingsChange(db.prisma, SHOP, { intent: "preview", change: { kind: "sku_delete", sku: "MUG" } });
    expect(del.ok && del.preview.changed.orders[0].changes).toContainEqual({ path: "lines[0].itemNumber", before: "I-MUG", after: "MUG" });
    const rules = await previewSettingsChange(db.prisma, SHOP, { intent: "preview", days: 30, change: { kind: "settings", syncRules: { filters: { excludeTags: ["wholesale"] } } } });
    expect(rules).toMatchObject({ ok: true, preview: { ordersReplayed: 3, stop: { count: 1 } } });
    expect(rules.message).toMatch(/Of the 3 orders of the last 30 days, 1 would stop syncing\. Nothing has been saved yet\./);
    expect(await ledgerText()).toBe(before);
  });

  it("previews connector options that change what is booked: a Tryton shipping product changed, then emptied", async () => {
    const shop = "dry-run-tryton.myshopify.com";
    const order = stored({ skus: ["MUG"] });
    const { id: _id, ...rest } = order;
    await db.prisma.orderSync.create({
      data: { ...rest, shop, orderId: "77", orderGid: "gid://shopify/Order/77", externalId: "shopify-77", sourceUpdatedAt: new Date(), shopifyCreatedAt: new Date() },
    });
    await db.prisma.shopSettings.create({ data: { shop, connectorType: "tryton", connectorConfig: JSON.stringify({ url: "https://tryton.example.com", shippingProductCode: "SHIP" }) } });
    const connector = (shippingProductCode: string) => ({ connectorType: "tryton", values: { url: "https://tryton.example.com", password: "", shippingProductCode } });

    const changed = await previewSettingsChange(db.prisma, shop, { intent: "preview", change: { kind: "settings", connector: connector("SHIP-EXPRESS") } });
    expect(changed).toMatchObject({ ok: true, preview: { changed: { count: 1 } } });
    const fields = changed.ok ? changed.preview.changed.orders[0].changes! : [];
    expect(fields).toContainEqual({ path: expect.stringMatching(/^erp\[\d+\]\.bookedOn$/), before: "shipping → SHIP", after: "shipping → SHIP-EXPRESS" });

    const emptied = await previewSettingsChange(db.prisma, shop, { intent: "preview", change: { kind: "settings", connector: connector("") } });
    expect(emptied).toMatchObject({ ok: true, preview: { stop: { count: 1 } } });
    expect(emptied.ok && emptied.preview.stop.orders[0].reason).toMatch(/"Shipping product code" is not set/);
  });

  it("reports a bad CSV by line and previews nothing", async () => {
    const bad = await previewSettingsChange(db.prisma, SHOP, { intent: "preview", change: { kind: "sku_import", csv: "sku,item_number\nLAMP,\n" } });
    expect(bad).toMatchObject({ ok: false, errors: [{ line: 2, message: expect.stringMatching(/has no item number/) }] });
  });
});
