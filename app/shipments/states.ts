// States of a shipment ledger row (model ShipmentSync), the same words as the
// order ledger so staff read one vocabulary:
//   pending -> sending -> synced
//                      -> retrying -> sending …   (Shopify busy, answer lost, order not known yet)
//                      -> needs_attention          (Shopify cannot take it: the reason is in lastError)
// A row in `sending` whose lease ran out belongs to a worker that died; the
// next claim takes it over, and when `maybeSent` is set it first looks for the
// fulfilment that worker may have created.
export const SHIPMENT_STATES = ["pending", "sending", "synced", "retrying", "needs_attention"] as const;
export type ShipmentState = (typeof SHIPMENT_STATES)[number];

export const SHIPMENT_STATE_LABELS: Record<ShipmentState, string> = {
  pending: "Waiting",
  sending: "Sending to Shopify",
  synced: "Fulfilled in Shopify",
  retrying: "Retrying",
  needs_attention: "Needs attention",
};
