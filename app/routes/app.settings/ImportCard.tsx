// Settings card "Import past orders" (backfill): start an import for a date
// range, follow its progress, cancel it. It loads and posts through its own
// resource route (app.settings.backfill.tsx), so the page's loader stays quick.
import { useEffect, useState, type ReactNode } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, ProgressBar, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { formatDuration } from "../../components/format";
import type { BackfillPanel, BackfillView } from "../../models/reconciliation.server";
import type { action as backfillAction, loader as backfillLoader } from "../app.settings.backfill";

const BACKFILL_STATUS_WORDS: Record<BackfillView["status"], string> = {
  pending: "Waiting to start",
  running: "Importing",
  completed: "Finished",
  failed: "Stopped with a problem",
  cancelled: "Cancelled",
};

function backfillLine(job: BackfillView): string {
  const total = job.estimatedTotal !== null ? ` of about ${job.estimatedTotal}` : "";
  return `${job.from} to ${job.to}: ${BACKFILL_STATUS_WORDS[job.status]}, ${job.processed}${total} orders imported.`;
}

/**
 * Start an import for a date range, follow its progress (polled every few
 * seconds while it runs; the state is in the database, so leaving the page
 * changes nothing), and cancel it. The worker does the import.
 */
export function ImportCard() {
  const shopify = useAppBridge();
  const command = useFetcher<typeof backfillAction>();
  const poll = useFetcher<typeof backfillLoader>();
  const [panel, setPanel] = useState<BackfillPanel | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const { load } = poll;
  useEffect(() => {
    void load("/app/settings/backfill");
  }, [load]);
  const commandResult = command.data as { panel?: BackfillPanel; message?: string; ok?: boolean; fieldErrors?: Record<string, string> } | undefined;
  useEffect(() => {
    if (!commandResult?.panel) return;
    setPanel(commandResult.panel);
    shopify.toast.show(commandResult.message ?? "", { isError: !commandResult.ok });
  }, [commandResult, shopify]);
  useEffect(() => {
    if (poll.data?.panel) setPanel(poll.data.panel);
  }, [poll.data]);
  const active = panel?.active ?? null;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => load("/app/settings/backfill"), 3000);
    return () => clearInterval(timer);
  }, [active, load]);

  const fieldErrors = commandResult?.fieldErrors ?? {};
  const send = (body: Record<string, string>) => command.submit(body, { method: "post", action: "/app/settings/backfill", encType: "application/json" });
  if (!panel)
    return (
      <ImportSection>
        <Card>
          <SkeletonBodyText lines={3} />
        </Card>
      </ImportSection>
    );
  const needsReadAll = !panel.readAllOrders && from !== "" && from < panel.recentFrom;

  return (
    <ImportSection>
      <Card>
        <BlockStack gap="400">
          {active ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {BACKFILL_STATUS_WORDS[active.status]}: orders from {active.from} to {active.to}
              </Text>
              {panel.workerWarning ? (
                <Banner tone="warning" title="The import is not moving">
                  <Text as="p">{panel.workerWarning}</Text>
                </Banner>
              ) : active.status === "pending" ? (
                <Text as="p" tone="subdued">
                  Waiting for the worker to start it; large ranges first wait for a Shopify export.
                </Text>
              ) : null}
              <ProgressBar progress={active.percent ?? 0} size="small" tone="primary" ariaLabelledBy="backfill-progress" />
              <Text as="p" id="backfill-progress">
                {active.processed}
                {active.estimatedTotal !== null ? ` of about ${active.estimatedTotal}` : ""} orders imported
                {active.percent !== null ? ` (${active.percent}%)` : ""}
                {active.remainingMs !== null ? `, about ${formatDuration(active.remainingMs)} left` : ""}.
              </Text>
              <InlineStack gap="200" blockAlign="center">
                <Button
                  tone="critical"
                  onClick={() => send({ intent: "cancel", id: active.id })}
                  loading={command.state !== "idle"}
                  disabled={active.cancelRequested}
                >
                  {active.cancelRequested ? "Stopping…" : "Cancel import"}
                </Button>
                <Text as="span" tone="subdued" variant="bodySm">
                  You can leave this page: the import goes on and its progress is kept.
                </Text>
              </InlineStack>
            </BlockStack>
          ) : (
            <FormLayout>
              <FormLayout.Group condensed>
                <TextField label="First day" type="date" value={from} onChange={setFrom} error={fieldErrors.from} autoComplete="off" />
                <TextField label="Last day" type="date" value={to} onChange={setTo} error={fieldErrors.to} autoComplete="off" />
              </FormLayout.Group>
              {needsReadAll ? (
                <Banner tone="warning" title="Orders older than 60 days need an extra permission">
                  <Text as="p">
                    Shopify only lets the app read orders from the last 60 days (since {panel.recentFrom}). To import older orders, the app needs the &quot;Read
                    all orders&quot; permission: ask the app&apos;s support to request it and approve it in your Shopify admin. You can import orders from{" "}
                    {panel.recentFrom} onwards right now.
                  </Text>
                </Banner>
              ) : null}
              <InlineStack gap="200" blockAlign="center">
                <Button onClick={() => send({ intent: "start", from, to })} loading={command.state !== "idle"} disabled={!from || !to}>
                  Start import
                </Button>
                <Text as="span" tone="subdued" variant="bodySm">
                  Large ranges use a Shopify export and may take a while to start.
                </Text>
              </InlineStack>
            </FormLayout>
          )}
          {panel.recent.length > 0 ? (
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                Earlier imports
              </Text>
              {panel.recent.map((job) => (
                <Text as="p" key={job.id} tone={job.status === "failed" ? "critical" : "subdued"}>
                  {backfillLine(job)}
                  {job.error ? ` ${job.error}` : ""}
                </Text>
              ))}
            </BlockStack>
          ) : null}
        </BlockStack>
      </Card>
    </ImportSection>
  );
}

function ImportSection({ children }: { children: ReactNode }) {
  return (
    <Layout.AnnotatedSection
      id="backfill"
      title="Import past orders"
      description="Send orders from before the app was installed, or from a time the app was not running, to your ERP. Orders already sent are not sent twice."
    >
      {children}
    </Layout.AnnotatedSection>
  );
}
