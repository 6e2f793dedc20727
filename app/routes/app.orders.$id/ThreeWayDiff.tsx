// "Compare with the ERP" on the order page: Shopify now, what the app last
// sent and what the ERP holds, field by field, differences highlighted, and
// "Apply the difference" (queues exactly the ERP writes that make the ERP
// equal Shopify; a document the ERP has locked is refused with what to do
// there). Loads on demand: it asks Shopify and the ERP, which takes a moment.
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Link, Text } from "@shopify/polaris";
import type { action as diffAction, loader as diffLoader } from "../app.orders.$id.diff";

export function ThreeWayDiff({ orderId }: { orderId: string }) {
  const compare = useFetcher<typeof diffLoader>();
  const apply = useFetcher<typeof diffAction>();
  const url = `/app/orders/${orderId}/diff`;
  const view = apply.data?.view ?? compare.data?.view ?? null;
  const loading = compare.state !== "idle";
  const differing = view?.rows.filter((r) => r.differs).length ?? 0;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Shopify, last sent, ERP
          </Text>
          <Button onClick={() => compare.load(url)} loading={loading}>
            {view ? "Compare again" : "Compare with the ERP"}
          </Button>
        </InlineStack>
        {!view ? (
          <Text as="p" tone="subdued">
            Reads the order from Shopify and the document from your ERP now, and shows every field side by side.
          </Text>
        ) : !view.available ? (
          <Banner tone="warning">{view.message}</Banner>
        ) : (
          <BlockStack gap="300">
            <InlineStack gap="200" blockAlign="center">
              {differing ? <Badge tone="critical">{`${differing} field${differing === 1 ? "" : "s"} differ`}</Badge> : <Badge tone="success">The ERP matches Shopify</Badge>}
              {view.erpDocument ? (
                <Text as="span" tone="subdued">
                  ERP document {view.erpDocument.url ? <Link url={view.erpDocument.url} target="_blank">{view.erpDocument.documentNumber}</Link> : view.erpDocument.documentNumber}
                  {view.erpDocument.status ? ` (${view.erpDocument.status})` : ""}
                </Text>
              ) : (
                <Text as="span" tone="critical">
                  The ERP has no document for this order.
                </Text>
              )}
            </InlineStack>
            <DataTable
              columnContentTypes={["text", "text", "text", "text"]}
              headings={["Field", "Shopify now", "Last sent", "ERP"]}
              rows={view.rows.map((r) => {
                const mark = (v: string | null) => (r.differs ? <Text as="span" tone="critical" fontWeight="bold">{v ?? "—"}</Text> : (v ?? "—"));
                return [r.differs ? <Text as="span" fontWeight="bold">{r.field}</Text> : r.field, mark(r.shopify), r.sent ?? "—", mark(r.erp)];
              })}
            />
            {view.plan ? (
              view.plan.refusal ? (
                <Banner tone="warning" title="The ERP cannot take this change">
                  {view.plan.refusal}
                </Banner>
              ) : (
                <InlineStack align="space-between" blockAlign="center" gap="300">
                  <Text as="p">{view.plan.summary}</Text>
                  {view.plan.writes.length > 0 ? (
                    <apply.Form method="post" action={url}>
                      <Button submit variant="primary" loading={apply.state !== "idle"}>
                        Apply the difference
                      </Button>
                    </apply.Form>
                  ) : null}
                </InlineStack>
              )
            ) : null}
          </BlockStack>
        )}
        {apply.data ? <Banner tone={apply.data.ok ? "success" : "critical"}>{apply.data.message}</Banner> : null}
      </BlockStack>
    </Card>
  );
}
