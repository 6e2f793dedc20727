// The sync state as a Polaris badge: colour AND words (never colour alone).
import { Badge } from "@shopify/polaris";
import type { ComponentProps } from "react";
import { stateLabel } from "./format";

type Tone = ComponentProps<typeof Badge>["tone"];

const TONES: Record<string, Tone> = {
  synced: "success",
  pending: "info",
  sending: "info",
  retrying: "warning",
  needs_attention: "critical",
  failed: "critical",
  skipped: undefined,
};

const PROGRESS: Record<string, ComponentProps<typeof Badge>["progress"]> = {
  synced: "complete",
  pending: "incomplete",
  sending: "partiallyComplete",
  retrying: "partiallyComplete",
};

export function StateBadge({ state }: { state: string }) {
  return (
    <Badge tone={TONES[state]} progress={PROGRESS[state]}>
      {stateLabel(state)}
    </Badge>
  );
}
