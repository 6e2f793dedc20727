// Synced vs failed attempts per hour or day as a small SVG bar chart. Hand
// drawn (two series, no axes library) to keep the bundle small; the numbers
// are also in a visually hidden table for screen readers.
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { ChartBucket, ChartRange } from "../models/dashboard.server";

const WIDTH = 720;
const HEIGHT = 160;
const SYNCED = "#29845a";
const FAILED = "#e51c00";

function bucketLabel(iso: string, range: ChartRange): string {
  const d = new Date(iso);
  return range === "24h"
    ? `${String(d.getUTCHours()).padStart(2, "0")}:00`
    : new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" }).format(d);
}

export function SyncChart({ buckets, range }: { buckets: ChartBucket[]; range: ChartRange }) {
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.synced, b.failed)));
  const slot = WIDTH / Math.max(1, buckets.length);
  const bar = Math.max(2, slot / 2 - 2);
  const total = buckets.reduce((n, b) => n + b.synced + b.failed, 0);
  return (
    <BlockStack gap="200">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
        width="100%"
        role="img"
        aria-label={`Synced and failed ERP writes per ${range === "24h" ? "hour, last 24 hours" : "day, last 14 days"}`}
        data-testid="sync-chart"
      >
        <line x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} stroke="#c9cccf" />
        {buckets.map((b, i) => {
          const x = i * slot + 2;
          const hs = (b.synced / max) * (HEIGHT - 4);
          const hf = (b.failed / max) * (HEIGHT - 4);
          const showLabel = range === "14d" ? i % 2 === 0 : i % 4 === 0;
          return (
            <g key={b.start}>
              <rect x={x} y={HEIGHT - hs} width={bar} height={hs} fill={SYNCED}>
                <title>{`${bucketLabel(b.start, range)}: ${b.synced} synced`}</title>
              </rect>
              <rect x={x + bar + 1} y={HEIGHT - hf} width={bar} height={hf} fill={FAILED}>
                <title>{`${bucketLabel(b.start, range)}: ${b.failed} failed`}</title>
              </rect>
              {showLabel ? (
                <text x={x} y={HEIGHT + 14} fontSize={11} fill="#616161">
                  {bucketLabel(b.start, range)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <InlineStack gap="400">
        <InlineStack gap="100" blockAlign="center">
          <span style={{ width: 10, height: 10, background: SYNCED, display: "inline-block" }} />
          <Text as="span" variant="bodySm">
            Synced
          </Text>
        </InlineStack>
        <InlineStack gap="100" blockAlign="center">
          <span style={{ width: 10, height: 10, background: FAILED, display: "inline-block" }} />
          <Text as="span" variant="bodySm">
            Failed or needs attention
          </Text>
        </InlineStack>
        {total === 0 ? (
          <Text as="span" variant="bodySm" tone="subdued">
            No ERP writes in this period.
          </Text>
        ) : null}
      </InlineStack>
      <table className="Polaris-Text--visuallyHidden">
        <caption>ERP writes per {range === "24h" ? "hour" : "day"}</caption>
        <thead>
          <tr>
            <th scope="col">Period (UTC)</th>
            <th scope="col">Synced</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {buckets.map((b) => (
            <tr key={b.start}>
              <th scope="row">{bucketLabel(b.start, range)}</th>
              <td>{b.synced}</td>
              <td>{b.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </BlockStack>
  );
}
