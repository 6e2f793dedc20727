// The fake Business Central's posted sales shipments (API v2.0
// `salesShipments`), shaped from Microsoft's v2.0 reference (the committed
// v1.0 spec in test/fixtures has no shipments): what the connector asks for —
// `$filter=lastModifiedDateTime ge <datetime>`, `$orderby=lastModifiedDateTime
// asc,number asc`, `$top`, `$expand=salesShipmentLines` — answered as BC
// would (lines only when expanded).
import type { BcShipment } from "~/connectors/business-central/shipments";

export function salesShipmentsPage(all: BcShipment[], params: URLSearchParams): BcShipment[] {
  const since = /lastModifiedDateTime ge (\S+)/.exec(params.get("$filter") ?? "")?.[1];
  const top = Number(params.get("$top") ?? all.length);
  const expand = (params.get("$expand") ?? "").includes("salesShipmentLines");
  return all
    .filter((s) => !since || Date.parse(s.lastModifiedDateTime ?? "") >= Date.parse(since))
    .sort((a, b) => Date.parse(a.lastModifiedDateTime ?? "") - Date.parse(b.lastModifiedDateTime ?? "") || (a.number ?? "").localeCompare(b.number ?? ""))
    .slice(0, top)
    .map(({ salesShipmentLines, ...header }) => (expand ? { ...header, salesShipmentLines } : header));
}

/** Post a shipment of an order as BC does: header fields copied from the order, one line per shipped item. */
export function postedShipment(
  order: { number: string; externalDocumentNumber: string },
  lines: { item: string; quantity: number }[],
  at: string,
  n: number,
): BcShipment {
  return {
    id: `5e000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    number: `S-SHPT${102000 + n}`,
    externalDocumentNumber: order.externalDocumentNumber,
    orderNumber: order.number,
    postingDate: at.slice(0, 10),
    lastModifiedDateTime: at,
    salesShipmentLines: [
      ...lines.map((l, i) => ({ lineType: "Item", lineObjectNumber: l.item, quantity: l.quantity, sequence: 10000 * (i + 1) })),
      { lineType: "G/L Account", lineObjectNumber: "40400", quantity: 1, sequence: 90000 },
    ],
  };
}
