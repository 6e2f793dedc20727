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
import { describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import type { Fault } from "../../testkit/fake-erp";
import { makeOrder, updatedOrder, webhookInput } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, setUpSyncTestbed } from "./harness";

const sync = setUpSyncTestbed();
let nextId = 7400000000000000001n;

async function createThenCancelDuringRetry(fault: Fault) {
  const order = makeOrder({ id: nextId, name: `#C${nextId % 1000n}` });
  nextId += 1n;
  const { worker } = makeWorker(sync.prisma, sync.provider, { now: sync.clock.now, random: () => 0.5 });
  const id = (await recordWebhookEvent(sync.prisma, webhookInput(SHOP, "orders/create", order))).orderSyncId!;
  sync.erp.failNext("createOrder", fault);
  await worker.runOnce();
  expect((await sync.prisma.orderSync.findUniqueOrThrow({ where: { id } })).state).toBe("retrying");
  const cancelledAt = "2026-11-20T16:00:00Z";
  await recordWebhookEvent(sync.prisma, webhookInput(SHOP, "orders/cancelled", updatedOrder(order, cancelledAt, (o) => (o.cancelled_at = cancelledAt))));
  sync.clock.advance(60 * 60_000); // past any backoff
  await drain(worker);
  return { row: await sync.prisma.orderSync.findUniqueOrThrow({ where: { id } }), externalId: `shopify-${order.id}` };
}

describe("a cancellation that arrives while the create is being retried", () => {
  it("creates nothing when the ERP had refused the create (HTTP 503)", async () => {
    const { row, externalId } = await createThenCancelDuringRetry({ kind: "http", status: 503 });
    expect(row.state).toBe("skipped");
    expect(row.skipReason).toMatch(/was cancelled in Shopify before it (was sent to|reached) the ERP/);
    expect(sync.erp.documentsFor(externalId)).toHaveLength(0);
  });

  it("finds and cancels the ERP order when the create had reached the ERP but its answer was lost", async () => {
    const { row, externalId } = await createThenCancelDuringRetry({ kind: "timeoutAfterCommit" });
    const docs = sync.erp.documentsFor(externalId);
    expect(docs).toHaveLength(1);
    expect(docs[0].status).toBe("cancelled");
    expect(row.state).toBe("synced");
    expect(row.erpDocumentId).toBe(docs[0].documentId);
  });
});
