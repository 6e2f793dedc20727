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
  // Its own colour: resolved by hand is not "Synced" (no ERP document written by the app).
  resolved: "info-strong",
};

const PROGRESS: Record<string, ComponentProps<typeof Badge>["progress"]> = {
  synced: "complete",
  pending: "incomplete",
  sending: "partiallyComplete",
  retrying: "partiallyComplete",
  resolved: "complete",
};

/** `state` is the shown state (orderHeadline's shownState); `resolvedBy` names who resolved it. */
export function StateBadge({ state, resolvedBy }: { state: string; resolvedBy?: string | null }) {
  return (
    <Badge tone={TONES[state]} progress={PROGRESS[state]}>
      {state === "resolved" && resolvedBy ? `Resolved by ${resolvedBy}` : stateLabel(state)}
    </Badge>
  );
}
