// A shipment's state as a Polaris badge: colour AND words (never colour alone),
// in the words of app/shipments/states.ts.
import { Badge } from "@shopify/polaris";
import type { ComponentProps } from "react";
import { SHIPMENT_STATE_LABELS, type ShipmentState } from "../shipments/states";

const TONES: Record<ShipmentState, ComponentProps<typeof Badge>["tone"]> = {
  synced: "success",
  pending: "info",
  sending: "info",
  retrying: "warning",
  needs_attention: "critical",
};

export function ShipmentBadge({ state }: { state: ShipmentState }) {
  return <Badge tone={TONES[state]}>{SHIPMENT_STATE_LABELS[state] ?? state}</Badge>;
}
