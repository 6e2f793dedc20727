// Runs one generated scenario through the real engine (webhook intake,
// ledger, worker, delivery) against the fake ERP with the scenario's
// faults, lets everything settle, and checks the ERP against the Shopify
// model's reference. Scenarios are plain JSON, so a failing one (shrunk by
// fast-check) is kept as a regression case and replayed as it is.
import type { PrismaClient } from "@prisma/client";
import { recordOrderSnapshot, recordWebhookEvent } from "../../app/sync/intake/intake";
import { retryNow } from "../../app/sync/delivery/replay";
import type { SyncWorker } from "../../app/sync/worker/worker";
import { FakeErp, type Fault } from "../../testkit/fake-erp";
import { SAMPLE_API_VERSION, toRawBody } from "../../testkit/shopify-payloads";
import { makeWorker, TestClock } from "../sync/harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";
import { ModelOrder, type OrderPlan, type ShopifyEventKind, type Webhook } from "./shopify-model";

export type Step =
  | { kind: "shopify"; order: number; event: ShopifyEventKind; pick: number }
  /** Shopify delivers one queued webhook (pick chooses which: out of order). */
  | { kind: "deliver"; pick: number }
  /** Shopify delivers an already delivered webhook again (same event id). */
  | { kind: "duplicate"; pick: number }
  /** A webhook is lost for good (reconciliation must find what it carried). */
  | { kind: "drop"; pick: number }
  /** The worker runs once; the ERP answers its next calls with these faults. */
  | { kind: "work"; faults: Fault[] }
  /** The worker process is killed while an ERP call is in flight, before or after the ERP committed. */
  | { kind: "kill"; afterCommit: boolean }
  /** Time passes (backoffs come due). */
  | { kind: "tick"; minutes: number };

export interface Scenario {
  orders: OrderPlan[];
  steps: Step[];
}

const LEASE_MS = 30_000;
const BASE_TIME = Date.parse("2026-11-20T10:00:00Z");

/** A broken promise: what went wrong, in words, with the scenario's own names. */
export class InvariantViolation extends Error {}

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new InvariantViolation(message());
}

let runCounter = 0;

export async function runScenario(prisma: PrismaClient, scenario: Scenario): Promise<void> {
  const run = ++runCounter;
  const shop = `model-${process.pid}-${run}.myshopify.com`;
  const erp = new FakeErp();
  const provider = new TestConfigProvider().set(shop, { erp });
  const clock = new TestClock();
  const newWorker = (): SyncWorker =>
    makeWorker(prisma, provider, { now: clock.now, random: () => 0.5, leaseMs: LEASE_MS, workerId: `w${run}` }).worker;
  let worker = newWorker();

  // Order ids above 2^53, distinct for every run in this process.
  const orders = scenario.orders.map(
    (plan, i) => new ModelOrder(9_000_000_000_000_000n + BigInt(run) * 10n + BigInt(i), `#M${run}-${i + 1}`, plan.shipping, plan.lines, BASE_TIME + i * 60_000),
  );
  const queue: Webhook[] = orders.map((o) => o.created());
  const delivered: Webhook[] = [];

  const deliver = async (webhook: Webhook) => {
    const result = await recordWebhookEvent(prisma, {
      shop,
      topic: webhook.topic,
      eventId: webhook.eventId,
      webhookId: null,
      triggeredAt: webhook.triggeredAt,
      apiVersion: SAMPLE_API_VERSION,
      rawBody: webhook.rawBody,
    });
    // Ignoring is right for some news (an edit of an order not seen yet); not for a payload it cannot read.
    check(!/not a Shopify|not JSON|no usable id|without order id/.test(result.message ?? ""), () => `${webhook.topic} ${webhook.eventId} was refused: ${result.message}`);
  };

  const noDuplicates = () => {
    for (const o of orders) {
      check(erp.documentsFor(o.externalId).length <= 1, () => `order ${o.name}: the ERP holds ${erp.documentsFor(o.externalId).length} documents`);
    }
    check(erp.maxInFlightPerOrder <= 1, () => `two ERP calls for one order ran at once`);
  };

  for (const step of scenario.steps) {
    switch (step.kind) {
      case "shopify": {
        const order = orders[step.order % orders.length];
        queue.push(...order.apply(step.event, step.pick));
        break;
      }
      case "deliver":
        if (queue.length) {
          const [webhook] = queue.splice(step.pick % queue.length, 1);
          await deliver(webhook);
          delivered.push(webhook);
        }
        break;
      case "duplicate":
        if (delivered.length) await deliver(delivered[step.pick % delivered.length]);
        break;
      case "drop":
        if (queue.length) queue.splice(step.pick % queue.length, 1);
        break;
      case "work":
        for (const fault of step.faults) erp.failNext("any", fault);
        await worker.runOnce();
        break;
      case "kill": {
        erp.failNext("any", { kind: step.afterCommit ? "hangAfterCommit" : "hangBeforeCommit" });
        const hangingBefore = erp.hanging;
        const pass = worker.runOnce();
        let finished = false;
        void pass.then(() => (finished = true));
        while (!finished && erp.hanging === hangingBefore) await new Promise((r) => setTimeout(r, 1));
        if (erp.hanging > hangingBefore) {
          await worker.stop(0); // the process dies: its calls are cut, its rows keep their leases
          await pass;
          worker = newWorker();
          clock.advance(LEASE_MS + 1);
        } else {
          erp.clearFaults(); // nothing was due: the hang never happened
        }
        break;
      }
      case "tick":
        clock.advance(step.minutes * 60_000);
        break;
    }
    noDuplicates();
  }

  // The ERP is healthy again; late webhooks arrive; reconciliation hands in
  // Shopify's current version of every order (what dropped webhooks carried).
  erp.clearFaults();
  for (const webhook of queue.splice(0)) await deliver(webhook);
  for (const o of orders) {
    const result = await recordOrderSnapshot(prisma, { shop, source: "reconciliation", rawBody: toRawBody(o.payload()), observedAt: new Date(clock.now()) });
    check(result.status !== "ignored", () => `reconciliation's snapshot of ${o.name} was ignored: ${result.message}`);
  }
  await settle(prisma, shop, worker, clock);

  // Staff act on what needs attention (the refusals the scenario injected):
  // each must say why, in words; then a retry must bring it home.
  const stuck = await prisma.orderSync.findMany({ where: { shop, state: { in: ["needs_attention", "failed"] } } });
  for (const row of stuck) {
    check(
      !!row.lastError && row.lastError.length > 20 && !/undefined|\[object/.test(row.lastError),
      () => `order ${row.orderName} is ${row.state} without a reason staff can act on: ${JSON.stringify(row.lastError)}`,
    );
  }
  if (stuck.length) {
    await retryNow(prisma, { shop, ids: stuck.map((r) => r.id), actor: "model-staff", now: clock.now() });
    await settle(prisma, shop, worker, clock);
  }
  noDuplicates();

  const rows = new Map((await prisma.orderSync.findMany({ where: { shop } })).map((r) => [r.orderId, r]));
  for (const o of orders) {
    const want = o.expected();
    const row = rows.get(String(o.id));
    check(!!row, () => `order ${want.name} is not in the ledger`);
    const docs = erp.documentsFor(want.externalId);
    if (want.cancelled && docs.length === 0) {
      check(row!.state === "skipped", () => `cancelled order ${want.name} with no ERP document is ${row!.state}: ${row!.lastError}`);
      check(/cancelled in Shopify before it (was sent to|reached) the ERP/.test(row!.skipReason ?? ""), () => `order ${want.name} skipped for the wrong reason: ${row!.skipReason}`);
      continue;
    }
    check(docs.length === 1, () => `order ${want.name} (cancelled: ${want.cancelled}) has ${docs.length} ERP documents; ledger state ${row!.state}: ${row!.lastError ?? row!.skipReason}`);
    const doc = docs[0];
    check(row!.state === "synced", () => `order ${want.name} ended ${row!.state}: ${row!.lastError ?? row!.skipReason}`);
    check(doc.status === (want.cancelled ? "cancelled" : "quotation"), () => `order ${want.name}: ERP status ${doc.status}, Shopify cancelled: ${want.cancelled}`);
    const lines = doc.order.lines.map((l): [string, number] => [l.sku ?? "", l.quantity]);
    check(JSON.stringify(lines) === JSON.stringify(want.lines), () => `order ${want.name}: ERP lines ${JSON.stringify(lines)}, Shopify ${JSON.stringify(want.lines)}`);
    check(doc.order.totals.total === want.total, () => `order ${want.name}: ERP total ${doc.order.totals.total}, Shopify ${want.total}`);
    const refunds = doc.refunds.map((r): [string, string] => [r.refundId, r.amount]);
    const sortById = (a: [string, string], b: [string, string]) => a[0].localeCompare(b[0]);
    check(
      JSON.stringify([...refunds].sort(sortById)) === JSON.stringify([...want.refunds].sort(sortById)),
      () => `order ${want.name}: ERP credit notes ${JSON.stringify(refunds)}, Shopify refunds with money returned ${JSON.stringify(want.refunds)}`,
    );
  }
}

/** Run the worker with time moving on until nothing is due. */
async function settle(prisma: PrismaClient, shop: string, worker: SyncWorker, clock: TestClock): Promise<void> {
  for (let round = 0; round < 60; round++) {
    clock.advance(2 * 3600_000);
    while ((await worker.runOnce()) > 0) {
      /* keep going while there is work */
    }
    const waiting = await prisma.orderSync.count({ where: { shop, state: { in: ["pending", "retrying", "sending"] } } });
    if (waiting === 0) return;
  }
  throw new InvariantViolation(`orders of ${shop} were still waiting after 120 hours of retries`);
}
