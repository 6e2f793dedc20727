// The order page's side cards: where the order stands in the ERP (document,
// next write, attempts), and whether the ERP's total matches Shopify's.
import { Banner, Text } from "@shopify/polaris";
import { OPERATION_LABELS, formatDateTime } from "../../components/format";
import { Facts, TitledCard } from "../../components/TitledCard";
import type { OrderDetail } from "../../models/order-detail.server";

export function ErpCard({ order }: { order: OrderDetail }) {
  return (
    <TitledCard title="ERP">
      <Facts
        rows={[
          ["Document", order.erpDocumentNumber ?? order.erpDocumentId ?? "Not created yet"],
          ["Next write", OPERATION_LABELS[order.operation] ?? order.operation],
          ["Attempts", order.attemptCount],
          ["Last attempt", formatDateTime(order.lastAttemptAt)],
          order.resolvedAt ? ["Resolved by hand", formatDateTime(order.resolvedAt)] : ["Synced", formatDateTime(order.syncedAt)],
        ]}
      />
      {order.cancelledInShopify ? (
        <Text as="p" tone="caution">
          This order is cancelled in Shopify.
        </Text>
      ) : null}
    </TitledCard>
  );
}

export function TotalsCard({ order }: { order: OrderDetail }) {
  const t = order.totals;
  const currency = t.currency ? ` ${t.currency}` : "";
  return (
    <TitledCard title="Totals check">
      <Facts
        rows={[
          ["Shopify", t.shopify ? `${t.shopify}${currency}` : "—"],
          ["ERP", t.erp ? `${t.erp}${currency}` : "—"],
        ]}
      />
      {t.status === "match" ? (
        <Text as="p" tone="success">
          The ERP document has the same total as Shopify.
        </Text>
      ) : t.status === "mismatch" ? (
        <Banner tone="warning">
          The totals differ. Check prices, discounts, shipping and taxes of the ERP document, correct it there, then choose "Mark resolved"; or re-fetch the
          order from Shopify and retry.
        </Banner>
      ) : (
        <Text as="p" tone="subdued">
          {order.state === "synced" ? "The ERP did not report a total, so the totals cannot be compared." : "Compared once the order is in the ERP."}
        </Text>
      )}
    </TitledCard>
  );
}
