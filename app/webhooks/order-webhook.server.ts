// orders/create, orders/updated, orders/cancelled, refunds/create: verify,
// store durably, answer. The ERP is never called here (Shopify gives us 5 s);
// the worker picks the ledger row up.
import prisma from "../db.server";
import { recordWebhookEvent } from "../sync/intake";
import { authenticateWebhook } from "./authenticate-webhook.server";

export async function handleOrderWebhook(request: Request): Promise<Response> {
  const { shop, topic, webhookId, apiVersion, session, rawBody } = await authenticateWebhook(request);

  if (!session) {
    // No offline session: the shop uninstalled (or never finished installing).
    // Nothing is stored for a shop we may no longer hold data for; 200 stops
    // Shopify from retrying a delivery that will never be processed.
    return new Response(null, { status: 200 });
  }

  await recordWebhookEvent(prisma, {
    shop,
    topic,
    eventId: request.headers.get("X-Shopify-Event-Id"),
    webhookId: webhookId ?? request.headers.get("X-Shopify-Webhook-Id"),
    triggeredAt: request.headers.get("X-Shopify-Triggered-At"),
    apiVersion: apiVersion ?? null,
    rawBody,
  });
  return new Response(null, { status: 200 });
}
