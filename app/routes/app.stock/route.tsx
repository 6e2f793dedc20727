// Stock (/app/stock): the current and last stock runs (items read,
// differences, written, conflicts, problems), "Sync stock now", the search by
// SKU (ERP quantity, what Shopify was set to and when, per location) and the
// problem items of the last run with what to do. Data: app/models/stock-page.server.ts.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, EmptyState, InlineGrid, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { loadStockPage, syncStockNow, type StockRunView } from "../../models/stock-page.server";
import { formatDateTime } from "../../components/format";
import { RouteError } from "../../components/RouteError";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadStockPage(db, session.shop, new URL(request.url).searchParams);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return syncStockNow(db, session.shop);
};

const STATUS: Record<string, { label: string; tone?: "success" | "critical" | "warning" | "info" }> = {
  queued: { label: "Waiting", tone: "info" },
  running: { label: "Running", tone: "info" },
  completed: { label: "Finished", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
  blocked: { label: "Did not run", tone: "warning" },
};

const TRIGGER: Record<string, string> = { schedule: "Scheduled", manual: "Sync stock now", notice: "ERP notice", nightly: "Daily full comparison" };

function RunCard({ title, run }: { title: string; run: StockRunView }) {
  const status = STATUS[run.status] ?? { label: run.status };
  const figures: [string, number][] = [
    ["Items read", run.itemsRead],
    ["Differences", run.differences],
    ["Written", run.written],
    ["Conflicts", run.conflicts],
    ["Problems", run.problemCount],
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title} <Badge tone={status.tone}>{status.label}</Badge>
        </Text>
        <Text as="p" tone="subdued">
          {TRIGGER[run.trigger] ?? run.trigger}
          {run.full ? " (every item)" : " (changed items)"} · {formatDateTime(run.startedAt ?? run.createdAt)}
          {run.finishedAt ? ` to ${formatDateTime(run.finishedAt)}` : ""}
        </Text>
        <InlineGrid columns={5} gap="200">
          {figures.map(([label, value]) => (
            <BlockStack key={label} gap="100">
              <Text as="span" tone="subdued" variant="bodySm">
                {label}
              </Text>
              <Text as="span" variant="headingLg">
                {value.toLocaleString("en-US")}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
        {run.message ? <Banner tone={run.status === "completed" ? "info" : "warning"}>{run.message}</Banner> : null}
      </BlockStack>
    </Card>
  );
}

export default function StockPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [sku, setSku] = useState(data.sku);
  useEffect(() => {
    if (result) shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);

  const syncNow = () => submit({}, { method: "post" });
  return (
    <Page
      title="Stock"
      primaryAction={{ content: "Sync stock now", onAction: syncNow, loading: navigation.state === "submitting", disabled: data.owner !== "erp" }}
    >
      <TitleBar title="Stock" />
      <Layout>
        {data.owner !== "erp" ? (
          <Layout.Section>
            <Banner tone="info" title="Shopify owns stock levels">
              The app does not change stock in this store. To let the ERP set available quantities, choose it under Settings → Who owns what.
            </Banner>
          </Layout.Section>
        ) : null}
        {data.current ? (
          <Layout.Section>
            <RunCard title="Current run" run={data.current} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          {data.last ? (
            <RunCard title="Last run" run={data.last} />
          ) : (
            <Card>
              <EmptyState heading="No stock run yet" image="">
                <p>Runs start once the ERP owns stock levels and locations are linked.</p>
              </EmptyState>
            </Card>
          )}
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Find a SKU
              </Text>
              <Form method="get">
                <TextField label="SKU" name="sku" value={sku} onChange={setSku} autoComplete="off" helpText="Shows the last change the app sent from the ERP to Shopify for SKUs starting with this, per location." />
              </Form>
              {data.sku && data.matches.length === 0 ? <Text as="p">The app has not changed stock for a SKU starting with “{data.sku}”.</Text> : null}
              {data.matches.length > 0 ? (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "text"]}
                  headings={["SKU", "Direction", "Location", "ERP quantity", "Unsynced orders", "Shopify (before → after)", "Changed"]}
                  rows={data.matches.map((m) => [m.sku, m.direction, m.location, m.erpQuantity, m.unsyncedSold, `${m.fromQuantity} → ${m.toQuantity}`, formatDateTime(m.changedAt)])}
                />
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Problem items ({data.problemTotal.toLocaleString("en-US")})
              </Text>
              {data.problems.length === 0 ? (
                <Text as="p" tone="subdued">
                  No problem items in the last run.
                </Text>
              ) : (
                <BlockStack gap="300">
                  {data.problems.map((p, i) => (
                    <BlockStack key={`${p.kind}-${p.sku ?? p.locationId ?? ""}-${i}`} gap="100">
                      <Text as="h3" variant="headingSm">
                        {p.sku ? `SKU ${p.sku}` : "A linked location"}
                      </Text>
                      <Text as="p">{p.message}</Text>
                    </BlockStack>
                  ))}
                </BlockStack>
              )}
              <Button url="/app/settings">Open Settings</Button>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Stock" />;
}
