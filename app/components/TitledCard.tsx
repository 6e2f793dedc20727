// A card with a heading over its content, and the label/value grid the cards
// of the order page show facts in: one markup for every such card.
import type { ReactNode } from "react";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

export function TitledCard({ title, gap = "200", children }: { title: string; gap?: "200" | "300"; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

/** Label (subdued) and value, two columns, one row per fact. */
export function Facts({ rows }: { rows: Array<[label: string, value: ReactNode]> }) {
  return (
    <InlineGrid columns={2} gap="200">
      {rows.flatMap(([label, value]) => [
        <Text key={`${label}:label`} as="span" tone="subdued">
          {label}
        </Text>,
        <Text key={`${label}:value`} as="span">
          {value}
        </Text>,
      ])}
    </InlineGrid>
  );
}
