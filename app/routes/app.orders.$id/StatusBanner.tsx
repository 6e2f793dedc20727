// The banner at the top of the order page: what to correct when the order
// needs a person, why it is skipped, or when the app tries again.
import { Banner, BlockStack, Layout, List, Text } from "@shopify/polaris";
import { formatDateTime } from "../../components/format";
import type { OrderDetail } from "../../models/order-detail.server";

export function StatusBanner({ order }: { order: OrderDetail }) {
  const needsWork = order.state === "needs_attention" || order.state === "failed";
  return needsWork || order.problems.length > 0 ? (
    <Layout.Section>
      <Banner tone="critical" title={order.state === "failed" ? "Sending this order failed" : "This order needs your attention"}>
        <BlockStack gap="200">
          {order.message && !order.problems.includes(order.message) ? <Text as="p">{order.message}</Text> : null}
          {order.problems.length > 0 ? (
            <List>
              {order.problems.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          ) : null}
          <Text as="p">When it is corrected, choose "Retry now" (or "Re-fetch from Shopify and retry" if you changed the order in Shopify).</Text>
        </BlockStack>
      </Banner>
    </Layout.Section>
  ) : order.shownState === "resolved" ? (
    <Layout.Section>
      <Banner tone="info" title={`Resolved by ${order.resolvedBy ?? "staff"}${order.resolvedAt ? ` on ${formatDateTime(order.resolvedAt)}` : ""}`}>
        <Text as="p">
          Staff marked this order as fixed in the ERP by hand; the app did not write an ERP document for it. The app sends it again only if it changes in
          Shopify.
        </Text>
      </Banner>
    </Layout.Section>
  ) : order.state === "skipped" && order.skipReason ? (
    <Layout.Section>
      <Banner tone="info" title="This order is not sent to the ERP">
        {order.skipReason}
      </Banner>
    </Layout.Section>
  ) : order.state === "retrying" && order.message ? (
    <Layout.Section>
      <Banner tone="warning" title="The last attempt failed; the app will try again">
        <Text as="p">{order.message}</Text>
        {order.nextAttemptAt ? <Text as="p">Next attempt: {formatDateTime(order.nextAttemptAt)}.</Text> : null}
      </Banner>
    </Layout.Section>
  ) : null;
}
