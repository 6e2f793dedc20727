// Orders Shopify said were edited (orders/edited) whose edited version has
// not arrived: their orders/updated was lost or is late. Reconciliation's
// window usually finds them too (an edit bumps updated_at), but not when the
// edit happened before the window (a worker down for longer than the
// overlap); this fetches each one by id, so an edit is never lost.
import type { PrismaClient } from "@prisma/client";
import type { AdminClient } from "../shopify-admin/admin-client";
import { graphqlOrderToRestPayload } from "./graphql-order-to-rest";
import { fetchOrderForSync } from "./order-fetcher";
import type { LedgerReader, RecordOrderSnapshot } from "./ports";

/** At most this many per run: each costs one order query. */
const MAX_PER_RUN = 50;

export async function refreshEditedOrders(
  deps: { prisma: PrismaClient; admin: AdminClient; ledger: LedgerReader; recordOrderSnapshot: RecordOrderSnapshot; now: Date },
  signal?: AbortSignal,
): Promise<number> {
  const shop = deps.admin.shop;
  let fetched = 0;
  for (const { orderGid } of await deps.ledger.editedNotArrived(shop, MAX_PER_RUN)) {
    const order = await fetchOrderForSync(deps.admin, orderGid, signal);
    if (!order) continue; // deleted since: nothing to sync
    await deps.recordOrderSnapshot(deps.prisma, { shop, source: "reconciliation", payload: graphqlOrderToRestPayload(order), observedAt: deps.now });
    fetched++;
  }
  return fetched;
}
