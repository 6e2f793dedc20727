// Pushed shipment notices (Generic HTTPS JSON): the ERP POSTs one shipment to
// /erp/<shop>.myshopify.com/shipments, signed like stock notices and like the
// app's own requests. The rules every pushed notice shares (POST, body limit,
// the shop's signing secret in constant time, 4xx with a plain message) live
// in app/connectors/generic-http/signed-notice.server.ts; this file adds what
// is particular to shipments: the shop must own shipments in the ERP, the
// body must match docs/shipment-notice.schema.json, and a repeat of the same
// shipment id answers "duplicate" and changes nothing.
import type { PrismaClient } from "@prisma/client";
import { noticeResponse, receiveSignedNotice, refusalResponse } from "../connectors/generic-http/signed-notice.server";
import { recordShipments } from "./engine";
import { parseShipmentNotice } from "./shipment-notice";

/** A notice is one shipment: 256 KB is hundreds of lines with room to spare. */
export const MAX_NOTICE_BYTES = 256 * 1024;

export const SHIPMENT_NOTICE_RULES = {
  what: "shipment notices",
  maxBytes: MAX_NOTICE_BYTES,
  tooLarge: `A shipment notice may be at most ${MAX_NOTICE_BYTES / 1024} KB; send one shipment per request.`,
};

export interface NoticeDeps {
  prisma: PrismaClient;
  now?: () => Date;
}

export async function handleShipmentNotice(request: Request, shopParam: string, deps: NoticeDeps): Promise<Response> {
  const signed = await receiveSignedNotice(deps.prisma, shopParam, request, SHIPMENT_NOTICE_RULES);
  if (!signed.ok) return refusalResponse(signed);
  const { shop, body } = signed;
  const settings = await deps.prisma.shopSettings.findUnique({ where: { shop }, select: { shipmentsOwner: true } });
  if (settings?.shipmentsOwner !== "erp") {
    return noticeResponse(409, {
      ok: false,
      message: "This shop's shipments are owned by Shopify, so the app does not record ERP shipments. The merchant can change that in the app: Settings → Who owns what → Shipments and tracking.",
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    return noticeResponse(400, { ok: false, message: "The body is not JSON." });
  }
  const parsed = parseShipmentNotice(value);
  if (!parsed.ok) return noticeResponse(422, { ok: false, message: "The shipment notice does not match docs/shipment-notice.schema.json.", problems: parsed.problems });
  // Stored as due now: the worker's shipments job looks for new due shipments every few seconds (app/jobs/shipments-job.ts).
  const result = await recordShipments(deps.prisma, shop, [parsed.shipment], deps.now?.() ?? new Date());
  const status = result.added ? "accepted" : result.updated ? "updated" : "duplicate";
  const message = {
    accepted: "Accepted: the app sends it to Shopify within seconds.",
    updated: "Updated: the shipment was not in Shopify yet, so the app sends this version.",
    duplicate: "Already received (same shipmentId): nothing changed.",
  }[status];
  return noticeResponse(status === "duplicate" ? 200 : 202, { ok: true, shipmentId: parsed.shipment.shipmentId, status, message });
}
