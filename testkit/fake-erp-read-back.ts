// Read-back for the in-memory FakeErp (testkit/fake-erp.ts), in a module of
// its own so the fake stays one file per concern: readBack lists every
// document per external id (duplicates someone "made in the ERP" by
// `addForeignDocument` included) and readOrder gives a document's lines the
// way a connector reads them back.
import { aroundErpCalls } from "../app/connectors/around-calls";
import type { ErpConnector, ErpDocumentLine, ErpDocumentSummary, ErpOrderDocument } from "../app/connectors/port";
import { addDecimals, multiplyDecimal, subtractDecimals } from "../app/lib/decimal";
import type { FakeDocument, FakeErp } from "./fake-erp";

export interface FakeErpWithReadBack extends ErpConnector {
  readBack: NonNullable<ErpConnector["readBack"]>;
  readOrder: NonNullable<ErpConnector["readOrder"]>;
}

/** The fake with read-back; calls other than the two go to the fake itself. */
export function withReadBack(erp: FakeErp): FakeErpWithReadBack {
  const summary = (d: FakeDocument): ErpDocumentSummary => ({
    documentId: d.documentId,
    documentNumber: d.documentNumber,
    total: erp.options.totalFor ? erp.options.totalFor(d.order) : d.order.totals.total,
    status: d.status,
    cancelled: d.status === "cancelled",
  });
  const connector = aroundErpCalls(erp, (_signal, call) => call()) as FakeErpWithReadBack;
  connector.readBack = async (externalIds) => {
    const found = new Map<string, ErpDocumentSummary[]>(externalIds.map((id) => [id, []]));
    for (const d of erp.documents) found.get(d.externalId)?.push(summary(d));
    return found;
  };
  connector.readOrder = async ({ externalId, documentId }) => {
    const d = erp.documents.find((doc) => (documentId ? doc.documentId === documentId : doc.externalId === externalId));
    return d ? documentOf(d, summary(d)) : null;
  };
  return connector;
}

/** Someone in the ERP copies the order's document, keeping its external id. */
export function addForeignDocument(erp: FakeErp, externalId: string): FakeDocument {
  const original = erp.documentsFor(externalId)[0];
  if (!original) throw new Error(`the fake ERP has no document for ${externalId}`);
  const copy: FakeDocument = { ...original, documentId: `foreign-${erp.documents.length + 1}`, documentNumber: `SO-F${erp.documents.length + 1}`, refunds: [], updates: 0 };
  erp.documents.push(copy);
  return copy;
}

function documentOf(d: FakeDocument, s: ErpDocumentSummary): ErpOrderDocument {
  const o = d.order;
  const lines: ErpDocumentLine[] = [
    ...o.lines.map((l) => ({ kind: "item" as const, code: l.itemNumber ?? l.sku, description: l.title, quantity: String(l.quantity), unitPrice: l.unitPrice, discount: l.discount, amount: subtractDecimals(multiplyDecimal(l.unitPrice, l.quantity), l.discount) })),
    ...o.shippingLines.map((l) => ({ kind: "shipping" as const, code: "SHIPPING", description: l.title, quantity: "1", unitPrice: l.price, discount: l.discount, amount: subtractDecimals(l.price, l.discount) })),
  ];
  return {
    documentId: d.documentId,
    documentNumber: d.documentNumber,
    externalId: d.externalId,
    status: d.status,
    cancelled: d.status === "cancelled",
    editable: d.status === "quotation",
    currency: o.currency,
    lines,
    shipping: addDecimals("0", ...lines.filter((l) => l.kind === "shipping").map((l) => l.amount)),
    tax: o.totals.tax,
    total: s.total ?? o.totals.total,
  };
}
