// The completeness certificate end to end on a real migrated database: the
// fake Admin API (validated against the committed schema, with its cost
// bucket) lists the day's orders, the ledger holds what the app received,
// and the fake ERP is read back by external id. Checks the counts and every
// kind of exception, that the result is stored, that the job schedules
// yesterday's certificate once, picks up staff's requests, and alerts once
// on the shop's webhook when the certificate is not clean.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyCertificate, certificateHeadline } from "~/certificate/classify";
import { requestCertificate, scheduleDailyCertificates } from "~/certificate/certificate-store.server";
import { startCertificateJob } from "~/jobs/certificate-job";
import type { ShopConfigProvider } from "~/sync/shop-config";
import { encryptString } from "~/security/crypto.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp, type FakeDocument } from "../../testkit/fake-erp";
import { addForeignDocument, withReadBack } from "../../testkit/fake-erp-read-back";
import { exampleOrder } from "../connectors/support/canonical-order-example";
import { DAY, NOW, quiet, shopifyWorld } from "../jobs/helpers";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

const YESTERDAY = new Date(Date.parse("2026-11-24T00:00:00Z"));

let n = 0;
/** A shop whose Shopify has `count` orders yesterday, all received by the app and sent once to the fake ERP. */
async function world(count: number) {
  const w = shopifyWorld({ shop: `cert-${++n}.myshopify.com` });
  const shop = w.fake.shop;
  const orders = w.fake.seed({ count, startAt: new Date(YESTERDAY.getTime() + 1800_000), spacingMs: 3600_000 });
  // One order of the day before and one of today: outside the window.
  w.fake.seed({ count: 1, startAt: new Date(YESTERDAY.getTime() - 3600_000) });
  w.fake.seed({ count: 1, startAt: new Date(YESTERDAY.getTime() + DAY + 60_000) });
  const erp = new FakeErp();
  const connector = withReadBack(erp);
  for (const o of orders) {
    const externalId = `shopify-${o.legacyResourceId}`;
    const total = (o.currentTotalPriceSet as { shopMoney: { amount: string } }).shopMoney.amount;
    await db.prisma.orderSync.create({
      data: { shop, orderId: o.legacyResourceId, orderGid: o.id, orderName: o.name, externalId, state: "synced", snapshot: "{}", sourceUpdatedAt: new Date(o.updatedAt), shopifyTotal: total, syncedAt: new Date(NOW) },
    });
    const canonical = exampleOrder({ externalId, name: o.name });
    erp.documents.push({ documentId: `D${o.legacyResourceId}`, documentNumber: `SO-${o.legacyResourceId}`, externalId, order: { ...canonical, totals: { ...canonical.totals, total } }, status: "quotation", refunds: [], updates: 0 } satisfies FakeDocument);
  }
  const configProvider = { forShop: async () => ({ connector }) } as unknown as ShopConfigProvider;
  return { w, shop, orders, erp, connector, configProvider };
}

function runJob(x: Awaited<ReturnType<typeof world>>, extra: Partial<Parameters<typeof startCertificateJob>[0]> = {}) {
  return startCertificateJob({ prisma: db.prisma, adminApi: x.w.adminApi, configProvider: x.configProvider, logger: quiet, everyMs: 3_600_000, now: () => new Date(NOW), listShops: async () => [x.shop], senders: { webhook: async () => {}, email: null }, ...extra });
}

describe("completeness certificate", () => {
  it("a clean day: every count equal, no exception, stored as clean", async () => {
    const x = await world(24);
    const job = runJob(x);
    try {
      await job.stop(); // the loop's first round may have run; run one more by hand
      await job.round();
      const [cert] = await db.prisma.completenessCertificate.findMany({ where: { shop: x.shop } });
      expect(cert).toMatchObject({ trigger: "daily", status: "clean", erpReadBack: true, shopifyReported: 24, shopifyCount: 24, ledgerCount: 24, erpCount: 24, erpDocuments: 24, missingInErp: 0, duplicated: 0, totalMismatch: 0, missingInLedger: 0, exceptions: "[]" });
      expect(cert.windowStart.toISOString()).toBe("2026-11-24T00:00:00.000Z");
      expect(cert.windowEnd.toISOString()).toBe("2026-11-25T00:00:00.000Z");
      // Scheduled once: another round the same day adds nothing.
      await job.round();
      expect(await db.prisma.completenessCertificate.count({ where: { shop: x.shop } })).toBe(1);
    } finally {
      await job.stop();
    }
  });

  it("names every exception: missing in the ERP, a duplicate someone made there, a different total, missing in the ledger, and alerts once", async () => {
    const x = await world(10);
    const [missing, doubled, changed, unseen, waiting] = x.orders;
    x.erp.documents.splice(x.erp.documents.findIndex((d) => d.externalId === `shopify-${missing.legacyResourceId}`), 1);
    addForeignDocument(x.erp, `shopify-${doubled.legacyResourceId}`);
    const changedDoc = x.erp.documentsFor(`shopify-${changed.legacyResourceId}`)[0];
    changedDoc.order = { ...changedDoc.order, totals: { ...changedDoc.order.totals, total: "1.00" } };
    await db.prisma.orderSync.delete({ where: { shop_orderId: { shop: x.shop, orderId: unseen.legacyResourceId } } });
    // Not sent yet (needs attention) and not in the ERP.
    await db.prisma.orderSync.update({ where: { shop_orderId: { shop: x.shop, orderId: waiting.legacyResourceId } }, data: { state: "needs_attention" } });
    x.erp.documents.splice(x.erp.documents.findIndex((d) => d.externalId === `shopify-${waiting.legacyResourceId}`), 1);
    await db.prisma.alertSettings.create({ data: { shop: x.shop, webhookUrl: encryptString(x.shop, "https://hooks.example.com/T000/B000"), attentionThreshold: 0 } });
    const sent: { url: string; text: string }[] = [];

    const request = await requestCertificate(db.prisma, x.shop, "2026-11-24", "2026-11-24", new Date(NOW));
    if (!request.ok) throw new Error(request.message);
    const job = runJob(x, { listShops: async () => [], senders: { webhook: async (url, m) => void sent.push({ url, text: m.text }), email: null } });
    try {
      await job.stop();
      await job.round();
      const cert = await db.prisma.completenessCertificate.findUniqueOrThrow({ where: { id: request.certificate.id } });
      expect(cert).toMatchObject({ trigger: "manual", status: "exceptions", shopifyCount: 10, ledgerCount: 9, expectedInErp: 9, erpCount: 7, erpDocuments: 8, missingInErp: 2, duplicated: 1, totalMismatch: 1, missingInLedger: 1 });
      const exceptions = JSON.parse(cert.exceptions) as { kind: string; orderName: string; message: string; erpDocuments: unknown[] }[];
      const byName = new Map(exceptions.map((e) => [e.orderName, e]));
      expect(byName.get(missing.name)).toMatchObject({ kind: "missing_in_erp", message: expect.stringContaining('"Apply the difference" to create it again') });
      expect(byName.get(waiting.name)).toMatchObject({ kind: "missing_in_erp", message: expect.stringContaining('"needs attention"') });
      expect(byName.get(doubled.name)).toMatchObject({ kind: "duplicated", message: expect.stringContaining("2 times") });
      expect(byName.get(doubled.name)!.erpDocuments).toHaveLength(2);
      expect(byName.get(changed.name)).toMatchObject({ kind: "total_mismatch", erpTotal: "1.00" });
      expect(byName.get(unseen.name)).toMatchObject({ kind: "missing_in_ledger", message: expect.stringContaining("Check for missed orders now") });
      // One alert on the shop's channel, with the headline and no customer data.
      expect(sent).toHaveLength(1);
      expect(sent[0].text).toContain("10 orders in Shopify, 7 in the ERP, 3 missing, 1 duplicated, 1 with a different total");
      expect(cert.alertedAt).not.toBeNull();
    } finally {
      await job.stop();
    }
  });

  it("a connector without read-back compares Shopify with the ledger only, and says so", async () => {
    const x = await world(3);
    const { readBack: _r, readOrder: _o, ...plain } = x.connector;
    const job = runJob({ ...x, configProvider: { forShop: async () => ({ connector: plain }) } as unknown as ShopConfigProvider });
    try {
      await job.stop();
      await scheduleDailyCertificates(db.prisma, [x.shop], new Date(NOW));
      await job.round();
      const [cert] = await db.prisma.completenessCertificate.findMany({ where: { shop: x.shop } });
      expect(cert).toMatchObject({ status: "clean", erpReadBack: false, shopifyCount: 3, ledgerCount: 3, erpCount: 0 });
      expect(certificateHeadline({ ...cert, shopify: cert.shopifyCount, ledger: cert.ledgerCount, skipped: 0, erp: 0, erpDocuments: 0 }, false)).toContain("the ERP cannot be read back");
    } finally {
      await job.stop();
    }
  });

  it("an ERP that cannot be read stores a failed certificate with the ERP's words", async () => {
    const x = await world(2);
    x.connector.readBack = async () => {
      const { ErpError } = await import("~/connectors/port");
      throw new ErpError({ kind: "transient", message: "503", userMessage: "The ERP is not answering (HTTP 503)." });
    };
    const job = runJob(x);
    try {
      await job.stop();
      await job.round();
      const [cert] = await db.prisma.completenessCertificate.findMany({ where: { shop: x.shop } });
      expect(cert).toMatchObject({ status: "failed", message: expect.stringContaining("The ERP is not answering") });
    } finally {
      await job.stop();
    }
  });

  it("keeps certificates for 400 days, then deletes them", async () => {
    const x = await world(1);
    const old = await db.prisma.completenessCertificate.create({ data: { shop: x.shop, windowStart: new Date(NOW - 402 * DAY), windowEnd: new Date(NOW - 401 * DAY), trigger: "daily", status: "clean" } });
    const kept = await db.prisma.completenessCertificate.create({ data: { shop: x.shop, windowStart: new Date(NOW - 399 * DAY), windowEnd: new Date(NOW - 398 * DAY), trigger: "daily", status: "clean" } });
    const job = runJob(x, { listShops: async () => [] });
    try {
      await job.stop();
      await job.round();
      expect(await db.prisma.completenessCertificate.findUnique({ where: { id: old.id } })).toBeNull();
      expect(await db.prisma.completenessCertificate.findUnique({ where: { id: kept.id } })).not.toBeNull();
    } finally {
      await job.stop();
    }
  });

  it("refuses date ranges that make no sense, in plain words", async () => {
    const shop = "cert-dates.myshopify.com";
    const now = new Date(NOW);
    expect(await requestCertificate(db.prisma, shop, "2026-11-24", "2026-11-20", now)).toMatchObject({ ok: false, message: expect.stringContaining("on or after") });
    expect(await requestCertificate(db.prisma, shop, "yesterday", "2026-11-20", now)).toMatchObject({ ok: false, message: expect.stringContaining("as dates") });
    expect(await requestCertificate(db.prisma, shop, "2026-12-24", "2026-12-24", now)).toMatchObject({ ok: false, message: expect.stringContaining("future") });
    expect(await requestCertificate(db.prisma, shop, "2026-01-01", "2026-11-20", now)).toMatchObject({ ok: false, message: expect.stringContaining("at most 93 days") });
  });

  it("classifies cancelled orders and orders the rules skip without calling them missing", () => {
    const orders = [
      { orderId: "1", name: "#1", createdAt: "2026-11-24T01:00:00Z", cancelled: true, total: "10.00" },
      { orderId: "2", name: "#2", createdAt: "2026-11-24T02:00:00Z", cancelled: false, total: "10.00" },
    ];
    const ledger = new Map([
      ["1", { orderId: "1", externalId: "s-1", state: "synced", shopifyTotal: "10.00", cancelledInShopify: true, skipReason: null }],
      ["2", { orderId: "2", externalId: "s-2", state: "skipped", shopifyTotal: "10.00", cancelledInShopify: false, skipReason: "POS orders are not sent" }],
    ]);
    const verdict = classifyCertificate(orders, ledger, new Map([["s-1", [{ documentId: "9", cancelled: true }]]]));
    expect(verdict).toMatchObject({ clean: true, counts: { shopify: 2, ledger: 2, skipped: 1, expectedInErp: 0, erp: 0 } });
  });
});
