// Dashboard card: how many ERP shipments are in each state, shown only when
// the ERP owns shipments (or some were recorded), linking to the Shipments page.
import { BlockStack, Card, InlineStack, Link, Text } from "@shopify/polaris";
import { SHIPMENT_STATE_LABELS, SHIPMENT_STATES, type ShipmentState } from "../shipments/states";
import { ShipmentBadge } from "./ShipmentBadge";

export function ShipmentCounts({ counts, owner }: { counts: Record<ShipmentState, number>; owner: "shopify" | "erp" }) {
  const total = SHIPMENT_STATES.reduce((s, k) => s + counts[k], 0);
  if (owner !== "erp" && total === 0) return null;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            Shipments from the ERP
          </Text>
          <Link url="/app/shipments">View shipments</Link>
        </InlineStack>
        <InlineStack gap="400">
          {SHIPMENT_STATES.filter((s) => s !== "sending").map((s) => (
            <InlineStack key={s} gap="100" blockAlign="center">
              <Text as="span" variant="headingLg">
                {counts[s] + (s === "pending" ? counts.sending : 0)}
              </Text>
              <ShipmentBadge state={s} />
              <Text as="span" visuallyHidden>
                {SHIPMENT_STATE_LABELS[s]}
              </Text>
            </InlineStack>
          ))}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
