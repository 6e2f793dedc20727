// The words of an alert: what is wrong, how big, and where to fix it (the
// app's Orders page filtered to what needs a person). No order contents or
// customer data: the message leaves the app for Slack or a mailbox.
import type { AlertFacts, AlertReason, AlertThresholds } from "./alert-rules";

export interface AlertMessage {
  subject: string;
  text: string;
}

/**
 * Opens the embedded app's Orders page from anywhere: Shopify's admin
 * redirects /admin/apps/<api key>/<path> into the app inside the admin.
 */
export function ordersNeedingAttentionUrl(shop: string, env: Record<string, string | undefined> = process.env): string {
  const app = env.SHOPIFY_APP_HANDLE || env.SHOPIFY_API_KEY || "erp-order-sync";
  return `https://${shop}/admin/apps/${encodeURIComponent(app)}/app/orders?state=needs_attention&state=failed`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return plural(minutes, "minute", "minutes");
  const hours = Math.round(minutes / 60);
  return hours < 48 ? plural(hours, "hour", "hours") : plural(Math.round(hours / 24), "day", "days");
}

export function composeAlert(
  shop: string,
  reasons: AlertReason[],
  facts: AlertFacts,
  thresholds: AlertThresholds,
  now: Date,
  link: string = ordersNeedingAttentionUrl(shop),
): AlertMessage {
  const lines: string[] = [];
  if (reasons.includes("attention")) {
    lines.push(
      `${plural(facts.attentionCount, "order needs", "orders need")} attention in ERP Order Sync for ${shop} ` +
        `(your alert level is ${thresholds.attentionThreshold}). They will not reach your ERP until someone fixes the problem shown on each order and retries it.`,
    );
  }
  if (reasons.includes("no_sync")) {
    const quietSince = Math.max(facts.waitingSince?.getTime() ?? 0, facts.lastSyncedAt?.getTime() ?? 0);
    lines.push(
      `No order has reached your ERP for ${duration(now.getTime() - quietSince)} while ${plural(facts.waitingCount, "order is", "orders are")} waiting for ${shop}. ` +
        `Check that your ERP is running and reachable, and look at the app's dashboard for the reason.`,
    );
  }
  lines.push(`Open the orders that need attention: ${link}`);
  const subject = reasons.includes("attention")
    ? `ERP Order Sync: ${plural(facts.attentionCount, "order needs", "orders need")} attention (${shop})`
    : `ERP Order Sync: orders are not reaching your ERP (${shop})`;
  return { subject, text: lines.join("\n\n") };
}
