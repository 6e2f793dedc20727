// The words of an alert: what is wrong, how big, and where to fix it (the
// app's Orders page filtered to what needs a person). No order contents or
// customer data: the message leaves the app for Slack or a mailbox.
import { config, type AppConfig } from "../config.server";
import { quietSince, type AlertFacts, type AlertReason, type AlertThresholds } from "./alert-rules";

export interface AlertMessage {
  subject: string;
  text: string;
}

/**
 * Opens the embedded app's Orders page from anywhere: Shopify's admin
 * redirects /admin/apps/<api key>/<path> into the app inside the admin.
 */
export function ordersNeedingAttentionUrl(shop: string, app: AdminAppNames = config().shopify): string {
  return `https://${shop}/admin/apps/${encodeURIComponent(adminAppPath(app))}/app/orders?state=needs_attention&state=failed`;
}

/** The app's home page (dashboard) inside the shop's admin. */
export function appHomeUrl(shop: string, app: AdminAppNames = config().shopify): string {
  return `https://${shop}/admin/apps/${encodeURIComponent(adminAppPath(app))}/app`;
}

type AdminAppNames = Pick<AppConfig["shopify"], "appHandle" | "apiKey">;

/** How the admin names the app in its URLs: the handle, else the client id. */
function adminAppPath(app: AdminAppNames): string {
  return app.appHandle || app.apiKey || "erp-order-sync";
}

/** "14:02 UTC" (alerts go to people in any time zone; the dashboard shows the same clock). */
function clockTime(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
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
    lines.push(
      `No order has reached your ERP for ${duration(now.getTime() - quietSince(facts))} while ${plural(facts.waitingCount, "order is", "orders are")} waiting for ${shop}. ` +
        `Check that your ERP is running and reachable, and look at the app's dashboard for the reason.`,
    );
  }
  lines.push(`Open the orders that need attention: ${link}`);
  const subject = reasons.includes("attention")
    ? `ERP Order Sync: ${plural(facts.attentionCount, "order needs", "orders need")} attention (${shop})`
    : `ERP Order Sync: orders are not reaching your ERP (${shop})`;
  return { subject, text: lines.join("\n\n") };
}

/** Once per outage: the shop's ERP stopped answering and sending is paused. */
export function composeErpDownAlert(shop: string, since: Date, waitingCount: number, link: string = appHomeUrl(shop)): AlertMessage {
  return {
    subject: `ERP Order Sync: your ERP is not answering (${shop})`,
    text: [
      `Your ERP has not answered ERP Order Sync for ${shop} since ${since.toISOString().slice(0, 10)} ${clockTime(since)}. ` +
        `Sending is paused: ${plural(waitingCount, "order is", "orders are")} waiting and will be sent by themselves when it answers (the app checks with one order every few minutes). No order is marked failed meanwhile.`,
      `Check that your ERP is running and reachable from the internet. You will get one more message when it answers again.`,
      `Dashboard: ${link}`,
    ].join("\n\n"),
  };
}

/** Once when that outage ends. */
export function composeErpBackAlert(shop: string, answeredAt: Date, waitingCount: number, link: string = appHomeUrl(shop)): AlertMessage {
  return {
    subject: `ERP Order Sync: your ERP answers again (${shop})`,
    text: [
      `Your ERP answers ERP Order Sync for ${shop} again since ${clockTime(answeredAt)}. ` +
        `Sending has resumed${waitingCount > 0 ? `: ${plural(waitingCount, "order is", "orders are")} being sent now` : ""}. Nothing needs doing.`,
      `Dashboard: ${link}`,
    ].join("\n\n"),
  };
}
