import db from "../db/db.server";
import { eraseShopData } from "../shops/shop-lifecycle.server";
import { authenticateWebhook } from "../webhooks/authenticate-webhook.server";
import { webhookAction, webhookLoader } from "../webhooks/webhook-action.server";

// shop/redact (mandatory compliance topic, 48 h after uninstall): erase all
// of the shop's data.
export const action = webhookAction(async (request) => {
  const { shop } = await authenticateWebhook(request);
  await eraseShopData(db, shop);
  return new Response();
});

export const loader = webhookLoader;
