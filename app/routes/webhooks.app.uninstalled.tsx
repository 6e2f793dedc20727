import db from "../db/db.server";
import { markShopUninstalled } from "../shops/shop-lifecycle.server";
import { authenticateWebhook } from "../webhooks/authenticate-webhook.server";
import { webhookAction, webhookLoader } from "../webhooks/webhook-action.server";

// app/uninstalled: drop sessions, stop the shop's sync work. Idempotent: the
// webhook can fire again after the session is already gone.
export const action = webhookAction(async (request) => {
  const { shop } = await authenticateWebhook(request);
  await markShopUninstalled(db, shop);
  return new Response();
});

export const loader = webhookLoader;
