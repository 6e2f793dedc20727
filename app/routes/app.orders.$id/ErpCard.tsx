// The order page's side cards: where the order stands in the ERP (document,
// next write, attempts), and whether the ERP's total matches Shopify's.
import { Banner, BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { OPERATION_LABELS, formatDateTime } from "../../components/format";
import type { OrderDetail } from "../../models/order-detail.server";

export function ErpCard({ order }: { order: OrderDetail }) {
  const erpDocument = order.erpDocumentNumber ?? order.erpDocumentId;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          ERP
        </Text>
        <InlineGrid columns={2} gap="200">
          <Text as="span" tone="subdued">
            Document
          </Text>
          <Text as="span">{erpDocument ?? "Not created yet"}</Text>
          <Text as="span" tone="subdued">
            Next write
          </Text>
          <Text as="span">{OPERATION_LABELS[order.operation] ?? order.operation}</Text>
          <Text as="span" tone="subdued">
            Attempts
          </Text>
          <Text as="span">{order.attemptCount}</Text>
          <Text as="span" tone="subdued">
            Last attempt
          </Text>
          <Text as="span">{formatDateTime(order.lastAttemptAt)}</Text>
          <Text as="span" tone="subdued">
            Synced
          </Text>
          <Text as="span">{formatDateTime(order.syncedAt)}</Text>
        </InlineGrid>
        {order.cancelledInShopify ? (
          <Text as="p" tone="caution">
            This order is cancelled in Shopify.
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export function TotalsCard({ order }: { order: OrderDetail }) {
  const t = order.totals;
  const currency = t.currency ? ` ${t.currency}` : "";
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Totals check
        </Text>
        <InlineGrid columns={2} gap="200">
          <Text as="span" tone="subdued">
            Shopify
          </Text>
          <Text as="span">{t.shopify ? `${t.shopify}${currency}` : "—"}</Text>
          <Text as="span" tone="subdued">
            ERP
          </Text>
          <Text as="span">{t.erp ? `${t.erp}${currency}` : "—"}</Text>
        </InlineGrid>
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
      </BlockStack>
    </Card>
  );
}
