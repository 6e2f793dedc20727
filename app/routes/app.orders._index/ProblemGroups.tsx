// "Needs attention", grouped by reason: how many orders stopped for the same
// cause, what to do (the reason says it), and one action for the whole group:
// for an item problem, fix it on one of its orders (the mapping is offered
// there); then "Retry these N orders".
import { Banner, BlockStack, Box, Button, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import type { ProblemGroup } from "../../models/problem-groups.server";

export function ProblemGroups({ groups, onRetry, retrying }: { groups: ProblemGroup[]; onRetry(key: string): void; retrying: string | null }) {
  if (groups.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Problems by reason
        </Text>
        {groups.map((g, i) => (
          <BlockStack gap="200" key={g.key}>
            {i > 0 ? <Divider /> : null}
            <Text as="p" fontWeight="semibold" breakWord>
              {g.count} order{g.count === 1 ? "" : "s"}: {g.reason}
            </Text>
            {g.sku ? (
              <Box>
                <Banner tone="info">
                  <Text as="p">
                    Map {g.sku} in ERP Order Sync, or create item {g.sku} in your ERP; then retry the group.
                  </Text>
                </Banner>
              </Box>
            ) : null}
            <InlineStack gap="200" wrap>
              {g.sku ? (
                <Button url={`/app/orders/${g.exampleId}`} accessibilityLabel={`Map ${g.sku} on order ${g.exampleName}`}>
                  {`Map ${g.sku}`}
                </Button>
              ) : null}
              <Button onClick={() => onRetry(g.key)} loading={retrying === g.key}>
                {g.count === 1 ? "Retry this order" : `Retry these ${g.count} orders`}
              </Button>
            </InlineStack>
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
