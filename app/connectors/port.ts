// The port every ERP connector implements. The sync engine only ever talks to
// this interface; a new ERP is a new folder under app/connectors/, registered
// in registry.ts. Nothing here knows about Remix or Prisma.
import type { ErpShipment } from "../shipments/types";
import type { CanonicalOrder, CanonicalRefund } from "../sync/order/canonical-order";

/** One field of a connector's settings form (the form is generated from this). */
export interface ConnectorConfigField {
  key: string;
  label: string;
  helpText?: string;
  type: "text" | "url" | "password" | "number" | "select";
  /** Secret fields are stored encrypted, never sent back to the browser, never logged. */
  secret: boolean;
  required: boolean;
  options?: { label: string; value: string }[];
  defaultValue?: string;
  /** Only show this field when another field has one of these values. */
  visibleWhen?: { key: string; values: string[] };
}

export interface ConnectorLimits {
  /** Requests in flight at once for one shop. */
  maxConcurrency: number;
  /** Requests allowed per window for one shop. */
  requestsPerWindow: number;
  windowMs: number;
}

export interface ConnectorDescription {
  type: string;
  name: string;
  description: string;
  fields: ConnectorConfigField[];
  defaultLimits: ConnectorLimits;
  /** Whether an unmapped SKU may be sent as the ERP item number as it is. */
  skuFallbackAllowed: boolean;
}

/** What the ERP holds for one order. */
export interface ErpOrderRef {
  /** The ERP's own id of the sales document. */
  documentId: string;
  /** The number staff see in the ERP, when it differs from the id. */
  documentNumber?: string;
  /** ERP total as a decimal string, for the totals check. */
  total?: string;
  /** Link to the document in the ERP's UI, when the connector can build one. */
  url?: string;
  /** ERP-side state ("draft", "quotation", "cancelled", …) if known. */
  status?: string;
}

/** One ERP document that carries an external id, as a read-back reports it. */
export interface ErpDocumentSummary {
  documentId: string;
  documentNumber?: string;
  /** ERP total as a decimal string (what the totals check compares). */
  total?: string;
  /** ERP-side state, as the ERP names it. */
  status?: string;
  /** The ERP holds it as cancelled (or deleted): it does not count as the order. */
  cancelled: boolean;
}

/** What kind of money a line of an ERP document carries. */
export type ErpLineKind = "item" | "shipping" | "tax" | "giftCards" | "tips" | "duties" | "adjustments" | "comment";

/** One line of an ERP document, read back for comparison. */
export interface ErpDocumentLine {
  kind: ErpLineKind;
  /** The item / product code (the SKU or its mapped item number); null on a comment. */
  code: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  /** Discount on the line as an amount (0 when the ERP line is written net). */
  discount: string;
  /** quantity × unitPrice − discount, in the document's tax convention. */
  amount: string;
}

/** An ERP document read back whole, in a shape every connector fills the same way. */
export interface ErpOrderDocument {
  documentId: string;
  documentNumber?: string;
  externalId: string;
  status?: string;
  cancelled: boolean;
  /** False when the ERP says the document no longer takes changes (shipped, invoiced, confirmed); unknown when absent. */
  editable?: boolean;
  currency?: string;
  lines: ErpDocumentLine[];
  /** Sum of the shipping lines. */
  shipping: string;
  /** The document's tax (lines on the tax product, or the tax the ERP computed). */
  tax: string;
  total: string;
  url?: string;
}

export interface ConnectorCallContext {
  /** Stable per (order, operation, version): ERPs that support it dedupe on it. */
  idempotencyKey: string;
  /** Aborted when the attempt times out or the worker shuts down. */
  signal?: AbortSignal;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** In words a merchant understands, e.g. "Connected to Tryton as admin (company: Acme)". */
  message: string;
}

/** A warehouse / stock location the ERP has (stock sync links Shopify locations to these). */
export interface ErpLocation {
  id: string;
  name: string;
}

/** One stock figure as the ERP sent it; the quantity stays raw so bad values become problem items (app/stock/erp-quantity.ts). */
export interface ErpStockRecord {
  itemNumber: string;
  locationId: string;
  quantity: unknown;
}

export interface ErpStockRead {
  records: ErpStockRecord[];
  /** True when the records cover the whole catalogue (no `since`): items without one are unknown to the ERP. */
  complete: boolean;
}

/** An item the ERP sells, as the item search lists it. */
export interface ErpItem {
  /** The item number as the ERP knows it (what a SKU is mapped to). */
  number: string;
  /** The name staff see in the ERP. */
  name: string;
}

/** Most items one search returns: a list to choose from, not a catalogue. */
export const ERP_ITEM_SEARCH_LIMIT = 20;

/** One read of the ERP's shipments (app/shipments/). */
export interface ShipmentRead {
  shipments: ErpShipment[];
  /** Where the next read starts; null keeps the current cursor. */
  next: string | null;
  /** Shipments the ERP listed that could not be read, and why (shown to staff). */
  rejected: { shipmentId?: string; problems: string[] }[];
}

export interface ErpConnector {
  testConnection(ctx?: { signal?: AbortSignal }): Promise<ConnectionTestResult>;
  /** Look an order up by its external id; null when the ERP has none. */
  findOrder(externalId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null>;
  createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef>;
  updateOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef>;
  cancelOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef>;
  recordRefund(
    ref: ErpOrderRef,
    order: CanonicalOrder,
    refund: CanonicalRefund,
    ctx: ConnectorCallContext,
  ): Promise<ErpOrderRef>;
  /**
   * The credit note a refund was recorded as, or null. The engine asks before
   * writing a refund again after an attempt whose outcome was unknown. A
   * connector without it relies on the ERP deduplicating on the idempotency
   * key (the Generic HTTPS JSON contract).
   */
  findRefund?(order: CanonicalOrder, refundId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null>;
  /**
   * Every document carrying each external id, read in batches within the
   * ERP's limits (the completeness certificate). The answer has an entry for
   * each id asked, empty when the ERP has none; two entries mean a duplicate.
   */
  readBack?(externalIds: string[], ctx: { signal?: AbortSignal }): Promise<Map<string, ErpDocumentSummary[]>>;
  /** The order's document read back whole (the three-way diff); null when the ERP has none. */
  readOrder?(target: { externalId: string; documentId?: string | null }, ctx: { signal?: AbortSignal }): Promise<ErpOrderDocument | null>;
  /**
   * Stock sync (docs/stock.md). Optional: a connector without them cannot own
   * stock, and the Settings card says so. listLocations names the ERP's
   * warehouses; readStock returns available quantities per item and
   * warehouse, all of them, or those changed since a time when the ERP can say.
   */
  listLocations?(ctx?: { signal?: AbortSignal }): Promise<ErpLocation[]>;
  readStock?(options: { since?: Date; signal?: AbortSignal }): Promise<ErpStockRead>;
  /**
   * Shipments the ERP completed for the app's orders since `since` (the
   * `next` of the previous read; null = the connector's own start). A
   * connector without it cannot own shipments: the settings page says so.
   */
  readShipments?(since: string | null, ctx: { signal?: AbortSignal }): Promise<ShipmentRead>;
  /**
   * Items whose number or name contains the query, ignoring case, at most
   * ERP_ITEM_SEARCH_LIMIT, numbers that match first (the SKU fix on the
   * order page and in Settings offers them). A read like the others: one
   * try, failures classified. A connector without it offers no search: staff
   * type the item number.
   */
  searchItems?(query: string, ctx: { signal?: AbortSignal }): Promise<ErpItem[]>;
}

export interface ConnectorDefinition<Config = unknown> {
  describe(): ConnectorDescription;
  /**
   * Validate raw settings (non-secret and secret fields merged) and return
   * the typed config, or throw ConnectorConfigError with per-field messages.
   */
  parseConfig(raw: Record<string, unknown>): Config;
  create(config: Config, deps?: ConnectorDeps): ErpConnector;
  /**
   * Optional, pure: what this connector would book for the order with these
   * settings values (the form's non-secret fields), without any request, for
   * the settings dry run. Throws the ErpError createOrder would raise for a
   * setting the order needs. Without it the dry run compares the canonical
   * order only (as the generic connector sends it).
   */
  previewDocument?(order: CanonicalOrder, values: Record<string, string | undefined>): unknown;
}

export interface ConnectorDeps {
  /** fetch to use (tests inject one; the URL guard wraps it in production). */
  fetch?: typeof fetch;
  now?: () => number;
  /**
   * The shop's limits on its ERP. A connector whose calls send several
   * requests keeps each request within them (support/request-budget.ts);
   * without them (tests) requests are not held back.
   */
  limits?: ConnectorLimits;
}

export class ConnectorConfigError extends Error {
  constructor(public readonly fieldErrors: Record<string, string>) {
    super(
      "Connector settings are invalid: " +
        Object.entries(fieldErrors)
          .map(([k, v]) => `${k}: ${v}`)
          .join("; "),
    );
    this.name = "ConnectorConfigError";
  }
}

export type ErpErrorKind = "transient" | "permanent";

/**
 * Every failure a connector raises is classified. The engine retries only
 * transient ones; permanent ones become "needs attention" with userMessage.
 */
export class ErpError extends Error {
  readonly kind: ErpErrorKind;
  /** Plain words for operations staff: what happened and what to do. */
  readonly userMessage: string;
  /** True when the request may have reached the ERP (timeout, reset after send). */
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs?: number;
  readonly httpStatus?: number;
  /** Short, redacted summary of the ERP's answer for the sync log. */
  readonly responseSummary?: string;
  /**
   * The ERP document exists but no longer takes changes (shipped, invoiced,
   * confirmed): the engine tells staff exactly what changed in Shopify.
   */
  readonly documentLocked: boolean;
  /**
   * What the order waits for in the ERP, as ["item:1001", "sku:ABC"]: the
   * engine re-queues the order when that changes (app/health/self-heal.server.ts).
   */
  readonly waitingOn?: string[];

  constructor(opts: {
    kind: ErpErrorKind;
    message: string;
    userMessage: string;
    outcomeUnknown?: boolean;
    retryAfterMs?: number;
    httpStatus?: number;
    responseSummary?: string;
    documentLocked?: boolean;
    waitingOn?: string[];
    cause?: unknown;
  }) {
    super(opts.message, { cause: opts.cause });
    this.name = "ErpError";
    this.kind = opts.kind;
    this.userMessage = opts.userMessage;
    this.outcomeUnknown = opts.outcomeUnknown ?? false;
    this.retryAfterMs = opts.retryAfterMs;
    this.httpStatus = opts.httpStatus;
    this.responseSummary = opts.responseSummary;
    this.documentLocked = opts.documentLocked ?? false;
    this.waitingOn = opts.waitingOn;
  }
}
