// News that arrives while an order's create has an unknown outcome. The
// create may or may not have reached the ERP; a refund, an update or a
// cancellation lands before the retry. Whatever the ERP turns out to hold,
// an order Shopify has not cancelled must end in the ERP once, with its
// newest content and every refund; "skipped" is only for an order cancelled
// before any create committed.
import { describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import type { Fault } from "../../testkit/fake-erp";
import { makeOrder, makeRefund, updatedOrder, webhookInput, type Payload } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, setUpSyncTestbed } from "./harness";

const sync = setUpSyncTestbed();
let nextId = 7600000000000000001n;

const UNKNOWN_OUTCOMES: Array<[string, Fault]> = [
  ["the connection broke before the ERP read the create", { kind: "resetBeforeCommit" }],
  ["the ERP committed the create and the answer was lost", { kind: "timeoutAfterCommit" }],
];

async function createWithUnknownOutcome(fault: Fault) {
  const order = makeOrder({ id: nextId, name: `#U${nextId % 10000n}` });
  nextId += 1n;
  const { worker } = makeWorker(sync.prisma, sync.provider, { now: sync.clock.now, random: () => 0.5 });
  const id = (await recordWebhookEvent(sync.prisma, webhookInput(SHOP, "orders/create", order))).orderSyncId!;
  sync.erp.failNext("createOrder", fault);
  await worker.runOnce();
  const row = await sync.prisma.orderSync.findUniqueOrThrow({ where: { id } });
  expect(row.state).toBe("retrying");
  expect(row.createMaybeSent).toBe(true);
  return { order, id, worker, externalId: `shopify-${order.id}` };
}

async function settle(worker: Parameters<typeof drain>[0]) {
  sync.clock.advance(60 * 60_000); // past any backoff
  await drain(worker);
}

function row(id: string) {
  return sync.prisma.orderSync.findUniqueOrThrow({ where: { id } });
}

describe.each(UNKNOWN_OUTCOMES)("when %s", (_what, fault) => {
  it("a refund that arrives before the retry still ends with the order in the ERP once, refund recorded once", async () => {
    const { order, id, worker, externalId } = await createWithUnknownOutcome(fault);
    const refund = makeRefund(order, { refundId: nextId * 10n });
    await recordWebhookEvent(sync.prisma, webhookInput(SHOP, "refunds/create", refund));
    await settle(worker);
    const docs = sync.erp.documentsFor(externalId);
    expect(docs).toHaveLength(1);
    expect(docs[0].status).toBe("quotation");
    expect(docs[0].refunds.map((r) => r.refundId)).toEqual([String(nextId * 10n)]);
    const r = await row(id);
    expect(r.state).toBe("synced");
    expect(r.skipReason).toBeNull();
    expect(r.erpDocumentId).toBe(docs[0].documentId);
  });

  it("an update that arrives before the retry ends with the newest content in the ERP, once", async () => {
    const { order, id, worker, externalId } = await createWithUnknownOutcome(fault);
    const edited = updatedOrder(order, "2026-11-20T18:00:00-05:00", (o: Payload) => {
      o.note = "Leave at the back door";
    });
    await recordWebhookEvent(sync.prisma, webhookInput(SHOP, "orders/updated", edited));
    await settle(worker);
    const docs = sync.erp.documentsFor(externalId);
    expect(docs).toHaveLength(1);
    expect(docs[0].order.note).toBe("Leave at the back door");
    expect((await row(id)).state).toBe("synced");
  });

  it("a cancellation that arrives before the retry cancels what the ERP holds, or creates nothing", async () => {
    const { order, id, worker, externalId } = await createWithUnknownOutcome(fault);
    const cancelledAt = "2026-11-20T16:00:00Z";
    await recordWebhookEvent(
      sync.prisma,
      webhookInput(SHOP, "orders/cancelled", updatedOrder(order, cancelledAt, (o: Payload) => (o.cancelled_at = cancelledAt))),
    );
    await settle(worker);
    const docs = sync.erp.documentsFor(externalId);
    const r = await row(id);
    if (fault.kind === "timeoutAfterCommit") {
      expect(docs).toHaveLength(1);
      expect(docs[0].status).toBe("cancelled");
      expect(r.state).toBe("synced");
    } else {
      expect(docs).toHaveLength(0);
      expect(r.state).toBe("skipped");
      expect(r.skipReason).toMatch(/was cancelled in Shopify before it reached the ERP/);
    }
  });
});
