// The order page's history: Shopify events, ERP attempts (with the request
// summary and the ERP's answer) and staff actions, newest first.
import { BlockStack, Box, Divider, InlineStack, Text } from "@shopify/polaris";
import { TitledCard } from "../../components/TitledCard";
import { formatDateTime } from "../../components/format";
import type { OrderDetail, TimelineEntry } from "../../models/order-detail.server";

const TIMELINE_TONES: Record<string, "success" | "critical" | "caution" | "subdued" | undefined> = {
  synced: "success",
  needs_attention: "critical",
  failed: "critical",
  retrying: "caution",
};

function TimelineItem({ entry }: { entry: TimelineEntry }) {
  const who = entry.kind === "action" ? ` · by ${entry.actor}` : "";
  return (
    <Box paddingBlock="200">
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Text as="span" variant="bodySm" tone="subdued">
            {formatDateTime(entry.at)}
          </Text>
          <Text as="span" fontWeight="semibold" tone={entry.kind === "attempt" ? TIMELINE_TONES[entry.outcome] : undefined}>
            {entry.title}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {who}
          </Text>
        </InlineStack>
        {entry.detail ? <Text as="p">{entry.detail}</Text> : null}
        {entry.kind === "attempt" && (entry.request || entry.response) ? (
          <Box background="bg-surface-secondary" padding="200" borderRadius="200">
            <BlockStack gap="100">
              {entry.request ? (
                <Text as="p" variant="bodySm">
                  <Text as="span" fontWeight="semibold">
                    Request:
                  </Text>{" "}
                  {entry.request}
                </Text>
              ) : null}
              {entry.response ? (
                <Text as="p" variant="bodySm" breakWord>
                  <Text as="span" fontWeight="semibold">
                    ERP answer:
                  </Text>{" "}
                  <code>{entry.response}</code>
                </Text>
              ) : null}
            </BlockStack>
          </Box>
        ) : null}
      </BlockStack>
    </Box>
  );
}

export function History({ timeline }: { timeline: OrderDetail["timeline"] }) {
  return (
    <TitledCard title="History" gap="300">
      {timeline.length === 0 ? (
        <Text as="p" tone="subdued">
          Nothing has happened to this order yet.
        </Text>
      ) : (
        <BlockStack>
          {timeline.map((entry, i) => (
            <div key={entry.id}>
              {i > 0 ? <Divider /> : null}
              <TimelineItem entry={entry} />
            </div>
          ))}
        </BlockStack>
      )}
    </TitledCard>
  );
}
