// orders/create, orders/updated, orders/edited, orders/cancelled, refunds/create: verify,
// store durably, answer. The ERP is never called here (Shopify gives us 5 s);
// the worker picks the ledger row up.
import prisma from "../db/db.server";
import { recordWebhookEvent } from "../sync/intake/intake";
import { verifyOrderWebhook } from "./verify-order-webhook.server";

export async function handleOrderWebhook(request: Request): Promise<Response> {
  const webhook = await verifyOrderWebhook(request);
  // A shop without an offline session (uninstalled, or never finished
  // installing) gets nothing stored, checked in intake's transaction; the
  // answer is 200 either way so Shopify stops retrying.
  await recordWebhookEvent(prisma, { ...webhook, onlyInstalledShops: true });
  return new Response(null, { status: 200 });
}
