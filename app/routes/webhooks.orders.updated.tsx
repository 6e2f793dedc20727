import { handleOrderWebhook } from "../webhooks/order-webhook.server";
import { webhookAction, webhookLoader } from "../webhooks/webhook-action.server";

// orders/updated: stored in the inbox and ledger; the worker sends it to the ERP.
export const action = webhookAction(handleOrderWebhook);

export const loader = webhookLoader;
