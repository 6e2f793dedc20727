// Completeness certificates (/app/certificates): every certificate of the
// shop, newest first, each with its headline, and a form to make one for any
// date range (the worker computes it within a minute; the page reloads
// until it is done). The daily ones appear by themselves.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Link, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { listCertificates } from "../../models/certificates.server";
import { requestCertificate } from "../../certificate/certificate-store.server";
import { RouteError } from "../../components/RouteError";
import { EMPTY_STATE_IMAGE } from "../../components/illustration";
import { CertificateStatusBadge, windowWords } from "../../components/CertificateCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const today = new Date().toISOString().slice(0, 10);
  return { certificates: await listCertificates(db, session.shop), today };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const result = await requestCertificate(db, session.shop, String(form.get("from") ?? ""), String(form.get("to") ?? ""));
  if (!result.ok) return Response.json({ ok: false, message: result.message }, { status: 400 });
  return Response.json({ ok: true, message: `Certificate for ${windowWords(result.certificate.windowStart.toISOString(), result.certificate.windowEnd.toISOString())} requested. It appears here within a few minutes.` });
};

export default function CertificatesPage() {
  const { certificates, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const waiting = certificates.some((c) => c.status === "requested" || c.status === "running");
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 5000);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  return (
    <Page backAction={{ content: "Dashboard", url: "/app" }}>
      <TitleBar title="Completeness certificates" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Make a certificate
              </Text>
              <Text as="p" tone="subdued">
                Counts the orders created on these days (UTC) in Shopify, in this app and in your ERP, and lists every order that is missing, doubled or has a different total.
              </Text>
              {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
              <Form method="post">
                <InlineStack gap="300" blockAlign="end">
                  <TextField label="First day" type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
                  <TextField label="Last day" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
                  <Button submit variant="primary" loading={navigation.state === "submitting"}>
                    Make certificate
                  </Button>
                </InlineStack>
              </Form>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {certificates.length === 0 ? (
              <EmptyState heading="No certificate yet" image={EMPTY_STATE_IMAGE}>
                <p>The first daily certificate is made an hour after midnight (UTC) for the day before. Make one now above.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "certificate", plural: "certificates" }}
                itemCount={certificates.length}
                selectable={false}
                headings={[{ title: "Orders created" }, { title: "Result" }, { title: "Summary" }, { title: "Made" }]}
              >
                {certificates.map((c, i) => (
                  <IndexTable.Row id={c.id} key={c.id} position={i}>
                    <IndexTable.Cell>
                      <Link url={`/app/certificates/${c.id}`} removeUnderline>
                        {windowWords(c.windowStart, c.windowEnd)}
                      </Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <CertificateStatusBadge status={c.status} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" variant="bodySm">
                        {c.headline ?? c.message ?? "Waiting for the worker…"}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge>{c.trigger === "daily" ? "Daily" : "On request"}</Badge>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Completeness certificates" backUrl="/app" />;
}
