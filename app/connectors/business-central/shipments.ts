// Shipments for the Business Central connector: posted sales shipments of
// the app's orders (API v2.0 `salesShipments` with `$expand=salesShipmentLines`,
// Microsoft's v2.0 reference: docs/shipments.md). The sales order's
// externalDocumentNumber (the external id) is copied to the shipment when it
// is posted, so it names the order. Item lines become shipment lines by item
// number; the standard API has no package tracking number or shipping agent
// on a shipment, so these shipments carry no tracking (docs/shipments.md lists
// the options). API v1.0 has no salesShipments at all.
//
// The cursor is the newest lastModifiedDateTime read; each read takes
// shipments modified at or after it, oldest first (a repeat of the last ones
// is absorbed by the engine's idempotency by shipment id).
import { ErpError, type ShipmentRead } from "../port";
import type { ErpShipment } from "../../shipments/types";

const PAGE_SIZE = 100;

export interface BcShipmentLine {
  lineType?: string;
  lineObjectNumber?: string;
  quantity?: number;
}

export interface BcShipment {
  id: string;
  number?: string;
  externalDocumentNumber?: string;
  orderNumber?: string;
  postingDate?: string;
  lastModifiedDateTime?: string;
  salesShipmentLines?: BcShipmentLine[];
}

type GetJson = <T>(path: string, query: Record<string, string>) => Promise<T>;

export async function readBusinessCentralShipments(get: GetJson, company: string, apiVersion: string, since: string | null): Promise<ShipmentRead> {
  if (apiVersion !== "v2.0") {
    throw new ErpError({
      kind: "permanent",
      message: "Business Central API v1.0 has no salesShipments",
      userMessage: "Business Central's API v1.0 has no sales shipments, so the app cannot read them. Choose API version v2.0 in Settings → ERP connection, or let Shopify own shipments.",
    });
  }
  const query: Record<string, string> = {
    $orderby: "lastModifiedDateTime asc,number asc",
    $top: String(PAGE_SIZE),
    $expand: "salesShipmentLines",
  };
  if (since) query.$filter = `lastModifiedDateTime ge ${since}`;
  const list = await get<{ value?: BcShipment[] }>(`${company}/salesShipments`, query);
  const rows = list.value ?? [];
  const read: ShipmentRead = { shipments: [], next: rows.at(-1)?.lastModifiedDateTime ?? null, rejected: [] };
  for (const s of rows) {
    const externalId = s.externalDocumentNumber?.trim();
    if (!externalId) continue; // not posted from one of the app's orders
    const lines = new Map<string, number>();
    for (const l of s.salesShipmentLines ?? []) {
      if (l.lineType !== "Item" || !l.lineObjectNumber || !l.quantity) continue;
      lines.set(l.lineObjectNumber, (lines.get(l.lineObjectNumber) ?? 0) + l.quantity);
    }
    const shipment: ErpShipment = {
      shipmentId: s.id,
      documentNumber: s.number ?? null,
      externalId,
      shippedAt: s.postingDate ?? null,
      locationName: null,
      lines: [...lines].map(([sku, quantity]) => ({ sku, quantity })),
      tracking: [],
    };
    if (shipment.lines.length) read.shipments.push(shipment);
  }
  return read;
}
