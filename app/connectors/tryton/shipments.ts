// Shipments for the Tryton connector: done customer shipments
// (`stock.shipment.out`, state "done") whose moves come from sale lines of the
// app's sales (found by the sale's `reference`, the external id), with the
// tracking references of their packages (`stock.package.shipping_reference`,
// from the stock_package_shipping module) or else the shipment's own
// `reference`, and the carrier's name. Read only; nothing is written.
//
// The cursor is the newest `write_date` read, in Tryton's own datetime form
// (lossless, microseconds included); each read takes shipments written at or
// after it, oldest first, so a repeat of the last ones is possible and the
// engine's idempotency by shipment id absorbs it.
import type { ShipmentRead } from "../port";
import type { ErpShipment } from "../../shipments/types";

type Call = <T>(method: string, params: unknown[]) => Promise<T>;
type TrytonDateTime = { __class__: "datetime"; year: number; month: number; day: number; hour: number; minute: number; second: number; microsecond: number };

const PAGE_SIZE = 100;

interface ShipmentRecord {
  id: number;
  number: string | null;
  reference: string | null;
  effective_date: string | null;
  write_date: TrytonDateTime | null;
  carrier: number | null;
  outgoing_moves: number[];
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

export async function readTrytonShipments(call: Call, context: Record<string, unknown>, since: string | null): Promise<ShipmentRead> {
  const domain: unknown[] = [["state", "=", "done"]];
  if (since) domain.push(["write_date", ">=", JSON.parse(since) as TrytonDateTime]);
  const shipments = await call<ShipmentRecord[]>("model.stock.shipment.out.search_read", [
    domain,
    0,
    PAGE_SIZE,
    [["write_date", "ASC"], ["id", "ASC"]],
    ["id", "number", "reference", "effective_date", "write_date", "carrier", "outgoing_moves"],
    context,
  ]);
  const read: ShipmentRead = { shipments: [], next: null, rejected: [] };
  if (shipments.length === 0) return read;
  read.next = JSON.stringify(shipments[shipments.length - 1].write_date);

  const moveIds = shipments.flatMap((s) => s.outgoing_moves);
  const moves = await call<{ id: number; product: number; quantity: number; origin: string | null; state: string }[]>("model.stock.move.read", [
    moveIds,
    ["id", "product", "quantity", "origin", "state"],
    context,
  ]);
  const saleLineIds = [...new Set(moves.map((m) => /^sale\.line,(\d+)$/.exec(m.origin ?? "")?.[1]).filter(Boolean).map(Number))];
  const saleLines = saleLineIds.length ? await call<{ id: number; sale: number }[]>("model.sale.line.read", [saleLineIds, ["id", "sale"], context]) : [];
  const saleIds = [...new Set(saleLines.map((l) => l.sale))];
  const sales = saleIds.length ? await call<{ id: number; reference: string | null }[]>("model.sale.sale.read", [saleIds, ["id", "reference"], context]) : [];
  const products = await call<{ id: number; code: string | null }[]>("model.product.product.read", [[...new Set(moves.map((m) => m.product))], ["id", "code"], context]);
  const carrierIds = [...new Set(shipments.map((s) => s.carrier).filter((c): c is number => c !== null))];
  // The carrier's name is its party's ("DHL Express"); the carrier's own
  // rec_name adds its service product, which Shopify would not recognise.
  const carriers = carrierIds.length ? await call<{ id: number; party: number }[]>("model.carrier.read", [carrierIds, ["id", "party"], context]) : [];
  const carrierParties = carriers.length ? await call<{ id: number; name: string }[]>("model.party.party.read", [[...new Set(carriers.map((c) => c.party))], ["id", "name"], context]) : [];
  const packages = await call<{ shipment: string | null; shipping_reference: string | null; shipping_tracking_url: string | null }[]>("model.stock.package.search_read", [
    [["shipment", "in", shipments.map((s) => `stock.shipment.out,${s.id}`)]],
    0,
    null,
    [["id", "ASC"]],
    ["shipment", "shipping_reference", "shipping_tracking_url"],
    context,
  ]);

  const saleOfLine = new Map(saleLines.map((l) => [l.id, l.sale]));
  const referenceOfSale = new Map(sales.map((s) => [s.id, str(s.reference)]));
  const codeOf = new Map(products.map((p) => [p.id, str(p.code)]));
  const partyName = new Map(carrierParties.map((p) => [p.id, p.name]));
  const carrierName = new Map(carriers.map((c) => [c.id, partyName.get(c.party) ?? null]));
  const moveById = new Map(moves.map((m) => [m.id, m]));

  for (const s of shipments) {
    // Lines by the sale they come from: normally one sale per shipment.
    const bySale = new Map<string, Map<string, number>>();
    for (const id of s.outgoing_moves) {
      const m = moveById.get(id);
      if (!m || m.state !== "done") continue;
      const lineId = Number(/^sale\.line,(\d+)$/.exec(m.origin ?? "")?.[1]);
      const reference = referenceOfSale.get(saleOfLine.get(lineId) ?? -1);
      if (!reference || reference.includes("/refund/")) continue; // not one of the app's sales
      const code = codeOf.get(m.product) ?? `product ${m.product}`;
      const lines = bySale.get(reference) ?? new Map<string, number>();
      lines.set(code, (lines.get(code) ?? 0) + m.quantity);
      bySale.set(reference, lines);
    }
    const own = packages.filter((p) => p.shipment === `stock.shipment.out,${s.id}`);
    const company = s.carrier !== null ? (carrierName.get(s.carrier) ?? null) : null;
    const tracking = own
      .filter((p) => str(p.shipping_reference))
      .map((p) => ({ number: str(p.shipping_reference)!, company, url: str(p.shipping_tracking_url) }));
    if (tracking.length === 0 && str(s.reference)) tracking.push({ number: str(s.reference)!, company, url: null });
    for (const [reference, lines] of bySale) {
      const shipment: ErpShipment = {
        shipmentId: bySale.size === 1 ? String(s.id) : `${s.id}/${reference}`,
        documentNumber: s.number,
        externalId: reference,
        shippedAt: s.effective_date,
        locationName: null,
        lines: [...lines].map(([sku, quantity]) => ({ sku, quantity })),
        tracking,
      };
      read.shipments.push(shipment);
    }
  }
  return read;
}
