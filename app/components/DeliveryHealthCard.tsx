// Dashboard card "Delivery health": how orders reached the app (webhook, or
// found later by reconciliation = a lost webhook), how long they took from
// being placed to the ERP document (p50 / p99, 24 hours and 14 days), and the
// oldest order still waiting. It loads its own figures from /app/health, so
// the dashboard needs one line to show it.
import { useFetcher } from "@remix-run/react";
import { useEffect } from "react";
import { Badge, BlockStack, Box, Card, InlineGrid, InlineStack, Link, SkeletonBodyText, Text } from "@shopify/polaris";
import { formatDuration, formatShare, type HealthReason, type HealthWindow } from "../health/delivery-health";
import type { loader as healthLoader } from "../routes/app.health";

const WINDOW_WORDS: Record<HealthWindow, string> = { day: "Last 24 hours", fortnight: "Last 14 days" };

const REASON_WORDS: Record<HealthReason, string> = {
  lost_webhooks: "Lost webhooks above your limit",
  lag: "Orders reach the ERP slowly",
  backlog: "Orders waiting too long",
};

function Figure({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingMd">
        {value}
      </Text>
      {help ? (
        <Text as="span" tone="subdued" variant="bodySm">
          {help}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export function DeliveryHealthCard() {
  const fetcher = useFetcher<typeof healthLoader>();
  const { load } = fetcher;
  useEffect(() => {
    load("/app/health");
    // Figures move slowly: once a minute is plenty.
    const timer = setInterval(() => load("/app/health"), 60_000);
    return () => clearInterval(timer);
  }, [load]);
  const panel = fetcher.data?.panel;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Delivery health
          </Text>
          {panel ? (
            panel.holding.length === 0 ? (
              <Badge tone="success">Within your limits</Badge>
            ) : (
              <InlineStack gap="100">
                {panel.holding.map((r) => (
                  <Badge key={r} tone="warning">
                    {REASON_WORDS[r]}
                  </Badge>
                ))}
              </InlineStack>
            )
          ) : null}
        </InlineStack>
        {!panel ? (
          <SkeletonBodyText lines={4} />
        ) : (
          <>
            {(["day", "fortnight"] as const).map((w) => {
              const s = panel.health.sources[w];
              const lag = panel.health.lag[w];
              return (
                <Box key={w}>
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      {WINDOW_WORDS[w]}
                    </Text>
                    <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                      <Figure label="Orders by webhook" value={String(s.counts.webhook)} help={`of ${s.total} orders placed`} />
                      <Figure
                        label="Found only by reconciliation"
                        value={`${s.counts.reconciliation} (${formatShare(s.lostWebhookShare)})`}
                        help={s.counts.backfill > 0 ? `${s.counts.backfill} more imported by backfill` : "lost webhooks, sent late"}
                      />
                      <Figure label="Placed → in the ERP, median" value={formatDuration(lag.p50Ms)} help={`${lag.samples} documents`} />
                      <Figure label="Placed → in the ERP, 99 %" value={formatDuration(lag.p99Ms)} />
                    </InlineGrid>
                  </BlockStack>
                </Box>
              );
            })}
            <InlineStack gap="200" blockAlign="center">
              <Text as="p">
                {panel.health.backlog.waiting === 0
                  ? "No order is waiting to reach the ERP."
                  : `${panel.health.backlog.waiting} orders waiting; the oldest for ${formatDuration(panel.health.backlog.oldestAgeMs)}.`}
              </Text>
              {panel.health.backlog.waiting > 0 ? <Link url="/app/orders?state=needs_attention&state=retrying&state=pending">See them</Link> : null}
            </InlineStack>
            <Text as="p" tone="subdued" variant="bodySm">
              Alert limits: lost webhooks {panel.thresholds.lostWebhookPercent === null ? "off" : `${panel.thresholds.lostWebhookPercent} %`}, delay{" "}
              {panel.thresholds.lagMinutes === null ? "off" : `${panel.thresholds.lagMinutes} min`}, waiting{" "}
              {panel.thresholds.backlogMinutes === null ? "off" : `${panel.thresholds.backlogMinutes} min`}. <Link url="/app/settings">Change them in Settings</Link>.
            </Text>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
