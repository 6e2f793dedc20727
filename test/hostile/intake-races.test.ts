// Found by the chaos run (scripts/chaos, 3 of 1,000 orders): intake and the
// worker racing over one order row on PostgreSQL.
//
// 1. An orders/updated arrives while a worker is sending the create. Intake
//    read the row while the worker still held it ("leased: the worker will
//    notice the new revision"), the worker then finished the create as
//    `synced` and released the row, and intake wrote the new content without
//    making the order due again. The ERP kept the create's version for good.
// 2. Two webhooks about a new order arrive together (orders/updated before
//    orders/create). Both found no row; the loser's insert hit the unique
//    (shop, orderId) index and was answered "duplicate", so its content was
//    dropped although it was the newer version.
//
// Both interleavings are forced deterministically: a Prisma query hook pauses
// the intake transaction right after it read the row and lets the other party
// finish first. SQLite cannot show either (its BEGIN IMMEDIATE transactions
// run one at a time), so this needs PostgreSQL (TEST_POSTGRES_URL, default the
// local test server) and skips with the reason when it is not reachable.
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CanonicalOrder } from "../../app/sync/order/canonical-order";
import type { ConnectorCallContext, ErpOrderRef } from "../../app/connectors/port";
import { createPrismaClient } from "../../app/db/client";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { createPostgresDatabase, postgresUnavailableReason } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, updatedOrder, webhookInput } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP } from "../sync/harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`[test/hostile/intake-races] skipped: ${unavailable}`);

let database: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
beforeAll(async () => {
  if (unavailable) return;
  database = await createPostgresDatabase();
  prisma = createPrismaClient(database.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

/** An ERP whose createOrder waits until the test opens the gate. */
class GatedErp extends FakeErp {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  private entered!: () => void;
  /** Resolves once a create is waiting at the gate. */
  readonly createWaiting = new Promise<void>((resolve) => (this.entered = resolve));
  release(): void {
    this.open();
  }
  override async createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    this.entered();
    await this.gate;
    return super.createOrder(order, ctx);
  }
}

/**
 * An intake client whose first OrderSync read (inside the intake
 * transaction) runs `meanwhile` to completion before the read returns: the
 * transaction then writes on the basis of what it read before.
 */
function pausingAfterFirstRead(meanwhile: () => Promise<unknown>): PrismaClient {
  let armed = true;
  return prisma.$extends({
    query: {
      orderSync: {
        async findUnique({ args, query }) {
          const row = await query(args);
          if (armed) {
            armed = false;
            await meanwhile();
          }
          return row;
        },
      },
    },
  }) as unknown as PrismaClient;
}

describe.skipIf(!!unavailable)("intake racing the worker on PostgreSQL", () => {
  it("an update read while the create was in flight, written after the worker finished, still reaches the ERP", async () => {
    const erp = new GatedErp();
    const { worker } = makeWorker(prisma, new TestConfigProvider().set(SHOP, { erp }));
    const first = makeOrder({ id: 5101n, name: "#5101" });
    await recordWebhookEvent(prisma, webhookInput(SHOP, "orders/create", first));

    const sending = worker.runOnce(); // claims the order; its create waits at the gate
    await erp.createWaiting;
    const changed = updatedOrder(first, "2026-11-20T11:00:00-05:00", (o) => (o.note = "Ring the bell twice"));
    const intake = pausingAfterFirstRead(async () => {
      erp.release();
      await sending; // the worker records the create and releases the row as synced
    });
    const result = await recordWebhookEvent(intake, webhookInput(SHOP, "orders/updated", changed));
    expect(result.status).toBe("recorded");

    await drain(worker);
    const docs = erp.documentsFor("shopify-5101");
    expect(docs).toHaveLength(1);
    expect(docs[0].order.note).toBe("Ring the bell twice");
    const row = await prisma.orderSync.findFirstOrThrow({ where: { orderId: "5101" } });
    expect(row.state).toBe("synced");
    expect(row.syncedHash).toBe(row.contentHash);
  });

  it("orders/updated and orders/create of a new order arriving together: the newer content is kept", async () => {
    const erp = new FakeErp();
    const { worker } = makeWorker(prisma, new TestConfigProvider().set(SHOP, { erp }));
    const first = makeOrder({ id: 5202n, name: "#5202" });
    const changed = updatedOrder(first, "2026-11-20T11:00:00-05:00", (o) => (o.note = "Gift wrap, please"));
    // orders/updated reads "no row yet"; orders/create then inserts the row first.
    const intake = pausingAfterFirstRead(() => recordWebhookEvent(prisma, webhookInput(SHOP, "orders/create", first)));
    const result = await recordWebhookEvent(intake, webhookInput(SHOP, "orders/updated", changed));
    expect(result.status).toBe("recorded");

    await drain(worker);
    const docs = erp.documentsFor("shopify-5202");
    expect(docs).toHaveLength(1);
    expect(docs[0].order.note).toBe("Gift wrap, please");
  });
});
