// Shipments (/app/shipments): every ERP shipment of the shop, its state, its
// tracking and the fulfilment it became in Shopify, or the reason it needs a
// person; filter by state; Retry and Mark resolved on one shipment. Thin: the
// data and actions live in app/models/shipments.server.ts.
import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Select, Tabs, Text, useBreakpoints } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { listShipments, shipmentAction, shipmentCounts, shipmentsStatus } from "../../models/shipments.server";
import { SHIPMENT_STATE_LABELS, SHIPMENT_STATES } from "../../shipments/states";
import { ShipmentBadge } from "../../components/ShipmentBadge";
import { RouteError } from "../../components/RouteError";
import { EMPTY_STATE_IMAGE } from "../../components/illustration";
import { formatDateTime } from "../../components/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const state = new URL(request.url).searchParams.get("state");
  const [rows, counts, status] = await Promise.all([listShipments(db, session.shop, { state }), shipmentCounts(db, session.shop), shipmentsStatus(db, session.shop)]);
  return { rows, counts, status, state };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  return shipmentAction(db, session.shop, String(form.get("id") ?? ""), String(form.get("intent") ?? ""));
};

const TABS = [{ id: "all", content: "All" }, ...SHIPMENT_STATES.map((s) => ({ id: s, content: SHIPMENT_STATE_LABELS[s] }))];

export default function ShipmentsPage() {
  const { rows, counts, status, state } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [, setParams] = useSearchParams();
  const shopify = useAppBridge();
  useEffect(() => {
    if (result) shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);
  const selected = Math.max(0, TABS.findIndex((t) => t.id === (state ?? "all")));
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("id") ?? "") : "";
  const act = (id: string, intent: string) => submit({ id, intent }, { method: "post" });
  // Six tabs and six columns do not fit a phone (Polaris' tab strip and table would scroll sideways): a select and
  // one stacked card per shipment do the same job there.
  const { smDown } = useBreakpoints();
  const tabs = TABS.map((t) => ({ ...t, content: t.id === "all" ? "All" : `${t.content} (${counts[t.id as keyof typeof counts]})` }));
  const choose = (id: string) => setParams(id === "all" ? {} : { state: id });
  const problemOf = (r: (typeof rows)[number]) =>
    r.state === "synced" ? (r.fulfillmentName ? `${r.fulfillmentName} · ${formatDateTime(r.syncedAt)}` : (r.lastError ?? "Resolved")) : (r.lastError ?? "Waiting for the next run");
  const actions = (r: (typeof rows)[number]) => (
    <InlineStack gap="200">
      {r.state === "needs_attention" || r.state === "retrying" ? (
        <Button size="slim" onClick={() => act(r.id, "retry")} loading={busy === r.id} accessibilityLabel={`Retry ${r.documentNumber ?? r.shipmentId}`}>
          Retry
        </Button>
      ) : null}
      {r.state === "needs_attention" ? (
        <Button size="slim" variant="plain" onClick={() => act(r.id, "resolve")} accessibilityLabel={`Mark resolved: ${r.documentNumber ?? r.shipmentId}`}>
          Mark resolved
        </Button>
      ) : null}
    </InlineStack>
  );

  return (
    <Page title="Shipments" subtitle="ERP shipments and the Shopify fulfilments they became">
      <TitleBar title="Shipments" />
      <Layout>
        {status.owner !== "erp" ? (
          <Layout.Section>
            <Banner tone="info" title="Shopify owns shipments in this store">
              <Text as="p">The app creates no fulfilments. To let your ERP's shipments reach customers with tracking, open Settings → Shipments and tracking.</Text>
            </Banner>
          </Layout.Section>
        ) : status.lastError ? (
          <Layout.Section>
            <Banner tone="critical" title="The last shipment run had a problem">
              <Text as="p">{status.lastError}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            {smDown ? (
              <Box padding="300">
                <Select label="Show" labelInline options={tabs.map((t) => ({ label: t.content, value: t.id }))} value={TABS[selected].id} onChange={choose} />
              </Box>
            ) : (
              <Tabs tabs={tabs} selected={selected} onSelect={(i) => choose(TABS[i].id)} />
            )}
            {rows.length === 0 ? (
              <EmptyState heading="No shipments here" image={EMPTY_STATE_IMAGE}>
                <Text as="p">Shipments appear once the ERP reports them{status.lastRunAt ? ` (last checked ${formatDateTime(status.lastRunAt)})` : ""}.</Text>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "shipment", plural: "shipments" }}
                itemCount={rows.length}
                selectable={false}
                condensed={smDown}
                headings={[{ title: "ERP shipment" }, { title: "Order" }, { title: "State" }, { title: "Tracking" }, { title: "In Shopify / problem" }, { title: "Actions" }]}
              >
                {rows.map((r, i) =>
                  smDown ? (
                    <IndexTable.Row id={r.id} key={r.id} position={i}>
                      <div style={{ padding: "12px 16px" }}>
                        <BlockStack gap="100">
                          <InlineStack gap="200" blockAlign="center">
                            <Text as="span" fontWeight="semibold">
                              {r.documentNumber ?? r.shipmentId}
                            </Text>
                            <Text as="span">{r.orderName || r.externalId}</Text>
                            <ShipmentBadge state={r.state} />
                          </InlineStack>
                          <Text as="p" breakWord>
                            {r.trackingNumbers ? `Tracking ${r.trackingNumbers}` : "No tracking number"}
                          </Text>
                          <Text as="p" tone={r.state === "needs_attention" ? "critical" : undefined} breakWord>
                            {problemOf(r)}
                          </Text>
                          {actions(r)}
                        </BlockStack>
                      </div>
                    </IndexTable.Row>
                  ) : (
                    <IndexTable.Row id={r.id} key={r.id} position={i}>
                      <IndexTable.Cell>
                        <Text as="span" fontWeight="semibold">
                          {r.documentNumber ?? r.shipmentId}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{r.orderName || r.externalId}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <ShipmentBadge state={r.state} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>{r.trackingNumbers || "—"}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {/* Table cells do not wrap by default: a reason in words would widen the table past the page. */}
                        <div style={{ whiteSpace: "normal", minWidth: "16rem", maxWidth: "28rem" }}>
                          <Text as="span" tone={r.state === "needs_attention" ? "critical" : undefined} breakWord>
                            {problemOf(r)}
                          </Text>
                        </div>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{actions(r)}</IndexTable.Cell>
                    </IndexTable.Row>
                  ),
                )}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Shipments" />;
}
