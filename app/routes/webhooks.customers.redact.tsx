import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { readOrderIdList, redactCustomerOrders } from "../compliance/redact-customer.server";
import { authenticateWebhook } from "../webhooks/authenticate-webhook.server";

// customers/redact (mandatory compliance topic): erase the customer's
// personal data from the stored snapshots of the listed orders.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, rawBody } = await authenticateWebhook(request);
  await redactCustomerOrders(db, { shop, orderIds: readOrderIdList(rawBody, "orders_to_redact") });
  return new Response();
};
