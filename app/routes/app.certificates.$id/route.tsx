// One completeness certificate (/app/certificates/:id): the three counts,
// every exception with what to do (filter by kind), links to each order's
// page in this app, and CSV / JSON downloads. Another shop's id is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, ButtonGroup, Card, IndexTable, InlineGrid, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { loadCertificate } from "../../models/certificates.server";
import { EXCEPTION_KIND_WORDS } from "../../certificate/classify";
import { RouteError } from "../../components/RouteError";
import { CertificateStatusBadge, windowWords } from "../../components/CertificateCard";
import { downloadWithSessionToken } from "../../components/download";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = new URL(request.url).searchParams.get("kind");
  const certificate = await loadCertificate(db, session.shop, params.id ?? "", kind);
  if (!certificate) throw new Response("Not found", { status: 404 });
  return { certificate, kind };
};

function Count({ label, value, tone }: { label: string; value: number | string; tone?: "critical" | "success" }) {
  return (
    <BlockStack gap="100">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg" tone={tone}>
        {typeof value === "number" ? value.toLocaleString("en-US") : value}
      </Text>
    </BlockStack>
  );
}

export default function CertificatePage() {
  const { certificate: c, kind } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const n = c.counts;
  const bad = (v: number) => (v > 0 ? "critical" : "success");
  const filters: [string | null, string][] = [[null, "All"], ...(Object.entries(EXCEPTION_KIND_WORDS) as [string, string][])];
  return (
    <Page backAction={{ content: "Certificates", url: "/app/certificates" }} title={`Orders created ${windowWords(c.windowStart, c.windowEnd)}`} titleMetadata={<CertificateStatusBadge status={c.status} />}>
      <TitleBar title="Completeness certificate" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {c.message ? <Banner tone={c.status === "failed" ? "critical" : "warning"}>{c.message}</Banner> : null}
            {!c.erpReadBack && (c.status === "clean" || c.status === "exceptions") ? (
              <Banner tone="info">Your ERP connector cannot read documents back, so this certificate compares Shopify with this app only.</Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="p" variant="bodyLg">
                  {c.headline ?? "This certificate is not finished yet."}
                </Text>
                <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                  <Count label="Orders in Shopify" value={n.shopify} />
                  <Count label="In this app" value={n.ledger} />
                  <Count label="In the ERP" value={c.erpReadBack ? n.erp : "not read"} />
                  <Count label="Kept out by your rules" value={n.skipped} />
                  <Count label="Missing in the ERP" value={n.missingInErp} tone={bad(n.missingInErp)} />
                  <Count label="Duplicated in the ERP" value={n.duplicated} tone={bad(n.duplicated)} />
                  <Count label="Different total" value={n.totalMismatch} tone={bad(n.totalMismatch)} />
                  <Count label="Never received by the app" value={n.missingInLedger} tone={bad(n.missingInLedger)} />
                </InlineGrid>
                <InlineStack gap="200">
                  <Button onClick={() => void downloadWithSessionToken(`/app/certificates/${c.id}/csv`, "certificate.csv")}>Download CSV</Button>
                  <Button onClick={() => void downloadWithSessionToken(`/app/certificates/${c.id}/json`, "certificate.json")}>Download JSON</Button>
                </InlineStack>
              </BlockStack>
            </Card>
            <Card padding="0">
              <BlockStack gap="200">
                <div style={{ padding: "var(--p-space-300)" }}>
                  <ButtonGroup variant="segmented">
                    {filters.map(([value, label]) => (
                      <Button key={label} pressed={(kind ?? null) === value} onClick={() => setParams(value ? { kind: value } : {})}>
                        {label}
                      </Button>
                    ))}
                  </ButtonGroup>
                </div>
                <IndexTable
                  resourceName={{ singular: "order", plural: "orders" }}
                  itemCount={c.exceptions.length}
                  selectable={false}
                  emptyState={<Text as="p" alignment="center">{c.status === "clean" ? "Nothing to fix: every order is in the ERP once, with Shopify's total." : "No order of this kind."}</Text>}
                  headings={[{ title: "Order" }, { title: "Exception" }, { title: "Shopify total" }, { title: "ERP" }, { title: "What to do" }]}
                >
                  {c.exceptions.map((e, i) => (
                    <IndexTable.Row id={`${e.kind}-${e.orderId}`} key={`${e.kind}-${e.orderId}`} position={i}>
                      <IndexTable.Cell>{e.orderSyncId ? <Link url={`/app/orders/${e.orderSyncId}`}>{e.orderName}</Link> : e.orderName}</IndexTable.Cell>
                      <IndexTable.Cell>{EXCEPTION_KIND_WORDS[e.kind]}</IndexTable.Cell>
                      <IndexTable.Cell>{e.shopifyTotal ?? "—"}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {e.erpDocuments.length ? e.erpDocuments.map((d) => `${d.documentNumber ?? d.documentId}${d.total ? ` (${d.total})` : ""}${d.cancelled ? " cancelled" : ""}`).join(", ") : "none"}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <div style={{ whiteSpace: "normal", maxWidth: "28rem" }}>
                          <Text as="span" variant="bodySm">
                            {e.message}
                          </Text>
                        </div>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Completeness certificate" backUrl="/app/certificates" />;
}
