// Generic HTTPS JSON connector: sends the canonical order, signed, to any
// service that follows the documented contract (docs/connectors.md).
import { z } from "zod";
import { CANONICAL_ORDER_SCHEMA_VERSION, type CanonicalOrder, type CanonicalRefund } from "../../sync/order/canonical-order";
import { errorFromStatus, sentence } from "../http/classify";
import { parseJson, sendRequest, type HttpRequest, type HttpResponse } from "../http/request";
import {
  ErpError,
  type ConnectionTestResult,
  type ConnectorCallContext,
  type ConnectorDeps,
  type ConnectorLimits,
  type ErpConnector,
  type ErpDocumentSummary,
  type ErpOrderDocument,
  type ErpLocation,
  type ErpOrderRef,
  type ErpStockRead,
  type ShipmentRead,
} from "../port";
import { addDecimals, isDecimal, multiplyDecimal, subtractDecimals } from "../../lib/decimal";
import { joinUrl } from "../support/parse-config";
import { genericHttpLimits, type GenericHttpConfig } from "./config";
import { buildOrderRequest, type GenericOperation } from "./request-body";
import { readGenericShipments } from "./shipments";
import { IDEMPOTENCY_KEY_HEADER, SCHEMA_VERSION_HEADER, SIGNATURE_HEADER, signBody } from "./signing";

export const GENERIC_HTTP_NAME = "your order service";

const idOrNumber = z.union([z.string().min(1), z.number()]).transform(String);

/** What a receiver answers for an order (create/update/cancel/refund/look-up). */
const documentAnswer = z.object({
  documentId: idOrNumber,
  documentNumber: idOrNumber.optional(),
  total: idOrNumber.optional(),
  url: z.string().url().optional(),
  status: z.string().optional(),
});

/** External ids per read-back request: keeps the URL well under the 8 KB servers commonly accept. */
export const GENERIC_READ_BACK_BATCH = 50;

const decimal = idOrNumber.refine(isDecimal, "must be a decimal amount");

/** What a receiver answers to a read-back (docs/connectors.md, "Reading orders back"). */
const readBackAnswer = z.object({
  documents: z.array(
    z.object({
      externalId: z.string(),
      documentId: idOrNumber,
      documentNumber: idOrNumber.optional(),
      total: idOrNumber.optional(),
      status: z.string().optional(),
      cancelled: z.boolean().optional(),
    }),
  ),
});

/** The look-up answer with the document's lines (readOrder). */
const documentWithLines = z.object({
  externalId: z.string().optional(),
  cancelled: z.boolean().optional(),
  editable: z.boolean().optional(),
  currency: z.string().optional(),
  shipping: decimal.optional(),
  tax: decimal.optional(),
  lines: z.array(
    z.object({
      kind: z.enum(["item", "shipping", "tax", "giftCards", "tips", "duties", "adjustments", "comment"]).default("item"),
      code: z.string().nullable().optional(),
      description: z.string().default(""),
      quantity: decimal,
      unitPrice: decimal,
      discount: decimal.default("0"),
    }),
  ),
});

/** What a receiver answers when it rejects a request. */
const errorAnswer = z.object({
  message: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string().optional(), message: z.string() }))
    .optional(),
});

/** "Customer email is invalid (customer.email: must be an address)". */
export function describeReceiverError(bodyText: string): string | undefined {
  const parsed = errorAnswer.safeParse(parseJson(bodyText));
  if (!parsed.success) return undefined;
  const fields = (parsed.data.errors ?? [])
    .slice(0, 5)
    .map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))
    .join("; ");
  const message = parsed.data.message?.slice(0, 300);
  if (message && fields) return `${message} (${fields})`;
  return message || fields || undefined;
}

export const STOCK_PATH = "/stock";
export const STOCK_LOCATIONS_PATH = "/stock/locations";
const MAX_STOCK_PAGES = 10_000;

const locationsAnswer = z.object({ locations: z.array(z.object({ id: idOrNumber, name: z.string() })) });
const stockPage = z.object({
  items: z.array(z.object({ itemNumber: idOrNumber, locationId: idOrNumber, quantity: z.unknown() })),
  nextCursor: z.string().min(1).nullish(),
});

export class GenericHttpConnector implements ErpConnector {
  readonly limits: ConnectorLimits;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly config: GenericHttpConfig,
    deps: ConnectorDeps = {},
  ) {
    this.fetchFn = deps.fetch ?? fetch;
    this.limits = genericHttpLimits(config);
  }

  async testConnection(ctx: { signal?: AbortSignal } = {}): Promise<ConnectionTestResult> {
    const probeId = "connection-test";
    try {
      const res = await this.send({ method: "GET", path: this.fill(this.config.lookupPath, probeId), isWrite: false, signal: ctx.signal, idempotencyKey: probeId });
      if (res.status === 404 || (res.status >= 200 && res.status < 300)) {
        return { ok: true, message: `Connected to ${new URL(this.config.baseUrl).host}: it accepted our signed request.` };
      }
      const error = errorFromStatus({ erpName: GENERIC_HTTP_NAME, isWrite: false }, res, describeReceiverError(res.bodyText));
      return { ok: false, message: error.userMessage };
    } catch (error) {
      return { ok: false, message: error instanceof ErpError ? error.userMessage : "The connection test failed unexpectedly." };
    }
  }

  async findOrder(externalId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    const res = await this.send({
      method: "GET",
      path: this.fill(this.config.lookupPath, externalId),
      isWrite: false,
      signal: ctx.signal,
      idempotencyKey: ctx.idempotencyKey,
    });
    if (res.status === 404) return null;
    return this.documentFrom(res, false);
  }

  async createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    const res = await this.sendOperation("create", "POST", this.config.createPath, order, null, null, ctx);
    if (res.status === 409) {
      // The receiver already has this order (an earlier attempt got through):
      // adopt its document instead of failing.
      const existing = await this.findOrder(order.externalId, ctx);
      if (existing) return existing;
    }
    return this.documentFrom(res, true);
  }

  async updateOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    const res = await this.sendOperation("update", "PUT", this.config.updatePath, order, ref, null, ctx);
    return this.documentFrom(res, true);
  }

  async cancelOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    const res = await this.sendOperation("cancel", "POST", this.config.cancelPath, order, ref, null, ctx);
    return this.documentFrom(res, true);
  }

  async recordRefund(ref: ErpOrderRef, order: CanonicalOrder, refund: CanonicalRefund, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    const res = await this.sendOperation("refund", "POST", this.config.refundPath, order, ref, refund, ctx);
    return this.documentFrom(res, true);
  }

  /** `GET <readBackPath>?externalIds=a,b,c`, GENERIC_READ_BACK_BATCH ids per request, signed like every request. */
  async readBack(externalIds: string[], ctx: { signal?: AbortSignal }): Promise<Map<string, ErpDocumentSummary[]>> {
    const found = new Map<string, ErpDocumentSummary[]>(externalIds.map((id) => [id, []]));
    const ids = [...found.keys()];
    for (let i = 0; i < ids.length; i += GENERIC_READ_BACK_BATCH) {
      const batch = ids.slice(i, i + GENERIC_READ_BACK_BATCH);
      const res = await this.send({
        method: "GET",
        path: `${this.config.readBackPath}?externalIds=${batch.map(encodeURIComponent).join(",")}`,
        isWrite: false,
        signal: ctx.signal,
        idempotencyKey: `read-back:${batch[0]}:${batch.length}`,
      });
      if (res.status < 200 || res.status >= 300) throw errorFromStatus({ erpName: GENERIC_HTTP_NAME, isWrite: false }, res, describeReceiverError(res.bodyText));
      const parsed = readBackAnswer.safeParse(parseJson(res.bodyText));
      if (!parsed.success) throw this.badAnswer(res, 'a list of documents ({"documents": [{"externalId", "documentId", …}]})');
      for (const d of parsed.data.documents) {
        found.get(d.externalId)?.push({
          documentId: d.documentId,
          documentNumber: d.documentNumber,
          total: d.total,
          status: d.status,
          cancelled: d.cancelled ?? d.status === "cancelled",
        });
      }
    }
    return found;
  }

  /** The look-up path's answer, which must then carry the document's lines. */
  async readOrder(target: { externalId: string; documentId?: string | null }, ctx: { signal?: AbortSignal }): Promise<ErpOrderDocument | null> {
    const res = await this.send({
      method: "GET",
      path: this.fill(this.config.lookupPath, target.externalId, target.documentId ?? undefined),
      isWrite: false,
      signal: ctx.signal,
      idempotencyKey: `read-order:${target.externalId}`,
    });
    if (res.status === 404) return null;
    const ref = this.documentFrom(res, false);
    const parsed = documentWithLines.safeParse(parseJson(res.bodyText));
    if (!parsed.success) throw this.badAnswer(res, 'the document\'s lines ("lines": [{"code", "quantity", "unitPrice", …}])');
    const d = parsed.data;
    const lines = d.lines.map((l) => ({
      kind: l.kind,
      code: l.code ?? null,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      amount: l.kind === "comment" ? "0" : subtractDecimals(multiplyQuantity(l.unitPrice, l.quantity), l.discount),
    }));
    const sum = (kind: string) => addDecimals("0", ...lines.filter((l) => l.kind === kind).map((l) => l.amount));
    return {
      documentId: ref.documentId,
      documentNumber: ref.documentNumber,
      externalId: d.externalId ?? target.externalId,
      status: ref.status,
      cancelled: d.cancelled ?? ref.status === "cancelled",
      editable: d.editable,
      currency: d.currency,
      lines,
      shipping: d.shipping ?? sum("shipping"),
      tax: d.tax ?? sum("tax"),
      total: ref.total ?? addDecimals("0", ...lines.map((l) => l.amount)),
      url: ref.url,
    };
  }

  private badAnswer(res: HttpResponse, what: string): ErpError {
    return new ErpError({
      kind: "permanent",
      message: `Receiver answered HTTP ${res.status} without ${what}`,
      userMessage: `${sentence(GENERIC_HTTP_NAME)} answered, but not with ${what} as docs/connectors.md describes. Ask your developer to add it; nothing was changed.`,
      httpStatus: res.status,
      responseSummary: res.bodyText.slice(0, 200),
    });
  }

  /** GET /stock/locations: `{ "locations": [{ "id", "name" }] }` (docs/stock.md). */
  async listLocations(ctx: { signal?: AbortSignal } = {}): Promise<ErpLocation[]> {
    const res = await this.send({ method: "GET", path: STOCK_LOCATIONS_PATH, isWrite: false, signal: ctx.signal, idempotencyKey: "stock-locations" });
    const parsed = locationsAnswer.safeParse(this.okJson(res));
    if (!parsed.success) throw this.badStockAnswer(res, `"locations": [{ "id", "name" }]`);
    return parsed.data.locations;
  }

  /**
   * GET /stock?since=…&cursor=…, page after page until nextCursor is null.
   * Quantities stay as sent: bad ones become problem items, not a failed read.
   */
  async readStock(options: { since?: Date; signal?: AbortSignal } = {}): Promise<ErpStockRead> {
    const records: ErpStockRead["records"] = [];
    let cursor: string | null = null;
    for (let page = 0; ; page++) {
      if (page >= MAX_STOCK_PAGES) throw this.badStockAnswer(undefined, `at most ${MAX_STOCK_PAGES} pages (nextCursor never ended)`);
      const query = new URLSearchParams();
      if (options.since) query.set("since", options.since.toISOString());
      if (cursor) query.set("cursor", cursor);
      const qs = query.toString();
      const res = await this.send({ method: "GET", path: `${STOCK_PATH}${qs ? `?${qs}` : ""}`, isWrite: false, signal: options.signal, idempotencyKey: `stock-${page}` });
      const parsed = stockPage.safeParse(this.okJson(res));
      if (!parsed.success) throw this.badStockAnswer(res, `"items": [{ "itemNumber", "locationId", "quantity" }], "nextCursor"`);
      for (const item of parsed.data.items) records.push({ itemNumber: item.itemNumber, locationId: item.locationId, quantity: item.quantity });
      cursor = parsed.data.nextCursor ?? null;
      if (!cursor) break;
    }
    return { records, complete: !options.since };
  }

  private okJson(res: HttpResponse): unknown {
    if (res.status < 200 || res.status >= 300) throw errorFromStatus({ erpName: GENERIC_HTTP_NAME, isWrite: false }, res, describeReceiverError(res.bodyText));
    return parseJson(res.bodyText);
  }

  private badStockAnswer(res: HttpResponse | undefined, expected: string): ErpError {
    return new ErpError({
      kind: "permanent",
      message: `Stock answer not understood (expected ${expected})`,
      userMessage: `${sentence(GENERIC_HTTP_NAME)} answered the stock request in a shape the app does not understand (expected ${expected}). Ask your developer to follow the stock contract in the app's documentation; no stock was changed.`,
      httpStatus: res?.status,
    });
  }

  readShipments(since: string | null, ctx: { signal?: AbortSignal } = {}): Promise<ShipmentRead> {
    return readGenericShipments((req) => this.send(req), GENERIC_HTTP_NAME, since, ctx.signal);
  }

  private sendOperation(
    operation: GenericOperation,
    method: HttpRequest["method"],
    pathTemplate: string,
    order: CanonicalOrder,
    ref: ErpOrderRef | null,
    refund: CanonicalRefund | null,
    ctx: ConnectorCallContext,
  ): Promise<HttpResponse> {
    const body = JSON.stringify(buildOrderRequest(operation, order, { erpDocument: ref, refund }));
    return this.send({
      method,
      path: this.fill(pathTemplate, order.externalId, ref?.documentId),
      body,
      isWrite: true,
      signal: ctx.signal,
      idempotencyKey: ctx.idempotencyKey,
    });
  }

  private async send(req: {
    method: HttpRequest["method"];
    path: string;
    body?: string;
    isWrite: boolean;
    signal?: AbortSignal;
    idempotencyKey: string;
  }): Promise<HttpResponse> {
    const body = req.body ?? "";
    const headers: Record<string, string> = {
      Accept: "application/json",
      [IDEMPOTENCY_KEY_HEADER]: req.idempotencyKey,
      [SIGNATURE_HEADER]: signBody(body, this.config.signingSecret),
      [SCHEMA_VERSION_HEADER]: CANONICAL_ORDER_SCHEMA_VERSION,
      ...this.authHeaders(),
    };
    if (req.body !== undefined) headers["Content-Type"] = "application/json";
    return sendRequest(this.fetchFn, {
      erpName: GENERIC_HTTP_NAME,
      isWrite: req.isWrite,
      url: joinUrl(this.config.baseUrl, req.path),
      method: req.method,
      headers,
      body: req.body,
      timeoutMs: this.config.timeoutMs,
      signal: req.signal,
    });
  }

  private authHeaders(): Record<string, string> {
    const c = this.config;
    switch (c.authType) {
      case "bearer":
        return { Authorization: `Bearer ${c.bearerToken}` };
      case "basic":
        return { Authorization: `Basic ${Buffer.from(`${c.basicUsername}:${c.basicPassword}`).toString("base64")}` };
      case "header":
        return { [c.headerName!]: c.headerValue! };
      default:
        return {};
    }
  }

  private fill(template: string, externalId: string, documentId?: string): string {
    return template
      .replaceAll("{externalId}", encodeURIComponent(externalId))
      .replaceAll("{documentId}", encodeURIComponent(documentId ?? externalId));
  }

  private documentFrom(res: HttpResponse, isWrite: boolean): ErpOrderRef {
    if (res.status < 200 || res.status >= 300) {
      throw errorFromStatus({ erpName: GENERIC_HTTP_NAME, isWrite }, res, describeReceiverError(res.bodyText));
    }
    const parsed = documentAnswer.safeParse(parseJson(res.bodyText));
    if (!parsed.success) {
      // The receiver said yes but we cannot tell which document it made: the
      // write happened, so this is not retryable blindly and needs a human.
      throw new ErpError({
        kind: "permanent",
        message: `Receiver answered HTTP ${res.status} without a documentId`,
        userMessage: `${sentence(GENERIC_HTTP_NAME)} accepted the request but did not say which document it created (the answer must contain "documentId"). Ask your developer to fix the answer, then retry; the order will be looked up first, so it is not sent twice.`,
        outcomeUnknown: isWrite,
        httpStatus: res.status,
      });
    }
    const d = parsed.data;
    return { documentId: d.documentId, documentNumber: d.documentNumber, total: d.total, url: d.url, status: d.status };
  }
}

/** unitPrice × quantity for a decimal quantity (whole quantities exactly; others to the cent). */
function multiplyQuantity(unitPrice: string, quantity: string): string {
  const q = Number(quantity);
  return Number.isInteger(q) ? multiplyDecimal(unitPrice, q) : (Number(unitPrice) * q).toFixed(2);
}
