// Pushed shipment notices (Generic HTTPS JSON): the ERP POSTs one shipment,
// signed like the app's own requests (base64 HMAC-SHA256 of the exact body
// with the shop's signing secret, in X-Signature-SHA256), naming the shop in
// X-Shop-Domain. The rules are the webhook ones: a body limit, a constant-time
// signature check, idempotency by shipment id (a repeat answers "duplicate"
// and changes nothing), and every refusal a 4xx with a message the sender's
// developer can act on (a 5xx would only make them retry what cannot succeed).
import type { PrismaClient } from "@prisma/client";
import type { ErpConnector } from "../connectors/port";
import { recordShipments } from "./engine";
import { parseShipmentNotice } from "./shipment-notice";

/** A notice is one shipment: 256 KB is hundreds of lines with room to spare. */
export const MAX_NOTICE_BYTES = 256 * 1024;
export const SHOP_HEADER = "X-Shop-Domain";
export const NOTICE_SIGNATURE_HEADER = "X-Signature-SHA256";

export interface NoticeDeps {
  prisma: PrismaClient;
  connectorFor(shop: string): Promise<ErpConnector | null>;
  now?: () => Date;
  /** Called after a new shipment is stored (wakes the shipment job). */
  onRecorded?(shop: string): void;
}

const json = (status: number, body: Record<string, unknown>) => Response.json(body, { status });

async function readLimited(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_NOTICE_BYTES) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_NOTICE_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function handleShipmentNotice(request: Request, deps: NoticeDeps): Promise<Response> {
  if (request.method !== "POST") return new Response("Shipment notices are POST requests.", { status: 405, headers: { Allow: "POST" } });
  const shop = request.headers.get(SHOP_HEADER)?.trim().toLowerCase() ?? "";
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) {
    return json(400, { message: `${SHOP_HEADER} must name the shop, e.g. example.myshopify.com.` });
  }
  const body = await readLimited(request);
  if (body === null) return json(413, { message: `A shipment notice may be at most ${MAX_NOTICE_BYTES / 1024} KB; send one shipment per request.` });
  const settings = await deps.prisma.shopSettings.findUnique({ where: { shop }, select: { shipmentsOwner: true, uninstalledAt: true } });
  const connector = settings && !settings.uninstalledAt ? await deps.connectorFor(shop).catch(() => null) : null;
  if (!connector?.verifySignedNotice) {
    return json(404, { message: "This shop does not take shipment notices: the app is not installed there, or its ERP connection is not Generic HTTPS JSON." });
  }
  if (!connector.verifySignedNotice(body, request.headers.get(NOTICE_SIGNATURE_HEADER))) {
    return json(401, { message: `${NOTICE_SIGNATURE_HEADER} does not match: sign the exact body with the shop's signing secret (base64 HMAC-SHA256), as for the app's own requests.` });
  }
  if (settings?.shipmentsOwner !== "erp") {
    return json(409, { message: "This shop's shipments are owned by Shopify, so the app does not record ERP shipments. The merchant can change that in the app: Settings → Who owns what → Shipments and tracking." });
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return json(400, { message: "The body is not valid JSON." });
  }
  const parsed = parseShipmentNotice(value);
  if (!parsed.ok) return json(422, { message: "The shipment notice does not match docs/shipment-notice.schema.json.", problems: parsed.problems });
  const result = await recordShipments(deps.prisma, shop, [parsed.shipment], deps.now?.() ?? new Date());
  if (result.added || result.updated) deps.onRecorded?.(shop);
  return json(202, { shipmentId: parsed.shipment.shipmentId, status: result.added ? "accepted" : result.updated ? "updated" : "duplicate" });
}
