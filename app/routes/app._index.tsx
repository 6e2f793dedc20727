// Dashboard: is the sync healthy, how many orders are in each state, synced
// vs failed over time, and the newest items staff must correct.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  ResourceItem,
  ResourceList,
  Text,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { SHOP_OVERVIEW_QUERY } from "../graphql/shop";
import { loadDashboard, type ChartRange, type SyncHealth } from "../models/dashboard.server";
import { SYNC_STATES } from "../sync/ledger/states";
import { StateBadge } from "../components/StateBadge";
import { PageHeading } from "../components/PageHeading";
import { useLiveRevalidation } from "../components/use-live-revalidation";
import { stateLabel } from "../components/format";
import { SyncChart } from "../components/SyncChart";
import { DeliveryHealthCard } from "../components/DeliveryHealthCard";
import { RouteError } from "../components/RouteError";
import { EMPTY_STATE_IMAGE, NOTHING_YET_IMAGE } from "../components/illustration";
import { formatAgo, formatDateTime, formatDuration } from "../components/format";
import { erpDownTitle } from "../components/erp-down";
import { CertificateCard } from "../components/CertificateCard";
import { ShipmentCounts } from "../components/ShipmentCounts";
import { shipmentCounts, shipmentsStatus } from "../models/shipments.server";
import { loadReconciliationPanel, type ReconciliationPanel } from "../models/reconciliation.server";
import type { action as checkNowAction, loader as checkStatusLoader } from "./app.settings.reconciliation";

export const meta: MetaFunction = () => [{ title: "Dashboard · ERP Order Sync" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const range: ChartRange = new URL(request.url).searchParams.get("range") === "14d" ? "14d" : "24h";
  const [response, dashboard, reconciliation, shipments, shipmentStatus] = await Promise.all([
    admin.graphql(SHOP_OVERVIEW_QUERY),
    loadDashboard(db, session.shop, range),
    loadReconciliationPanel(db, session.shop),
    shipmentCounts(db, session.shop),
    shipmentsStatus(db, session.shop),
  ]);
  const { data } = await response.json();
  const lastReconciliation = reconciliation.at && reconciliation.summary ? { at: reconciliation.at, summary: reconciliation.summary } : null;
  return { shop: data!.shop, ...dashboard, health: { ...dashboard.health, lastReconciliation }, reconciliation, shipments: { counts: shipments, owner: shipmentStatus.owner }, now: new Date().toISOString() };
};

// Resolved by hand is its own count, next to Synced (an ERP document the app wrote).
const SHOWN_STATES = [...SYNC_STATES, "resolved"] as const;

// A backlog older than this means the worker is stuck or the ERP is down.
const BACKLOG_WARNING_MS = 30 * 60_000;

const CHECK_STATE_WORDS: Record<ReconciliationPanel["state"], string> = {
  never: "No check has run yet.",
  requested: "Requested",
  // (a request no worker picks up says so in its summary: worker-status.server.ts)
  running: "Running",
  completed: "Finished",
  failed: "Failed",
};

/**
 * Last check for missed orders and "Check for missed orders now": the button
 * writes a request the worker picks up; the line follows it from requested
 * to running to finished by polling while it is not finished.
 */
function MissedOrdersCheck({ initial }: { initial: ReconciliationPanel }) {
  const request = useFetcher<typeof checkNowAction>();
  const poll = useFetcher<typeof checkStatusLoader>();
  const [panel, setPanel] = useState(initial);
  useEffect(() => setPanel(initial), [initial]);
  useEffect(() => {
    if (request.data?.panel) setPanel(request.data.panel);
  }, [request.data]);
  useEffect(() => {
    if (poll.data?.panel) setPanel(poll.data.panel);
  }, [poll.data]);
  const busy = panel.state === "requested" || panel.state === "running";
  const { load } = poll;
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => load("/app/settings/reconciliation"), 3000);
    return () => clearInterval(timer);
  }, [busy, load]);
  return (
    <BlockStack gap="100">
      <Text as="p">
        Last check for missed orders:{" "}
        {panel.at ? `${CHECK_STATE_WORDS[panel.state]} ${formatDateTime(panel.at)}. ${panel.summary ?? ""}` : CHECK_STATE_WORDS.never}
      </Text>
      <InlineStack gap="200" blockAlign="center">
        <Button
          onClick={() => request.submit({ intent: "check_now" }, { method: "post", action: "/app/settings/reconciliation", encType: "application/json" })}
          loading={request.state !== "idle"}
          disabled={busy}
        >
          Check for missed orders now
        </Button>
        <Text as="span" tone="subdued" variant="bodySm">
          {busy ? "Checking Shopify for orders the app did not receive. You can leave this page." : "The app also checks on its own, every 15 minutes by default."}
        </Text>
      </InlineStack>
    </BlockStack>
  );
}

function HealthBanner({ health, now, reconciliation }: { health: SyncHealth; now: number; reconciliation: ReconciliationPanel }) {
  const facts = (
    <BlockStack gap="100">
      <Text as="p">
        Last successful sync: {health.lastSuccessfulSyncAt ? `${formatAgo(health.lastSuccessfulSyncAt, now)} (${formatDateTime(health.lastSuccessfulSyncAt)})` : "none yet"}.
      </Text>
      <Text as="p">
        Waiting to be sent: {health.backlogCount}
        {health.backlogAgeMs !== null ? `, the oldest for ${formatDuration(health.backlogAgeMs)}` : ""}.
      </Text>
      <Text as="p">Orders needing attention: {health.attentionCount}.</Text>
      <MissedOrdersCheck initial={reconciliation} />
    </BlockStack>
  );
  if (!health.connectorConfigured) {
    return (
      <Banner tone="warning" title="Connect your ERP to start syncing orders" action={{ content: "Open settings", url: "/app/settings" }}>
        <BlockStack gap="200">
          <Text as="p">New orders are kept and will be sent as soon as an ERP connection is saved in Settings.</Text>
          {facts}
        </BlockStack>
      </Banner>
    );
  }
  if (health.erpDownSince) {
    return (
      <Banner tone="warning" title={erpDownTitle(health.erpDownSince, health.backlogCount, new Date(now))}>
        <BlockStack gap="200">
          <Text as="p">
            Sending is paused so your ERP is not flooded; the app checks with one order every few minutes and no order is marked
            failed meanwhile. Check that your ERP is running and reachable.
          </Text>
          {facts}
        </BlockStack>
      </Banner>
    );
  }
  const erpTrouble = health.lastAttemptOutcome === "retrying";
  const stuck = health.backlogAgeMs !== null && health.backlogAgeMs > BACKLOG_WARNING_MS;
  if (health.attentionCount > 0 || erpTrouble || stuck) {
    const title = erpTrouble
      ? `${health.connectorName} is not answering right now: orders will be retried automatically`
      : stuck
        ? "Orders have been waiting longer than expected"
        : `${health.attentionCount} order${health.attentionCount === 1 ? " needs" : "s need"} your attention`;
    return (
      <Banner
        tone={health.attentionCount > 0 ? "critical" : "warning"}
        title={title}
        action={health.attentionCount > 0 ? { content: "Review orders", url: "/app/orders?state=needs_attention&state=failed" } : undefined}
      >
        {facts}
      </Banner>
    );
  }
  return (
    <Banner tone="success" title={`Orders are syncing to ${health.connectorName}`}>
      {facts}
    </Banner>
  );
}

export default function Dashboard() {
  const { shop, counts, health, chart, chartRange, attention, now, reconciliation, shipments } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const nowMs = new Date(now).getTime();
  const total = SYNC_STATES.reduce((n, s) => n + counts[s], 0) + counts.resolved;
  // The counts follow the work: refresh while orders are on their way or a check runs.
  useLiveRevalidation(health.backlogCount > 0 || reconciliation.state === "requested" || reconciliation.state === "running");
  return (
    <Page>
      <TitleBar title="ERP Order Sync" />
      <PageHeading>ERP Order Sync</PageHeading>
      <Box paddingBlockEnd="300" paddingInline={{ xs: "400", sm: "0" }}>
        <Text as="p" tone="subdued">
          {shop.name} · amounts in {shop.currencyCode}
        </Text>
      </Box>
      <Layout>
        <Layout.Section>
          <HealthBanner health={health} now={nowMs} reconciliation={reconciliation} />
        </Layout.Section>
        {shipments.owner === "erp" || Object.values(shipments.counts).some((n) => n > 0) ? (
          <Layout.Section>
            <ShipmentCounts counts={shipments.counts} owner={shipments.owner} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, sm: 4, md: 8 }} gap="300">
            {SHOWN_STATES.map((state) => (
              <Card key={state}>
                <BlockStack gap="100">
                  <StateBadge state={state} />
                  {counts[state] > 0 ? (
                    <Link url={state === "resolved" ? "/app/orders?tab=resolved" : `/app/orders?state=${state}`} removeUnderline accessibilityLabel={`${counts[state]} orders ${stateLabel(state)}`}>
                      <Text as="span" variant="headingLg">
                        {counts[state]}
                      </Text>
                    </Link>
                  ) : (
                    <Text as="p" variant="headingLg">
                      0
                    </Text>
                  )}
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section><CertificateCard /></Layout.Section>
        <Layout.Section>
          <DeliveryHealthCard />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  ERP writes {chartRange === "24h" ? "per hour, last 24 hours" : "per day, last 14 days"}
                </Text>
                <ButtonGroup variant="segmented">
                  <Button pressed={chartRange === "24h"} onClick={() => setSearchParams({ range: "24h" })}>
                    24 hours
                  </Button>
                  <Button pressed={chartRange === "14d"} onClick={() => setSearchParams({ range: "14d" })}>
                    14 days
                  </Button>
                </ButtonGroup>
              </InlineStack>
              <SyncChart buckets={chart} range={chartRange} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  Newest items needing attention
                </Text>
                {health.attentionCount > 0 ? <Link url="/app/orders?state=needs_attention&state=failed">See all {health.attentionCount}</Link> : null}
              </InlineStack>
            </Box>
            {attention.length === 0 ? (
              <EmptyState heading={total === 0 ? "No orders yet" : "Nothing needs your attention"} image={total === 0 ? NOTHING_YET_IMAGE : EMPTY_STATE_IMAGE}>
                <p>
                  {total === 0
                    ? "Orders appear here as soon as Shopify sends them to the app."
                    : "Every order was either sent to your ERP or is on its way."}
                </p>
              </EmptyState>
            ) : (
              <ResourceList
                items={attention}
                resourceName={{ singular: "order", plural: "orders" }}
                renderItem={(item) => (
                  <ResourceItem id={item.id} url={`/app/orders/${item.id}`} accessibilityLabel={`Fix order ${item.orderName}`}>
                    <BlockStack gap="100">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="bodyMd" fontWeight="semibold">
                          {item.orderName}
                        </Text>
                        <StateBadge state={item.state} />
                        <Badge>{formatAgo(item.updatedAt, nowMs)}</Badge>
                      </InlineStack>
                      <Text as="p" tone="subdued">
                        {item.message ?? "No message recorded. Open the order to see its history."}
                      </Text>
                    </BlockStack>
                  </ResourceItem>
                )}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="ERP Order Sync" />;
}
