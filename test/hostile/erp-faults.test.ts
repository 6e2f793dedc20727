// Found by the chaos run (scripts/chaos): an ERP that commits a create and
// then times out, an order update arriving before the retry, and a failed
// look-up on that retry left the ledger believing the ERP held the NEW
// version while it held the old one (the write-ahead overwrote sentHash
// before the look-up had found anything). The ERP copy must end up current.
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, updatedOrder, webhookInput } from "../../testkit/shopify-payloads";
import { SHOP, TestClock, makeWorker } from "../sync/harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

let db: TestDatabase;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(() => db.cleanup());

it("timeout after commit, then an update, then a failed look-up: the ERP still gets the update", async () => {
  const erp = new FakeErp();
  const clock = new TestClock();
  const { worker } = makeWorker(db.prisma, new TestConfigProvider().set(SHOP, { erp, rules: { retry: { baseDelayMs: 100, maxDelayMs: 1_000 } } }), { now: clock.now });
  const first = makeOrder({ id: 4242n, name: "#4242" });
  await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", first));

  erp.failNext("createOrder", { kind: "timeoutAfterCommit" });
  await worker.runOnce(); // the ERP now holds version 1; the app does not know
  const changed = updatedOrder(first, "2026-11-20T11:00:00-05:00", (o) => (o.note = "Deliver to the back door"));
  await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/updated", changed));

  erp.failNext("findOrder", { kind: "http", status: 503 });
  for (let i = 0; i < 6; i++) {
    clock.advance(60_000);
    await worker.runOnce();
  }
  const docs = erp.documentsFor("shopify-4242");
  expect(docs).toHaveLength(1);
  expect(docs[0].order.note).toBe("Deliver to the back door");
  expect((await db.prisma.orderSync.findFirstOrThrow({ where: { orderId: "4242" } })).state).toBe("synced");
});
