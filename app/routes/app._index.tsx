import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { SHOP_OVERVIEW_QUERY } from "../graphql/shop";

const STATES = ["pending", "sending", "retrying", "synced", "needs_attention", "failed", "skipped"] as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const response = await admin.graphql(SHOP_OVERVIEW_QUERY);
  const { data } = await response.json();
  const grouped = await db.orderSync.groupBy({
    by: ["state"],
    where: { shop: session.shop },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<(typeof STATES)[number], number>;
  for (const row of grouped) counts[row.state as (typeof STATES)[number]] = row._count._all;
  return { shop: data!.shop, counts };
};

export default function Dashboard() {
  const { shop, counts } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="ERP Order Sync" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {shop.name}
              </Text>
              <Text as="p" tone="subdued">
                {shop.myshopifyDomain} · {shop.plan.publicDisplayName} plan · amounts in {shop.currencyCode}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
            {STATES.map((state) => (
              <Card key={state}>
                <BlockStack gap="100">
                  <Badge tone={state === "needs_attention" || state === "failed" ? "critical" : undefined}>
                    {state.replace("_", " ")}
                  </Badge>
                  <Text as="p" variant="headingLg">
                    {counts[state]}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
