// Shop filters from the sync rules. A filtered order is "skipped" with the
// rule in words, so staff can see why an order is not in the ERP and change
// the rule if it was a mistake. Filters decide whether an order ENTERS the
// ERP; once it is there, its updates, cancellation and refunds still flow.
import type { CanonicalOrder } from "./canonical-order";
import type { ShopifyRestOrder } from "./shopify-rest-order";
import type { SyncRules } from "./sync-rules";

function lower(list: string[]): string[] {
  return list.map((s) => s.trim().toLowerCase()).filter(Boolean);
}

function quoteList(list: string[]): string {
  return list.map((s) => `"${s}"`).join(", ");
}

/**
 * Shopify's order webhooks carry no fraud analysis; the REST-shaped orders
 * reconciliation builds may add `risks` (REST Order Risk shape) or
 * `risk_recommendation`. Without either, the order is not treated as high risk.
 */
function isHighRisk(raw: ShopifyRestOrder): boolean {
  const record = raw as Record<string, unknown>;
  if (typeof record.risk_recommendation === "string") return record.risk_recommendation.toLowerCase() === "cancel";
  if (typeof record.risk_level === "string") return record.risk_level.toLowerCase() === "high";
  const risks = record.risks;
  return Array.isArray(risks) && risks.some((r) => (r as { recommendation?: unknown })?.recommendation === "cancel");
}

/** The reason the order is skipped, in words, or null when it should sync. */
export function filterReason(order: CanonicalOrder, raw: ShopifyRestOrder, rules: SyncRules): string | null {
  const f = rules.filters;
  const tags = lower(order.tags);
  if (f.skipTestOrders && order.test) {
    return `Order ${order.name} is a test order, and your sync rules skip test orders. To sync it, turn off "Skip test orders" in Sync rules, then retry.`;
  }
  const excluded = lower(f.excludeTags).filter((t) => tags.includes(t));
  if (excluded.length > 0) {
    return `Order ${order.name} has the tag ${quoteList(excluded)}, which your sync rules exclude. Remove the tag in Shopify or change the rule, then retry.`;
  }
  if (f.includeTags.length > 0 && !lower(f.includeTags).some((t) => tags.includes(t))) {
    return `Order ${order.name} has none of the tags your sync rules require (${quoteList(f.includeTags)}). Add one of them in Shopify or change the rule, then retry.`;
  }
  const channel = (raw.source_name ?? "").toLowerCase();
  if (f.salesChannels.length > 0 && !lower(f.salesChannels).includes(channel)) {
    return `Order ${order.name} comes from the sales channel "${raw.source_name ?? "unknown"}", and your sync rules only sync ${quoteList(f.salesChannels)}. Change the rule, then retry.`;
  }
  const status = (order.financialStatus ?? "").toLowerCase();
  if (f.financialStatuses.length > 0 && !lower(f.financialStatuses).includes(status)) {
    return `Order ${order.name} has the payment status "${order.financialStatus ?? "unknown"}", and your sync rules only sync ${quoteList(f.financialStatuses)} orders. It will sync by itself when its payment status changes.`;
  }
  if (f.skipHighRisk && isHighRisk(raw)) {
    return `Order ${order.name} is marked high risk by Shopify's fraud analysis, and your sync rules skip high-risk orders. If it is genuine, turn off "Skip high-risk orders" or use Retry after reviewing it.`;
  }
  return null;
}
