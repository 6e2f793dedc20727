import type { ActionFunctionArgs } from "@remix-run/node";
import { handleOrderWebhook } from "../webhooks/order-webhook.server";

// orders/updated: stored in the inbox and ledger; the worker sends it to the ERP.
export const action = ({ request }: ActionFunctionArgs) => handleOrderWebhook(request);
