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
  type ErpOrderRef,
  type ShipmentRead,
} from "../port";
import { joinUrl } from "../support/parse-config";
import { genericHttpLimits, type GenericHttpConfig } from "./config";
import { buildOrderRequest, type GenericOperation } from "./request-body";
import { readGenericShipments, verifySignature } from "./shipments";
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

  readShipments(since: string | null, ctx: { signal?: AbortSignal } = {}): Promise<ShipmentRead> {
    return readGenericShipments((req) => this.send(req), GENERIC_HTTP_NAME, since, ctx.signal);
  }

  verifySignedNotice(rawBody: string, signature: string | null): boolean {
    return verifySignature(rawBody, signature, this.config.signingSecret);
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
