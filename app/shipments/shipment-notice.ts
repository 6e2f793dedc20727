// The JSON shape of an ERP shipment on the wire, for the Generic HTTPS JSON
// contract: answers to `GET /shipments?since=…` and signed shipment notices
// pushed to the app. Published as docs/shipment-notice.schema.json (with
// examples); test/shipments/shipment-notice.test.ts keeps the two in step.
// Bad input gets every problem named by field, so the sender can fix it.
import { z } from "zod";
import type { ErpShipment } from "./types";

const id = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).transform(String);

export const shipmentNoticeSchema = z.object({
  shipmentId: id,
  documentNumber: z.string().max(200).nullish(),
  externalId: z.string().trim().min(1).max(200),
  shippedAt: z.string().datetime({ offset: true }).nullish(),
  location: z.string().max(200).nullish(),
  lines: z
    .array(
      z
        .object({
          lineId: id.nullish(),
          sku: z.string().max(200).nullish(),
          quantity: z.number().int().positive(),
        })
        .refine((l) => Boolean(l.lineId) || Boolean(l.sku?.trim()), "Each line needs lineId (the Shopify line item id) or sku."),
    )
    .min(1)
    .max(500),
  tracking: z
    .array(
      z.object({
        number: z.string().trim().min(1).max(200),
        company: z.string().max(200).nullish(),
        url: z.string().url().max(2000).nullish(),
      }),
    )
    .max(50)
    .default([]),
});

export const shipmentPageSchema = z.object({
  shipments: z.array(z.unknown()).max(1000),
  /** Where the next read starts (the receiver's cursor or a timestamp); absent: keep the current one. */
  next: z.string().max(500).nullish(),
});

export type ShipmentNotice = z.input<typeof shipmentNoticeSchema>;

export function toErpShipment(n: z.output<typeof shipmentNoticeSchema>): ErpShipment {
  return {
    shipmentId: n.shipmentId,
    documentNumber: n.documentNumber ?? null,
    externalId: n.externalId,
    shippedAt: n.shippedAt ?? null,
    locationName: n.location ?? null,
    lines: n.lines.map((l) => ({ lineId: l.lineId ?? null, sku: l.sku ?? null, quantity: l.quantity })),
    tracking: n.tracking.map((t) => ({ number: t.number, company: t.company ?? null, url: t.url ?? null })),
  };
}

export type NoticeParse = { ok: true; shipment: ErpShipment } | { ok: false; problems: string[] };

/** One shipment from untrusted JSON: the shipment, or every problem by field ("lines.0.quantity: …"). */
export function parseShipmentNotice(value: unknown): NoticeParse {
  const parsed = shipmentNoticeSchema.safeParse(value);
  if (parsed.success) return { ok: true, shipment: toErpShipment(parsed.data) };
  return { ok: false, problems: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`) };
}
