import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { eraseShopData } from "../shops/shop-lifecycle.server";
import { authenticateWebhook } from "../webhooks/authenticate-webhook.server";

// shop/redact (mandatory compliance topic, 48 h after uninstall): erase all
// of the shop's data.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateWebhook(request);
  await eraseShopData(db, shop);
  return new Response();
};
