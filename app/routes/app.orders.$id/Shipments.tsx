// The order page's shipments: each ERP shipment of this order, its tracking,
// and when it reached Shopify as a fulfilment (or why it did not).
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { formatDateTime } from "../../components/format";
import { ShipmentBadge } from "../../components/ShipmentBadge";
import type { ShipmentRowView } from "../../models/shipments.server";

export function OrderShipments({ shipments }: { shipments: ShipmentRowView[] }) {
  if (shipments.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Shipments from the ERP
        </Text>
        {shipments.map((s) => (
          <BlockStack key={s.id} gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Text as="span" fontWeight="semibold">
                {s.documentNumber ?? s.shipmentId}
              </Text>
              <ShipmentBadge state={s.state} />
            </InlineStack>
            <Text as="p" tone="subdued">
              {s.trackingNumbers ? `Tracking ${s.trackingNumbers}` : "No tracking number from the ERP"}
              {s.shippedAt ? ` · shipped ${formatDateTime(s.shippedAt)}` : ""}
            </Text>
            {s.state === "synced" && s.fulfillmentName ? (
              <Text as="p">
                Fulfilment {s.fulfillmentName} in Shopify since {formatDateTime(s.syncedAt)}
              </Text>
            ) : null}
            {s.lastError && s.state !== "synced" ? (
              <Text as="p" tone={s.state === "needs_attention" ? "critical" : "subdued"}>
                {s.lastError}
              </Text>
            ) : null}
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
