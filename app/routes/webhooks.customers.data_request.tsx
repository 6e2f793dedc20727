import db from "../db/db.server";
import { logger } from "../logger.server";
import { readOrderIdList } from "../compliance/redact-customer.server";
import { authenticateWebhook } from "../webhooks/authenticate-webhook.server";
import { webhookAction, webhookLoader } from "../webhooks/webhook-action.server";

// customers/data_request (mandatory compliance topic). What we hold about a
// customer is the order snapshots of the listed orders, which the merchant
// already has in Shopify. We record the request for the merchant's records
// (ids only, no personal data in the log) and answer 200.
export const action = webhookAction(async (request) => {
  const { shop, rawBody } = await authenticateWebhook(request);
  const orderIds = readOrderIdList(rawBody, "orders_requested");
  const held = await db.orderSync.count({ where: { shop, orderId: { in: orderIds } } });
  logger.info({ shop, topic: "customers/data_request", ordersRequested: orderIds.length, ordersHeld: held }, "customer data request received");
  return new Response();
});

export const loader = webhookLoader;
