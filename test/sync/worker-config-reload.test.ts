// A shop's settings are reloaded while its orders are in flight (every 10 s
// in production; on every claim here, configTtlMs 0). The worker once
// replaced the shop's state object on reload, so orders finishing afterwards
// released their slot on the discarded object: each reload during an ERP call
// leaked one slot, until the shop's cap was used up by orders long finished
// and its new orders were never picked up again, without any error.
// Runs on SQLite and, with `npm run test:postgres`, on PostgreSQL (the two
// claim paths differ).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CanonicalOrder } from "../../app/sync/order/canonical-order";
import type { ConnectorCallContext, ErpOrderRef } from "../../app/connectors/port";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP } from "./harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

/** A fake ERP whose order creation waits until the test opens the gate. */
class GatedErp extends FakeErp {
  private waiting: Array<() => void> = [];
  private open = false;
  get blocked(): number {
    return this.waiting.length;
  }
  override async createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    if (!this.open) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.createOrder(order, ctx);
  }
  setOpen(open: boolean): void {
    this.open = open;
    if (open) for (const resolve of this.waiting.splice(0)) resolve();
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

let nextId = 7300000000000000001n;
async function newOrder(): Promise<string> {
  const order = makeOrder({ id: nextId, name: `#R${nextId % 1000n}` });
  nextId += 1n;
  const result = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));
  return result.orderSyncId!;
}

describe("settings reloads while orders are in flight", () => {
  it("keep the shop's orders being picked up: each finished order frees its slot", async () => {
    const erp = new GatedErp();
    // One ERP call at a time -> at most 2 of the shop's orders in flight in the worker.
    const provider = new TestConfigProvider().set(SHOP, { erp, limits: { maxConcurrency: 1 } });
    const { worker } = makeWorker(db.prisma, provider, { configTtlMs: 0 });

    for (let round = 0; round < 3; round++) {
      erp.setOpen(false);
      await newOrder();
      const first = worker.runOnce(); // claims it; its ERP call waits at the gate
      await vi.waitFor(() => expect(erp.blocked).toBe(1));
      const waiting = await newOrder();
      // Claiming reloads the settings while the first order is still in
      // flight; the shop has a free slot, so the second order is claimed too.
      const second = worker.runOnce();
      await vi.waitFor(async () => expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: waiting } })).state).toBe("sending"));
      erp.setOpen(true);
      expect(await first).toBe(1);
      expect(await second).toBe(1); // the slot left free was used
    }

    // After the reloads, a new order is still claimed and sent.
    const last = await newOrder();
    expect(await drain(worker)).toBe(1);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: last } })).state).toBe("synced");
    const states = await db.prisma.orderSync.groupBy({ by: ["state"], _count: true });
    expect(states).toEqual([{ state: "synced", _count: 7 }]);
    expect(erp.documents).toHaveLength(7);
  });
});
