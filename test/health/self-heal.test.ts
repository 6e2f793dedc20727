// Problems that fix themselves, end to end through intake, the worker and a
// fake ERP: an order stopped for a missing SKU mapping retries when the
// mapping is saved (form or CSV), and orders stopped because the ERP lacked an
// item retry when it has it (one probe order, then the rest), each with a line
// in its history, leaving needs_attention so the alerts counting them close.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { importSkuMappingsCsv, upsertSkuMapping } from "../../app/settings/sku-mapping.server";
import { ITEM_PROBE_INTERVAL_MS, probeWaitingItems, AUTO_RETRY_ACTOR } from "../../app/health/self-heal.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";
import { TestConfigProvider } from "../../testkit/test-config-provider";
import { drain, makeWorker, TestClock } from "../sync/harness";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

let n = 0;
let shop: string;
let erp: FakeErp;
let provider: TestConfigProvider;
let clock: TestClock;
const mapping: Record<string, string> = {};
let nextId = 7300000000000000001n;

beforeEach(() => {
  shop = `heal-${++n}.myshopify.com`;
  clock = new TestClock();
  for (const k of Object.keys(mapping)) delete mapping[k];
});

async function orderWith(...skus: string[]) {
  const id = nextId++;
  const order = makeOrder({ id, name: `#S${id % 10000n}`, lines: skus.map((sku) => ({ title: `Item ${sku}`, sku, price: "10.00" })) });
  const res = await recordWebhookEvent(db.prisma, webhookInput(shop, "orders/create", order));
  return res.orderSyncId!;
}

const row = (id: string) => db.prisma.orderSync.findUniqueOrThrow({ where: { id } });
const worker = () => makeWorker(db.prisma, provider, { now: clock.now }).worker;

describe("a saved SKU mapping retries the orders waiting on it", () => {
  beforeEach(() => {
    erp = new FakeErp();
    // No fallback: an unmapped SKU stops the order before the ERP is called.
    provider = new TestConfigProvider().set(shop, { erp, skuFallbackAllowed: false, itemNumbers: mapping });
  });

  it("by form: the waiting orders go to the ERP with the new item number; others stay", async () => {
    mapping["OLD"] = "ITEM-OLD";
    const a = await orderWith("NEW-1");
    const b = await orderWith("NEW-1", "OLD");
    const c = await orderWith("NEW-2");
    await drain(worker());
    for (const id of [a, b, c]) expect((await row(id)).state).toBe("needs_attention");
    expect(JSON.parse((await row(b)).waitingOn!)).toEqual(["sku:NEW-1"]);
    expect(erp.callsOf("createOrder")).toHaveLength(0);

    mapping["NEW-1"] = "ITEM-NEW-1"; // what the engine's look-up returns from now on
    const saved = await upsertSkuMapping(db.prisma, shop, { sku: "NEW-1", itemNumber: "ITEM-NEW-1" }, { actor: "ops@example.com" });
    expect(saved).toMatchObject({ ok: true, outcome: "created", requeued: 2 });
    expect((await row(a)).state).toBe("pending");
    expect((await row(c)).state).toBe("needs_attention");
    const history = await db.prisma.orderAction.findMany({ where: { orderSyncId: a } });
    expect(history).toEqual([expect.objectContaining({ action: "auto_retry", actor: AUTO_RETRY_ACTOR, note: expect.stringContaining('"NEW-1"') })]);

    await drain(worker());
    expect((await row(a)).state).toBe("synced");
    expect((await row(b)).state).toBe("synced");
    const sent = erp.documents.flatMap((d) => d.order.lines.map((l) => l.itemNumber));
    expect(sent.sort()).toEqual(["ITEM-NEW-1", "ITEM-NEW-1", "ITEM-OLD"]);
    expect((await row(c)).state).toBe("needs_attention");
    // Saving the same mapping again changes nothing and re-queues nothing.
    expect(await upsertSkuMapping(db.prisma, shop, { sku: "NEW-1", itemNumber: "ITEM-NEW-1" }, { actor: "ops" })).toMatchObject({ outcome: "unchanged", requeued: 0 });
  });

  it("by CSV import: every order waiting on an imported SKU retries", async () => {
    const a = await orderWith("CSV-1");
    const b = await orderWith("CSV-2");
    await drain(worker());
    Object.assign(mapping, { "CSV-1": "I-1", "CSV-2": "I-2" });
    const result = await importSkuMappingsCsv(db.prisma, shop, "sku,item_number\nCSV-1,I-1\nCSV-2,I-2\nUNUSED,I-3\n", { actor: "ops" });
    expect(result).toMatchObject({ ok: true, created: 3, requeued: 2 });
    await drain(worker());
    expect([(await row(a)).state, (await row(b)).state]).toEqual(["synced", "synced"]);
  });
});

describe("an item created in the ERP retries the orders waiting on it", () => {
  beforeEach(() => {
    erp = new FakeErp({ knownItems: new Set(["MUG"]) });
    provider = new TestConfigProvider().set(shop, { erp });
  });

  it("probes one waiting order at a time; when it goes through, the others follow", async () => {
    const ids = [await orderWith("LAMP"), await orderWith("LAMP", "MUG"), await orderWith("LAMP")];
    const other = await orderWith("DESK");
    await drain(worker());
    for (const id of [...ids, other]) expect((await row(id)).state).toBe("needs_attention");
    expect(JSON.parse((await row(ids[0])).waitingOn!)).toEqual(["item:LAMP", "sku:LAMP"]);
    expect((await row(ids[0])).lastError).toMatch(/the fake ERP has no item for "Item LAMP" \(item number LAMP\).*retries it by itself/);

    // Still missing: the probe fails again and the rest are not touched.
    clock.advance(ITEM_PROBE_INTERVAL_MS + 1000);
    expect(await probeWaitingItems(db.prisma, shop, clock.now())).toBe(2); // one for LAMP, one for DESK
    // Within the interval nothing is probed again.
    await drain(worker());
    expect(await probeWaitingItems(db.prisma, shop, clock.now())).toBe(0);
    const createsBefore = erp.callsOf("createOrder").length;

    // Staff create the item in the ERP.
    erp.options.knownItems!.add("LAMP");
    clock.advance(ITEM_PROBE_INTERVAL_MS + 1000);
    expect(await probeWaitingItems(db.prisma, shop, clock.now())).toBe(2);
    await drain(worker());
    for (const id of ids) expect((await row(id)).state).toBe("synced");
    expect((await row(other)).state).toBe("needs_attention");
    // Each LAMP order was sent once more; DESK once more (its probe).
    expect(erp.callsOf("createOrder").length - createsBefore).toBe(4);
    const notes = await db.prisma.orderAction.findMany({ where: { shop, action: "auto_retry" } });
    expect(notes).toHaveLength(2); // the two that followed the probe
    expect(notes[0].note).toMatch(/waited on the same item, reached the ERP/);
    expect((await row(ids[1])).waitingOn).toBeNull();
  });
});
