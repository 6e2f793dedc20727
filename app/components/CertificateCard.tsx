// The dashboard's completeness certificate card: the newest certificate's
// headline ("1,204 orders in Shopify, 1,204 in the ERP, 0 missing, …"), its
// result, and links to its exceptions and to every certificate. It loads its
// own data (/app/certificates/latest) so the dashboard only places it.
import { useEffect } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import type { loader as latestLoader } from "../routes/app.certificates.latest";

const STATUS: Record<string, { label: string; tone?: "success" | "critical" | "warning" | "info" }> = {
  clean: { label: "Complete", tone: "success" },
  exceptions: { label: "Not complete", tone: "critical" },
  failed: { label: "Could not be made", tone: "warning" },
  requested: { label: "Waiting", tone: "info" },
  running: { label: "Being made", tone: "info" },
};

export function CertificateStatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { label: status };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** "24 Nov 2026" or "1 Nov 2026 – 24 Nov 2026" for a window of whole UTC days. */
export function windowWords(startIso: string, endIso: string): string {
  const day = (ms: number) => new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const start = Date.parse(startIso);
  const last = Date.parse(endIso) - 1;
  return day(start) === day(last) ? day(start) : `${day(start)} – ${day(last)}`;
}

export function CertificateCard() {
  const fetcher = useFetcher<typeof latestLoader>();
  const { load, state, data } = fetcher;
  useEffect(() => {
    if (state === "idle" && !data) load("/app/certificates/latest");
  }, [load, state, data]);
  const latest = data?.latest ?? null;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Completeness certificate
          </Text>
          {latest ? <CertificateStatusBadge status={latest.status} /> : null}
        </InlineStack>
        {!data ? (
          <SkeletonBodyText lines={2} />
        ) : latest ? (
          <>
            <Text as="p" tone="subdued">
              Orders created {windowWords(latest.windowStart, latest.windowEnd)} (UTC)
            </Text>
            <Text as="p" variant="bodyLg">
              {latest.headline ?? latest.message}
            </Text>
          </>
        ) : (
          <Text as="p" tone="subdued">
            No certificate yet. The first one is made for yesterday an hour after midnight (UTC){data.inProgress ? "; one is being made now." : "."}
          </Text>
        )}
        <InlineStack gap="200">
          {latest ? (
            <Button url={`/app/certificates/${latest.id}`} variant={latest.status === "exceptions" ? "primary" : undefined}>
              {latest.status === "exceptions" ? "See the orders to fix" : "Open certificate"}
            </Button>
          ) : null}
          <Button url="/app/certificates" variant="plain">
            All certificates
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
