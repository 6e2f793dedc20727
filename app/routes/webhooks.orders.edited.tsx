import { handleOrderWebhook } from "../webhooks/order-webhook.server";
import { webhookAction, webhookLoader } from "../webhooks/webhook-action.server";

// orders/edited: the edit is recorded on the ledger row; the edited order
// itself arrives with orders/updated (or reconciliation fetches it).
export const action = webhookAction(handleOrderWebhook);

export const loader = webhookLoader;
