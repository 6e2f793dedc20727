// The engine's pure decisions, without a database: what intake does with one
// piece of news about an order (planFold: create the ledger row, update it,
// or leave it) and which ERP write is due next (dueOperation). The stores and
// the worker only carry these decisions out, so these are the rules behind
// "never lose, never duplicate".
import { describe, expect, it } from "vitest";
import { planFold, type FoldContext, type FoldPlan, type FoldRow, type OrderNews } from "~/sync/intake/plan";
import { dueOperation, type LedgerFacts } from "~/sync/ledger/fold";
import { shopifyRestOrderSchema, shopifyRestRefundSchema } from "~/sync/order/shopify-rest-order";
import { parseJsonExact } from "~/sync/order/exact-json";
import { makeOrder, makeRefund, toRawBody, updatedOrder, type Payload } from "../../testkit/shopify-payloads";

const NOW = new Date("2026-11-25T12:00:00Z");
const ORDER_ID = "7100000000000000001";
const ctx: FoldContext = { shop: "acme.myshopify.com", correlationId: "event-1", now: NOW, externalIdPrefix: () => "shopify-" };

function orderNews(payload: Payload, triggeredAt: number | null = null): OrderNews {
  const snapshotText = toRawBody(payload);
  const order = shopifyRestOrderSchema.parse(parseJsonExact(snapshotText));
  return { kind: "order", orderId: ORDER_ID, order, snapshotText, version: { updatedAt: Date.parse(order.updated_at!), triggeredAt } };
}

function refundNews(payload: Payload): OrderNews {
  return { kind: "refund", orderId: ORDER_ID, refund: shopifyRestRefundSchema.parse(parseJsonExact(toRawBody(payload))) };
}

/** The row a create plan makes, as the stores read it back (plus what a worker may have done since). */
function rowFrom(plan: FoldPlan, since: Partial<FoldRow> = {}): FoldRow {
  if (plan.kind !== "create") throw new Error(`expected a create plan, got ${plan.kind}`);
  const r = plan.row;
  return {
    id: "row-1",
    revision: 1,
    state: r.state ?? "pending",
    leaseToken: null,
    leaseExpiresAt: null,
    manualSkip: false,
    sourceUpdatedAt: r.sourceUpdatedAt,
    sourceTriggeredAt: r.sourceTriggeredAt ?? null,
    contentHash: r.contentHash ?? "",
    cancelledInShopify: r.cancelledInShopify ?? false,
    refunds: r.refunds ?? "[]",
    syncedHash: null,
    erpDocumentId: null,
    createMaybeSent: false,
    cancelSynced: false,
    refundsSynced: "[]",
    editedAt: null,
    hasSnapshot: r.snapshot !== "",
    ...since,
  };
}

const base = makeOrder({ id: BigInt(ORDER_ID), updatedAt: "2026-11-20T10:00:00Z" });
const created = planFold(null, orderNews(base), ctx);
/** The order as the ERP holds it: created, nothing left to send. */
const synced = rowFrom(created, { state: "synced", erpDocumentId: "SO-1", syncedHash: created.kind === "create" ? created.row.contentHash : null });

describe("planFold: an order's first news creates its ledger row", () => {
  it("a new order is due now as a create, under the shop's external id", () => {
    expect(created).toMatchObject({
      kind: "create",
      row: { orderId: ORDER_ID, externalId: `shopify-${ORDER_ID}`, state: "pending", operation: "create", nextAttemptAt: NOW, orderName: "#1042" },
      result: "applied",
    });
  });

  it("an order first seen cancelled is due as a cancel (its look-up decides whether anything was created)", () => {
    const plan = planFold(null, orderNews(makeOrder({ id: BigInt(ORDER_ID), cancelledAt: "2026-11-20T11:00:00Z" })), ctx);
    expect(plan).toMatchObject({ kind: "create", row: { operation: "cancel", cancelledInShopify: true } });
  });

  it("a refund before its order keeps the refund and waits five minutes for the order", () => {
    const plan = planFold(null, refundNews(makeRefund(base)), ctx);
    expect(plan).toMatchObject({ kind: "create", row: { operation: "refund", snapshot: "", nextAttemptAt: new Date(NOW.getTime() + 5 * 60_000) } });
    expect(JSON.parse((plan as Extract<FoldPlan, { kind: "create" }>).row.refunds!)).toHaveLength(1);
  });
});

describe("planFold: later news about a known order", () => {
  it("an older snapshot never replaces a newer one", () => {
    const older = updatedOrder(base, "2026-11-19T10:00:00Z", (o) => (o.note = "older"));
    expect(planFold(synced, orderNews(older), ctx)).toEqual({ kind: "leave", result: "stale" });
  });

  it("the same version with the same content is a duplicate, whatever delivered it", () => {
    expect(planFold(synced, orderNews(base), ctx)).toEqual({ kind: "leave", result: "duplicate-version" });
  });

  it("a change the ERP cares about puts a synced order back in the queue as an update, with a new revision", () => {
    const edited = updatedOrder(base, "2026-11-21T10:00:00Z", (o) => (o.line_items[0].quantity = 3));
    const plan = planFold(synced, orderNews(edited), ctx);
    expect(plan).toMatchObject({
      kind: "update",
      guard: { id: "row-1", revision: 1, state: "synced" },
      changes: { revision: 2, state: "pending", operation: "update", nextAttemptAt: NOW, attemptCount: 0, problems: "[]" },
      result: "applied",
    });
  });

  it("a change the ERP does not see (same content hash) is stored without making the order due", () => {
    const touched = updatedOrder(base, "2026-11-21T10:00:00Z");
    const plan = planFold(synced, orderNews(touched), ctx);
    expect(plan).toMatchObject({ kind: "update", changes: { revision: 2 }, result: "applied: nothing the ERP cares about changed" });
    expect((plan as Extract<FoldPlan, { kind: "update" }>).changes).not.toHaveProperty("state");
  });

  it("while a worker holds the row, or staff skipped it, new content is stored but the state is left alone", () => {
    const edited = updatedOrder(base, "2026-11-21T10:00:00Z", (o) => (o.line_items[0].quantity = 3));
    const leased = { ...synced, state: "sending", leaseToken: "lease-1", leaseExpiresAt: new Date(NOW.getTime() + 30_000) };
    const skipped = { ...synced, state: "skipped", manualSkip: true };
    for (const row of [leased, skipped]) {
      const plan = planFold(row, orderNews(edited), ctx) as Extract<FoldPlan, { kind: "update" }>;
      expect(plan.kind).toBe("update");
      expect(plan.changes.revision).toBe(2);
      expect(plan.changes).not.toHaveProperty("state");
      expect(plan.guard).toMatchObject({ leaseToken: row.leaseToken, manualSkip: row.manualSkip });
    }
    // A lease that has run out no longer protects the row: the news requeues it.
    const expired = { ...leased, leaseExpiresAt: new Date(NOW.getTime() - 1) };
    expect(planFold(expired, orderNews(edited), ctx)).toMatchObject({ changes: { state: "pending", leaseToken: null } });
  });

  it("a cancellation in Shopify makes a synced order due as a cancel", () => {
    const cancelled = updatedOrder(base, "2026-11-21T10:00:00Z", (o) => {
      o.cancelled_at = "2026-11-21T10:00:00Z";
      o.cancel_reason = "customer";
    });
    expect(planFold(synced, orderNews(cancelled), ctx)).toMatchObject({ changes: { state: "pending", operation: "cancel", cancelledInShopify: true } });
  });

  it("a refund is kept once: a new one requeues the order as a refund, the same one again changes nothing", () => {
    const refund = makeRefund(base);
    const first = planFold(synced, refundNews(refund), ctx) as Extract<FoldPlan, { kind: "update" }>;
    expect(first).toMatchObject({ kind: "update", changes: { revision: 2, state: "pending", operation: "refund" }, result: "applied" });
    const afterFirst = { ...synced, refunds: first.changes.refunds!, revision: 2 };
    expect(planFold(afterFirst, refundNews(refund), ctx)).toEqual({ kind: "leave", result: "duplicate-version" });
  });

  it("an edit is recorded until the edited order arrives, and ignored for an order not seen yet or already newer", () => {
    const editedAt = new Date("2026-11-22T09:00:00Z");
    expect(planFold(synced, { kind: "edit", orderId: ORDER_ID, editedAt }, ctx)).toMatchObject({
      kind: "update",
      changes: { editedAt },
      result: "applied: edit recorded; waiting for the edited order",
    });
    expect(planFold(null, { kind: "edit", orderId: ORDER_ID, editedAt }, ctx)).toMatchObject({ kind: "leave" });
    const older = new Date("2026-11-19T09:00:00Z");
    expect(planFold(synced, { kind: "edit", orderId: ORDER_ID, editedAt: older }, ctx)).toEqual({
      kind: "leave",
      result: "applied: the stored order already includes this edit",
    });
    // The edited order's own snapshot clears the mark.
    const waiting = { ...synced, editedAt };
    const arrived = planFold(waiting, orderNews(updatedOrder(base, "2026-11-22T09:00:00Z", (o) => (o.line_items[0].quantity = 2))), ctx);
    expect(arrived).toMatchObject({ changes: { editedAt: null } });
  });
});

describe("dueOperation: the ERP write due next", () => {
  const inSync: LedgerFacts = {
    hasSnapshot: true,
    cancelled: false,
    contentHash: "h2",
    syncedHash: "h2",
    erpDocumentId: "SO-1",
    createMaybeSent: false,
    cancelSynced: false,
    refundIds: ["r1"],
    refundsSynced: ["r1"],
  };

  it("nothing when the ERP holds everything", () => {
    expect(dueOperation(inSync)).toBe("none");
  });

  it("a create until a document is confirmed, whatever else changed; a cancel instead if the order is cancelled", () => {
    const notConfirmed = { ...inSync, erpDocumentId: null, syncedHash: null, createMaybeSent: true, refundIds: ["r1", "r2"] };
    expect(dueOperation(notConfirmed)).toBe("create");
    expect(dueOperation({ ...notConfirmed, cancelled: true })).toBe("cancel");
    expect(dueOperation({ ...inSync, hasSnapshot: false })).toBe("create");
  });

  it("then, in this order: the cancel, a refund not yet credited, the update", () => {
    const everything = { ...inSync, cancelled: true, refundIds: ["r1", "r2"], contentHash: "h3" };
    expect(dueOperation(everything)).toBe("cancel");
    expect(dueOperation({ ...everything, cancelSynced: true })).toBe("refund");
    expect(dueOperation({ ...everything, cancelSynced: true, refundsSynced: ["r1", "r2"] })).toBe("update");
    expect(dueOperation({ ...everything, cancelSynced: true, refundsSynced: ["r1", "r2"], syncedHash: "h3" })).toBe("none");
  });
});
