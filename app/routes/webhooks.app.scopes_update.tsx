import db from "../db/db.server";
import { authenticateWebhook } from "../webhooks/authenticate-webhook.server";
import { webhookAction, webhookLoader } from "../webhooks/webhook-action.server";

// app/scopes_update: keep the stored offline session's scopes in step with
// what the merchant granted (as in Shopify's template).
export const action = webhookAction(async (request) => {
  const { payload, session } = await authenticateWebhook(request);
  const current = (payload as { current?: unknown }).current;
  if (session && Array.isArray(current)) {
    await db.session.update({ where: { id: session.id }, data: { scope: current.map(String).join(",") } });
  }
  return new Response();
});

export const loader = webhookLoader;
