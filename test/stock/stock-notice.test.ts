// Pushed stock notices (POST /erp/<shop>/stock) on a real database: signed
// with the shop's signing secret (constant-time check), stored once per
// notice id, stale ones ignored, oversized or malformed ones refused with a
// 4xx that says what to fix, and nothing stored for a refused notice.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiveStockNotice } from "../../app/models/stock-notice.server";
import { encryptSecrets } from "../../app/security/crypto.server";
import { saveStockSettings } from "../../app/stock/stock-store.server";
import { NOTICE_MAX_BYTES } from "../../app/stock/stock-notice";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

const SHOP = "notice-shop.myshopify.com";
const SECRET = "whsec-notice-0123456789";
const NOW = Date.parse("2026-12-05T10:00:00Z");
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.shopSettings.create({ data: { shop: SHOP, connectorType: "generic-http", connectorSecrets: encryptSecrets(SHOP, { signingSecret: SECRET }) } });
  await saveStockSettings(db.prisma, SHOP, { owner: "erp", intervalMinutes: 15, links: [] });
});
afterAll(async () => db.cleanup());

const notice = (over: object = {}) => ({ noticeId: "n-1", issuedAt: "2026-12-05T09:59:00Z", items: [{ itemNumber: "ITEM-1", locationId: "WH1", quantity: 12 }], ...over });
function post(body: string, secret = SECRET, shop = SHOP) {
  const request = new Request(`https://app.example/erp/${shop}/stock`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-signature-sha256": createHmac("sha256", secret).update(body).digest("base64") },
  });
  return receiveStockNotice(db.prisma, shop, request, NOW);
}

describe("stock notices", () => {
  it("accepts a signed notice once; the same notice id again is a duplicate, applied once", async () => {
    expect(await post(JSON.stringify(notice()))).toMatchObject({ status: 202, body: { outcome: "accepted" } });
    expect(await post(JSON.stringify(notice()))).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(await db.prisma.stockNotice.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("ignores a notice issued before the newest one received, and one more than a day old", async () => {
    expect(await post(JSON.stringify(notice({ noticeId: "n-0", issuedAt: "2026-12-05T09:00:00Z" })))).toMatchObject({ status: 200, body: { outcome: "stale" } });
    expect(await post(JSON.stringify(notice({ noticeId: "n-old", issuedAt: "2026-12-03T09:00:00Z" })))).toMatchObject({ status: 200, body: { outcome: "stale" } });
    expect(await db.prisma.stockNotice.count({ where: { shop: SHOP } })).toBe(1);
  });

  it.each([
    ["a wrong signature", () => post(JSON.stringify(notice({ noticeId: "x1" })), "another-secret"), 401, /signature does not match/],
    ["a body that is not JSON", () => post("{nope"), 400, /not JSON/],
    ["a missing noticeId", () => post(JSON.stringify({ issuedAt: "2026-12-05T09:59:00Z", items: [] })), 400, /noticeId/],
    ["an empty item list", () => post(JSON.stringify(notice({ noticeId: "x2", items: [] }))), 400, /items/],
    ["a time far in the future", () => post(JSON.stringify(notice({ noticeId: "x3", issuedAt: "2026-12-06T09:59:00Z" }))), 400, /future/],
    ["a body over the limit", () => post(JSON.stringify(notice({ noticeId: "x4", pad: "x".repeat(NOTICE_MAX_BYTES) }))), 413, /larger than/],
    ["an unknown shop", () => post(JSON.stringify(notice({ noticeId: "x5" })), SECRET, "other.myshopify.com"), 404, /does not take stock notices/],
  ])("refuses %s with a 4xx that says what to fix, storing nothing", async (_label, send, status, message) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.body.message).toMatch(message);
    expect(await db.prisma.stockNotice.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("keeps bad quantities as sent: they become problem items in the run, not a refused notice", async () => {
    expect(await post(JSON.stringify(notice({ noticeId: "n-2", items: [{ itemNumber: "ITEM-2", locationId: "WH1", quantity: "-3" }] })))).toMatchObject({ status: 202 });
  });
});
