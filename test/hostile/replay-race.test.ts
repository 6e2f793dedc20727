// Staff action racing Shopify news (same class of bug as the chaos run's
// outdated orders, on the staff side): "Mark resolved" read the order, an
// orders/updated was folded in, and the action then recorded the OLD content
// as what the ERP holds, so the update would never be sent. The action must
// instead answer "busy" and leave the order due. A Prisma query hook runs the
// intake between the action's read and its write (works on SQLite too: the
// action's read is outside any transaction).
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { markResolved } from "../../app/sync/delivery/replay";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { makeOrder, updatedOrder, webhookInput } from "../../testkit/shopify-payloads";
import { SHOP } from "../sync/harness";

let db: TestDatabase;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(() => db.cleanup());

it("an update folded in between Mark resolved's read and write makes the action 'busy', not a silent loss", async () => {
  const first = makeOrder({ id: 5303n, name: "#5303" });
  await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", first));
  const row = await db.prisma.orderSync.findFirstOrThrow({ where: { orderId: "5303" } });
  const changed = updatedOrder(first, "2026-11-20T11:00:00-05:00", (o) => (o.note = "Leave at reception"));

  let armed = true;
  const staffClient = db.prisma.$extends({
    query: {
      orderSync: {
        async findMany({ args, query }) {
          const rows = await query(args);
          if (armed) {
            armed = false;
            await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/updated", changed));
          }
          return rows;
        },
      },
    },
  }) as unknown as PrismaClient;

  const result = await markResolved(staffClient, { shop: SHOP, ids: [row.id], actor: "staff@example.com" });
  expect(result.busy).toEqual([row.id]);
  const after = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: row.id } });
  expect(after.state).toBe("pending");
  expect(after.syncedHash).toBeNull();
});
