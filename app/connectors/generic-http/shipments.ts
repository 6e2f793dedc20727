// Shipments for the Generic HTTPS JSON connector: the signed pull
// `GET {baseUrl}/shipments?since=…` (pushed, signed shipment notices are
// checked by ./signed-notice.server.ts, like stock notices). The receiver answers
// { "shipments": [...], "next": "…" } in the shape of
// docs/shipment-notice.schema.json; a shipment that does not fit is reported
// with its problems, the others are still taken.
import { errorFromStatus } from "../http/classify";
import { parseJson, type HttpRequest, type HttpResponse } from "../http/request";
import { ErpError, type ShipmentRead } from "../port";
import { parseShipmentNotice, shipmentPageSchema } from "../../shipments/shipment-notice";

export const SHIPMENTS_PATH = "/shipments";

type Send = (req: { method: HttpRequest["method"]; path: string; isWrite: boolean; signal?: AbortSignal; idempotencyKey: string }) => Promise<HttpResponse>;

export async function readGenericShipments(send: Send, erpName: string, since: string | null, signal?: AbortSignal): Promise<ShipmentRead> {
  const path = `${SHIPMENTS_PATH}?since=${encodeURIComponent(since ?? "")}`;
  const res = await send({ method: "GET", path, isWrite: false, signal, idempotencyKey: `shipments:${since ?? ""}` });
  if (res.status < 200 || res.status >= 300) throw errorFromStatus({ erpName, isWrite: false }, res, undefined);
  const page = shipmentPageSchema.safeParse(parseJson(res.bodyText));
  if (!page.success) {
    throw new ErpError({
      kind: "permanent",
      message: `GET ${SHIPMENTS_PATH} answered without a shipments array`,
      userMessage: `${erpName} answered the shipments request in a shape the app cannot read (it must be {"shipments": [...], "next": "..."}). Ask your developer to check it against docs/shipment-notice.schema.json.`,
      httpStatus: res.status,
    });
  }
  const read: ShipmentRead = { shipments: [], next: page.data.next ?? null, rejected: [] };
  for (const raw of page.data.shipments) {
    const parsed = parseShipmentNotice(raw);
    if (parsed.ok) read.shipments.push(parsed.shipment);
    else read.rejected.push({ shipmentId: typeof (raw as { shipmentId?: unknown })?.shipmentId === "string" ? (raw as { shipmentId: string }).shipmentId : undefined, problems: parsed.problems });
  }
  return read;
}
