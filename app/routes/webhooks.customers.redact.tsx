import db from "../db/db.server";
import { readOrderIdList, redactCustomerOrders } from "../compliance/redact-customer.server";
import { authenticateWebhook } from "../webhooks/authenticate-webhook.server";
import { webhookAction, webhookLoader } from "../webhooks/webhook-action.server";

// customers/redact (mandatory compliance topic): erase the customer's
// personal data from the stored snapshots of the listed orders.
export const action = webhookAction(async (request) => {
  const { shop, rawBody } = await authenticateWebhook(request);
  await redactCustomerOrders(db, { shop, orderIds: readOrderIdList(rawBody, "orders_to_redact") });
  return new Response();
});

export const loader = webhookLoader;
