// An order's cancellation arrives while its create is still being retried
// (the ERP was down). This is what made the demo's order #1103 end
// "skipped" under load: its create hit the demo's ERP outage, and the
// cancellation came in before the retry. Two cases, because they must end
// differently:
// - the ERP refused the create (nothing there): nothing is created, the row
//   is skipped with a reason staff can read;
// - the create timed out after the ERP committed it (outcome unknown): the
//   order IS in the ERP, so it must be found and cancelled there, not left
//   open and not created twice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp, type Fault } from "../../testkit/fake-erp";
import { makeOrder, updatedOrder, webhookInput } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, TestClock } from "./harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

let db: TestDatabase;
let erp: FakeErp;
let provider: TestConfigProvider;
let clock: TestClock;
let nextId = 7400000000000000001n;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());
beforeEach(() => {
  erp = new FakeErp();
  provider = new TestConfigProvider().set(SHOP, { erp });
  clock = new TestClock();
});

async function createThenCancelDuringRetry(fault: Fault) {
  const order = makeOrder({ id: nextId, name: `#C${nextId % 1000n}` });
  nextId += 1n;
  const { worker } = makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 });
  const id = (await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order))).orderSyncId!;
  erp.failNext("createOrder", fault);
  await worker.runOnce();
  expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id } })).state).toBe("retrying");
  const cancelledAt = "2026-11-20T16:00:00Z";
  await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/cancelled", updatedOrder(order, cancelledAt, (o) => (o.cancelled_at = cancelledAt))));
  clock.advance(60 * 60_000); // past any backoff
  await drain(worker);
  return { row: await db.prisma.orderSync.findUniqueOrThrow({ where: { id } }), externalId: `shopify-${order.id}` };
}

describe("a cancellation that arrives while the create is being retried", () => {
  it("creates nothing when the ERP had refused the create (HTTP 503)", async () => {
    const { row, externalId } = await createThenCancelDuringRetry({ kind: "http", status: 503 });
    expect(row.state).toBe("skipped");
    expect(row.skipReason).toMatch(/was cancelled in Shopify before it (was sent to|reached) the ERP/);
    expect(erp.documentsFor(externalId)).toHaveLength(0);
  });

  it("finds and cancels the ERP order when the create had reached the ERP but its answer was lost", async () => {
    const { row, externalId } = await createThenCancelDuringRetry({ kind: "timeoutAfterCommit" });
    const docs = erp.documentsFor(externalId);
    expect(docs).toHaveLength(1);
    expect(docs[0].status).toBe("cancelled");
    expect(row.state).toBe("synced");
    expect(row.erpDocumentId).toBe(docs[0].documentId);
  });
});
