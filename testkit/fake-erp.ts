// An in-memory ERP behind the ErpConnector port, with fault injection. Like
// the real Tryton it does NOT dedupe by external id: two creates make two
// documents, so any duplicate the engine causes shows up in `documents`.
import {
  ErpError,
  type ConnectionTestResult,
  type ConnectorCallContext,
  type ErpConnector,
  type ErpLocation,
  type ErpOrderRef,
  type ErpStockRead,
} from "../app/connectors/port";
import type { CanonicalOrder, CanonicalRefund } from "../app/sync/order/canonical-order";
import { sleep } from "../app/lib/sleep";
import { documentLockedProblem, unknownItemsProblem } from "../app/connectors/support/order-problems";

export type FakeOperation = "findOrder" | "createOrder" | "updateOrder" | "cancelOrder" | "recordRefund" | "findRefund";

export type Fault =
  /** HTTP error before anything is committed (5xx: transient; 4xx other than 429: permanent). */
  | { kind: "http"; status: number; body?: string }
  /** The ERP commits, then the answer is lost (client timeout / connection reset). */
  | { kind: "timeoutAfterCommit" }
  /** Connection refused / timeout before the ERP saw anything. */
  | { kind: "timeoutBeforeCommit" }
  /**
   * The connection broke before the ERP read the request, but the caller
   * cannot tell (reset mid-send): nothing is committed, outcome unknown.
   */
  | { kind: "resetBeforeCommit" }
  /** 429 Too Many Requests with Retry-After. */
  | { kind: "rateLimited"; retryAfterMs: number }
  /** 422: the ERP rejects the data (permanent). */
  | { kind: "unprocessable"; message: string }
  /** Commit, then never answer until the call is aborted (a hung connection). */
  | { kind: "hangAfterCommit" }
  /** Never answer and never commit until the call is aborted (the ERP held the request without committing). */
  | { kind: "hangBeforeCommit" };

export interface FakeDocument {
  documentId: string;
  documentNumber: string;
  externalId: string;
  order: CanonicalOrder;
  /** "confirmed": shipped/invoiced in the ERP, no longer changeable (updates and cancels are refused). */
  status: "quotation" | "confirmed" | "cancelled";
  refunds: CanonicalRefund[];
  updates: number;
}

export interface FakeCall {
  operation: FakeOperation;
  externalId: string;
  idempotencyKey: string;
  startedAt: number;
}

export interface FakeErpOptions {
  /** Time each call takes (ms). */
  latencyMs?: number;
  /** Requests the ERP accepts at once; beyond it answers 429 and counts a violation. */
  concurrencyLimit?: number;
  /** Returned as the ERP's total, to simulate a totals mismatch. */
  totalFor?: (order: CanonicalOrder) => string;
  /** The ERP's clock (call times, downUntil); tests on a virtual clock pass theirs. */
  now?: () => number;
  /**
   * Item numbers the ERP has (unset: every item exists). A create or update
   * with another one is refused as the real connectors refuse it
   * (unknownItemsProblem); add to the set to "create the item in the ERP".
   */
  knownItems?: Set<string>;
}

export class FakeErp implements ErpConnector {
  readonly documents: FakeDocument[] = [];
  readonly calls: FakeCall[] = [];
  inFlight = 0;
  /** Calls that started to hang (hang faults), for tests that kill a worker mid-call. */
  hanging = 0;
  maxInFlight = 0;
  concurrencyViolations = 0;
  /** Highest number of simultaneous calls seen for one external id. */
  maxInFlightPerOrder = 0;
  private readonly inFlightByOrder = new Map<string, number>();
  private readonly faults: Array<{ operation: FakeOperation | "any"; fault: Fault; externalId?: string }> = [];
  private down: { untilMs: number; externalId?: string } | null = null;
  private nextId = 1;

  /** Stock the ERP holds (stock sync): its warehouses and item -> warehouse -> quantity (raw, so tests can send bad values). */
  readonly stockLocations: ErpLocation[] = [];
  readonly stock = new Map<string, Map<string, unknown>>();
  /** readStock fails with this (then clears it), to test ERP faults during a stock run. */
  stockFault: Error | null = null;

  constructor(public options: FakeErpOptions = {}) {}

  setStock(itemNumber: string, locationId: string, quantity: unknown): void {
    if (!this.stock.has(itemNumber)) this.stock.set(itemNumber, new Map());
    this.stock.get(itemNumber)!.set(locationId, quantity);
  }

  async listLocations(): Promise<ErpLocation[]> {
    return [...this.stockLocations];
  }

  async readStock(): Promise<ErpStockRead> {
    if (this.stockFault) {
      const fault = this.stockFault;
      this.stockFault = null;
      throw fault;
    }
    const records = [...this.stock].flatMap(([itemNumber, byLocation]) => [...byLocation].map(([locationId, quantity]) => ({ itemNumber, locationId, quantity })));
    return { records, complete: true };
  }

  /** Queue a fault for the next matching call (one call per queued fault). */
  failNext(operation: FakeOperation | "any", fault: Fault, times = 1, externalId?: string): this {
    for (let i = 0; i < times; i++) this.faults.push({ operation, fault, externalId });
    return this;
  }

  /**
   * Refuse every call (connection refused: transient, nothing committed) until
   * the ERP's clock reaches `untilMs` (Infinity: until called again); only the
   * calls about one order when `externalId` is given. downUntil(0) ends it.
   */
  downUntil(untilMs: number, externalId?: string): this {
    this.down = { untilMs, externalId };
    return this;
  }

  documentsFor(externalId: string): FakeDocument[] {
    return this.documents.filter((d) => d.externalId === externalId);
  }

  callsOf(operation: FakeOperation): FakeCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  async testConnection(): Promise<ConnectionTestResult> {
    return { ok: true, message: "Connected to the fake ERP" };
  }

  findOrder(externalId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    return this.call("findOrder", externalId, ctx, () => {
      const doc = this.documents.find((d) => d.externalId === externalId);
      return doc ? this.refOf(doc) : null;
    });
  }

  createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return this.call("createOrder", order.externalId, ctx, () => {
      this.checkItems(order);
      const n = this.nextId++;
      const doc: FakeDocument = {
        documentId: String(n),
        documentNumber: `SO${String(n).padStart(5, "0")}`,
        externalId: order.externalId,
        order: structuredClone(order),
        status: "quotation",
        refunds: [],
        updates: 0,
      };
      this.documents.push(doc);
      return this.refOf(doc);
    });
  }

  /** Staff confirmed (shipped, invoiced) the ERP document: from now on it takes no changes. */
  confirm(externalId: string): void {
    for (const doc of this.documentsFor(externalId)) doc.status = "confirmed";
  }

  updateOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return this.call("updateOrder", order.externalId, ctx, () => {
      const doc = this.mustFind(ref);
      this.checkItems(order);
      if (doc.status === "confirmed") throw documentLockedProblem(order, `fake ERP order ${doc.documentNumber}`, "confirmed", 'Make the change in the ERP by hand, then choose "Mark resolved".');
      doc.order = structuredClone(order);
      doc.updates++;
      return this.refOf(doc);
    });
  }

  cancelOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return this.call("cancelOrder", order.externalId, ctx, () => {
      const doc = this.mustFind(ref);
      doc.status = "cancelled";
      return this.refOf(doc);
    });
  }

  recordRefund(ref: ErpOrderRef, order: CanonicalOrder, refund: CanonicalRefund, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return this.call("recordRefund", order.externalId, ctx, () => {
      const doc = this.mustFind(ref);
      doc.refunds.push(structuredClone(refund));
      return this.refOf(doc);
    });
  }

  findRefund(order: CanonicalOrder, refundId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    return this.call("findRefund", order.externalId, ctx, () => {
      const doc = this.documents.find((d) => d.externalId === order.externalId && d.refunds.some((r) => r.refundId === refundId));
      return doc ? { documentId: `${doc.documentId}/refund/${refundId}` } : null;
    });
  }

  private refOf(doc: FakeDocument): ErpOrderRef {
    return {
      documentId: doc.documentId,
      documentNumber: doc.documentNumber,
      total: this.options.totalFor ? this.options.totalFor(doc.order) : doc.order.totals.total,
      status: doc.status,
    };
  }

  private mustFind(ref: ErpOrderRef): FakeDocument {
    const doc = this.documents.find((d) => d.documentId === ref.documentId);
    if (!doc) {
      throw new ErpError({
        kind: "permanent",
        message: `document ${ref.documentId} not found`,
        userMessage: `The ERP has no sales document ${ref.documentId}. It may have been deleted there.`,
        httpStatus: 404,
      });
    }
    return doc;
  }

  /** Forget every queued fault (the ERP is healthy from now on). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(operation: FakeOperation, externalId: string): Fault | null {
    const index = this.faults.findIndex(
      (f) => (f.operation === operation || f.operation === "any") && (!f.externalId || f.externalId === externalId),
    );
    return index === -1 ? null : this.faults.splice(index, 1)[0].fault;
  }

  private checkItems(order: CanonicalOrder): void {
    const known = this.options.knownItems;
    if (!known) return;
    const unknown = order.lines.filter((l) => !l.giftCard && l.itemNumber && !known.has(l.itemNumber));
    if (unknown.length) throw unknownItemsProblem(order, "the fake ERP", unknown);
  }

  private async call<T>(
    operation: FakeOperation,
    externalId: string,
    ctx: ConnectorCallContext,
    commit: () => T,
  ): Promise<T> {
    const now = this.options.now ?? Date.now;
    this.calls.push({ operation, externalId, idempotencyKey: ctx.idempotencyKey, startedAt: now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const perOrder = (this.inFlightByOrder.get(externalId) ?? 0) + 1;
    this.inFlightByOrder.set(externalId, perOrder);
    this.maxInFlightPerOrder = Math.max(this.maxInFlightPerOrder, perOrder);
    try {
      if (this.options.concurrencyLimit && this.inFlight > this.options.concurrencyLimit) {
        this.concurrencyViolations++;
        throw rateLimited(1000);
      }
      await delay(this.options.latencyMs ?? 0, ctx.signal);
      const down = this.down && now() < this.down.untilMs && (!this.down.externalId || this.down.externalId === externalId);
      const fault: Fault | null = down ? { kind: "timeoutBeforeCommit" } : this.takeFault(operation, externalId);
      if (!fault) return commit();
      switch (fault.kind) {
        case "http":
          throw new ErpError({
            kind: fault.status >= 500 ? "transient" : "permanent",
            message: `HTTP ${fault.status}`,
            userMessage:
              fault.status >= 500
                ? `The ERP had an internal error (HTTP ${fault.status}). The app will try again.`
                : `The ERP refused the request (HTTP ${fault.status}): ${fault.body ?? "no details"}.`,
            httpStatus: fault.status,
            responseSummary: fault.body,
          });
        case "rateLimited":
          throw rateLimited(fault.retryAfterMs);
        case "unprocessable":
          throw new ErpError({
            kind: "permanent",
            message: `HTTP 422 ${fault.message}`,
            userMessage: `The ERP rejected order ${externalId}: ${fault.message}. Correct it, then retry.`,
            httpStatus: 422,
            responseSummary: fault.message,
          });
        case "timeoutBeforeCommit":
          throw new ErpError({
            kind: "transient",
            message: "connect ETIMEDOUT",
            userMessage: "The ERP could not be reached. The app will try again.",
          });
        case "resetBeforeCommit":
          throw new ErpError({
            kind: "transient",
            message: "socket hang up (request may have been sent)",
            userMessage: "The connection to the ERP broke while sending. The app will check whether the order arrived and try again.",
            outcomeUnknown: true,
          });
        case "timeoutAfterCommit":
          commit();
          throw new ErpError({
            kind: "transient",
            message: "socket hang up after request was sent",
            userMessage: "The ERP did not answer in time. The app will check whether the order arrived and try again.",
            outcomeUnknown: true,
          });
        case "hangBeforeCommit":
          this.hanging++;
          await delay(2 ** 31 - 1, ctx.signal);
          throw new Error("unreachable");
        case "hangAfterCommit":
          commit();
          this.hanging++;
          // Until aborted (a timer under 2^31 ms: "forever" for a test).
          await delay(2 ** 31 - 1, ctx.signal);
          throw new Error("unreachable");
      }
      throw new Error("unknown fault");
    } finally {
      this.inFlight--;
      this.inFlightByOrder.set(externalId, (this.inFlightByOrder.get(externalId) ?? 1) - 1);
    }
  }
}

function rateLimited(retryAfterMs: number): ErpError {
  return new ErpError({
    kind: "transient",
    message: "HTTP 429",
    userMessage: "The ERP asked the app to slow down (too many requests). The app will try again shortly.",
    httpStatus: 429,
    retryAfterMs,
  });
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(ms, signal ?? undefined);
}
