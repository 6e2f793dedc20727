// Business Central connector: each order becomes a sales order whose
// externalDocumentNumber is the external id; refunds become sales credit
// memos. BC does not enforce unique external document numbers, so creates are
// "look up, then create" under a per-order lock.
import type { CanonicalOrder, CanonicalRefund } from "../../sync/order/canonical-order";
import { ErpError, type ConnectionTestResult, type ConnectorCallContext, type ConnectorDeps, type ErpConnector, type ErpOrderRef } from "../port";
import { KeyedLock } from "../../lib/keyed-lock";
import { creditNoteParts, salesDocumentParts, type BookingKey, type DocumentPart } from "../support/document-parts";
import { asOutcomeUnknown, documentLockedProblem, orderProblem, unknownItemsProblem, unknownSettingProblem } from "../support/order-problems";
import { BUSINESS_CENTRAL_NAME, BusinessCentralApiClient, odataString } from "./api-client";
import { BUSINESS_CENTRAL_SCOPE, apiBaseUrlOf, businessCentralBookings, tokenUrlOf, type BusinessCentralConfig } from "./config";
import { creditMemoHeader, documentLines, salesOrderHeader, type BcLine, type LineResolution } from "./payload";
import { ClientCredentialsTokenProvider } from "./token-provider";

/** BC's limit on externalDocumentNumber. */
const EXTERNAL_DOCUMENT_NUMBER_MAX = 35;
/** Statuses in which BC still lets the API change or delete a sales order. */
const EDITABLE_STATUSES = new Set(["Draft", "Open", "In Review"]);

interface BcDocument {
  id: string;
  number?: string | null;
  externalDocumentNumber?: string | null;
  status?: string | null;
  totalAmountIncludingTax?: number | string | null;
  customerNumber?: string | null;
  /** Read-only in the API: BC copies the customer's "Prices Including VAT". */
  pricesIncludeTax?: boolean | null;
  "@odata.etag"?: string;
}

interface BcList<T> {
  value: T[];
}

const orderLocks = new KeyedLock();

type DocumentKind = {
  entitySet: "salesOrders" | "salesCreditMemos" | "salesInvoices";
  linesSet: "salesOrderLines" | "salesCreditMemoLines" | "salesInvoiceLines";
  page: number;
};
const SALES_ORDER: DocumentKind = { entitySet: "salesOrders", linesSet: "salesOrderLines", page: 42 };
const CREDIT_MEMO: DocumentKind = { entitySet: "salesCreditMemos", linesSet: "salesCreditMemoLines", page: 44 };
/** Read only: where BC moves a sales order once it is shipped and invoiced. */
const SALES_INVOICE: DocumentKind = { entitySet: "salesInvoices", linesSet: "salesInvoiceLines", page: 143 };

export class BusinessCentralConnector implements ErpConnector {
  private readonly api: BusinessCentralApiClient;

  constructor(
    private readonly config: BusinessCentralConfig,
    deps: ConnectorDeps = {},
  ) {
    const fetchFn = deps.fetch ?? fetch;
    const tokens = new ClientCredentialsTokenProvider(
      { tokenUrl: tokenUrlOf(config), clientId: config.clientId, clientSecret: config.clientSecret, scope: BUSINESS_CENTRAL_SCOPE, timeoutMs: config.timeoutMs },
      fetchFn,
      deps.now,
    );
    this.api = new BusinessCentralApiClient(apiBaseUrlOf(config), tokens, fetchFn, config.timeoutMs);
  }

  private get company(): string {
    return `companies(${this.config.companyId})`;
  }

  async testConnection(ctx: { signal?: AbortSignal } = {}): Promise<ConnectionTestResult> {
    try {
      const company = await this.api.json<{ name?: string; displayName?: string }>({ method: "GET", path: this.company, isWrite: false, signal: ctx.signal });
      return { ok: true, message: `Connected to Business Central (${this.config.environment}), company "${company.displayName || company.name || this.config.companyId}".` };
    } catch (error) {
      return { ok: false, message: error instanceof ErpError ? error.userMessage : "The connection test failed unexpectedly." };
    }
  }

  async findOrder(externalId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    const order = await this.findDocument(SALES_ORDER, externalId, ctx.signal);
    if (order) return this.refOf(SALES_ORDER, order);
    // Once shipped and invoiced, BC turns the order into a posted invoice and
    // removes it from salesOrders; it still exists and must not be re-created.
    const invoices = await this.api.json<BcList<BcDocument>>({
      method: "GET",
      path: `${this.company}/salesInvoices`,
      query: { $filter: `externalDocumentNumber eq ${odataString(externalId)}`, $top: "1" },
      isWrite: false,
      signal: ctx.signal,
    });
    const invoice = invoices.value?.[0];
    return invoice ? { ...this.refOf(null, invoice), status: `invoiced (${invoice.status ?? "posted"})` } : null;
  }

  async createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    this.checkExternalNumber(order, order.externalId);
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const existing = await this.findOrder(order.externalId, ctx);
      if (existing) return existing;

      const linesFor = await this.salesOrderLines(order, ctx.signal);
      const customerNumber = await this.customerNumber(order, ctx.signal);
      const header = salesOrderHeader(order, { version: this.config.apiVersion, customerNumber, localCurrencyCode: this.config.localCurrencyCode });
      return this.createDocument(SALES_ORDER, header, linesFor, false, ctx);
    });
  }

  async updateOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const current = await this.getDocument(SALES_ORDER, ref.documentId, ctx.signal);
      if (!current) throw this.documentGone(order, ref);
      if (current.status && !EDITABLE_STATUSES.has(current.status)) {
        throw documentLockedProblem(order, `Business Central sales order ${current.number ?? ref.documentId}`, current.status, "Reopen it in Business Central and choose \"Retry\", or make the change there by hand and choose \"Mark resolved\".");
      }
      const lines = (await this.salesOrderLines(order, ctx.signal))(current.pricesIncludeTax === true);
      try {
        const header = salesOrderHeader(order, { version: this.config.apiVersion, customerNumber: current.customerNumber ?? "", localCurrencyCode: this.config.localCurrencyCode });
        // The customer stays as it is: changing it on an existing order recalculates prices in BC.
        delete header.customerNumber;
        delete header.externalDocumentNumber;
        await this.api.json({
          method: "PATCH",
          path: `${this.company}/${SALES_ORDER.entitySet}(${ref.documentId})`,
          body: JSON.stringify(header),
          ifMatch: current["@odata.etag"] ?? "*",
          isWrite: true,
          signal: ctx.signal,
        });
        await this.replaceLines(SALES_ORDER, ref.documentId, lines, ctx.signal);
        return this.refOf(SALES_ORDER, (await this.getDocument(SALES_ORDER, ref.documentId, ctx.signal))!);
      } catch (error) {
        throw asOutcomeUnknown(error);
      }
    });
  }

  /**
   * BC has no "cancelled" state for sales orders: cancelling deletes the
   * (unposted) order. An order already gone counts as cancelled.
   */
  async cancelOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const res = await this.api.send({ method: "DELETE", path: `${this.company}/${SALES_ORDER.entitySet}(${ref.documentId})`, ifMatch: "*", isWrite: true, signal: ctx.signal });
      if (res.status !== 404) this.api.throwIfFailed(res, true);
      return { ...ref, status: "deleted" };
    });
  }

  async recordRefund(ref: ErpOrderRef, order: CanonicalOrder, refund: CanonicalRefund, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    const externalNumber = `${order.externalId}-R${refund.refundId}`;
    this.checkExternalNumber(order, externalNumber);
    return orderLocks.run(this.lockKey(externalNumber), async () => {
      const existing = await this.findDocument(CREDIT_MEMO, externalNumber, ctx.signal);
      if (existing) return this.orderRefAfterRefund(ref, ctx.signal);

      const bookings = businessCentralBookings(this.config);
      const note = (pricesIncludeTax: boolean) => creditNoteParts(order, refund, bookings, { erpAddsTax: true, pricesIncludeTax });
      // Checks items and settings before anything is written.
      const resolution = await this.resolveBookings(order, note(false).parts, ctx.signal);
      const linesFor = (pricesIncludeTax: boolean) => {
        const { parts, exchangeNote } = note(pricesIncludeTax);
        const notes = exchangeNote ? [exchangeNote] : parts.length === 0 ? [`Refund of ${refund.amount} ${order.currency} without returned items`] : [];
        return documentLines(parts, resolution, notes);
      };
      // The credit memo has the order's customer, hence its "Prices Including VAT".
      const orderDoc = await this.orderDocument(ref, ctx.signal);
      const customerNumber = orderDoc?.customerNumber || (await this.customerNumber(order, ctx.signal));
      const header = creditMemoHeader(order, refund, externalNumber, { version: this.config.apiVersion, customerNumber, localCurrencyCode: this.config.localCurrencyCode });
      await this.createDocument(CREDIT_MEMO, header, linesFor, orderDoc?.pricesIncludeTax === true, ctx);
      return this.orderRefAfterRefund(ref, ctx.signal);
    });
  }

  /** The credit memo a refund was recorded as, if any (for staff and tests). */
  async findRefund(order: CanonicalOrder, refundId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    const memo = await this.findDocument(CREDIT_MEMO, `${order.externalId}-R${refundId}`, ctx.signal);
    return memo ? this.refOf(CREDIT_MEMO, memo) : null;
  }

  /** recordRefund answers with the ORDER's document: the engine keeps it as the order's reference. */
  private async orderRefAfterRefund(ref: ErpOrderRef, signal?: AbortSignal): Promise<ErpOrderRef> {
    const doc = await this.getDocument(SALES_ORDER, ref.documentId, signal).catch(() => null);
    return doc ? this.refOf(SALES_ORDER, doc) : ref;
  }

  // --- documents -------------------------------------------------------------

  private async findDocument(kind: DocumentKind, externalNumber: string, signal?: AbortSignal): Promise<BcDocument | null> {
    const list = await this.api.json<BcList<BcDocument>>({
      method: "GET",
      path: `${this.company}/${kind.entitySet}`,
      query: { $filter: `externalDocumentNumber eq ${odataString(externalNumber)}`, $top: "1" },
      isWrite: false,
      signal,
    });
    return list.value?.[0] ?? null;
  }

  private async getDocument(kind: DocumentKind, id: string, signal?: AbortSignal): Promise<BcDocument | null> {
    const res = await this.api.send({ method: "GET", path: `${this.company}/${kind.entitySet}(${id})`, isWrite: false, signal });
    if (res.status === 404) return null;
    this.api.throwIfFailed(res, false);
    return JSON.parse(res.bodyText) as BcDocument;
  }

  /**
   * Creates a document with its lines priced in the convention BC gives it.
   * The API does not let a client set `pricesIncludeTax` (read-only: BC takes
   * "Prices Including VAT" from the customer), so lines are built for the
   * expected convention and, when the created document says otherwise, built
   * again for its convention before anything else happens.
   */
  private async createDocument(
    kind: DocumentKind,
    header: Record<string, unknown>,
    linesFor: (pricesIncludeTax: boolean) => BcLine[],
    expectedPricesIncludeTax: boolean,
    ctx: ConnectorCallContext,
  ): Promise<ErpOrderRef> {
    if (this.config.apiVersion === "v2.0") {
      // Deep insert: header and lines in one request, so BC creates all or nothing.
      const created = await this.api.json<BcDocument>({
        method: "POST",
        path: `${this.company}/${kind.entitySet}`,
        body: JSON.stringify({ ...header, [kind.linesSet]: linesFor(expectedPricesIncludeTax) }),
        isWrite: true,
        signal: ctx.signal,
      });
      try {
        // The POST answer has the header totals computed before the lines settled; read them back.
        let doc = (await this.getDocument(kind, created.id, ctx.signal)) ?? created;
        if (typeof doc.pricesIncludeTax === "boolean" && doc.pricesIncludeTax !== expectedPricesIncludeTax) {
          await this.replaceLines(kind, created.id, linesFor(doc.pricesIncludeTax), ctx.signal);
          doc = (await this.getDocument(kind, created.id, ctx.signal)) ?? doc;
        }
        return this.refOf(kind, doc);
      } catch (error) {
        throw asOutcomeUnknown(error);
      }
    }
    // v1.0 has no deep insert: header first, then each line. A failure in
    // between leaves a partial document, so mark the outcome unknown and let
    // the retry start again from the look-up.
    const created = await this.api.json<BcDocument>({ method: "POST", path: `${this.company}/${kind.entitySet}`, body: JSON.stringify(header), isWrite: true, signal: ctx.signal });
    try {
      const pricesIncludeTax = typeof created.pricesIncludeTax === "boolean" ? created.pricesIncludeTax : expectedPricesIncludeTax;
      await this.replaceLines(kind, created.id, linesFor(pricesIncludeTax), ctx.signal);
      return this.refOf(kind, (await this.getDocument(kind, created.id, ctx.signal)) ?? created);
    } catch (error) {
      // Remove the half-made header so the next attempt starts clean.
      await this.api.send({ method: "DELETE", path: `${this.company}/${kind.entitySet}(${created.id})`, ifMatch: "*", isWrite: true, signal: ctx.signal }).catch(() => undefined);
      throw asOutcomeUnknown(error);
    }
  }

  private async replaceLines(kind: DocumentKind, documentId: string, lines: BcLine[], signal?: AbortSignal): Promise<void> {
    const path = `${this.company}/${kind.entitySet}(${documentId})/${kind.linesSet}`;
    const existing = await this.api.json<BcList<{ id: string }>>({ method: "GET", path, isWrite: false, signal });
    for (const line of existing.value ?? []) {
      const res = await this.api.send({ method: "DELETE", path: `${path}('${encodeURIComponent(line.id)}')`, ifMatch: "*", isWrite: true, signal });
      if (res.status !== 404) this.api.throwIfFailed(res, true);
    }
    for (const line of lines) {
      await this.api.json({ method: "POST", path, body: JSON.stringify(line), isWrite: true, signal });
    }
  }

  private refOf(kind: DocumentKind | null, doc: BcDocument): ErpOrderRef {
    const total = doc.totalAmountIncludingTax;
    const ref: ErpOrderRef = {
      documentId: doc.id,
      documentNumber: doc.number ?? undefined,
      total: total == null ? undefined : String(total),
      status: doc.status ?? undefined,
    };
    // Only for Microsoft's cloud: on-premises/test servers have other web client addresses.
    if (kind && !this.config.apiBaseUrl && doc.number) {
      const filter = encodeURIComponent(`'No.' IS '${doc.number}'`);
      ref.url = `https://businesscentral.dynamics.com/${encodeURIComponent(this.config.tenantId)}/${encodeURIComponent(this.config.environment)}/?page=${kind.page}&filter=${filter}`;
    }
    return ref;
  }

  // --- look-ups ----------------------------------------------------------------

  /**
   * The sales order's lines for either tax convention of the BC document
   * (BC computes the tax itself). Items and settings are checked first, so a
   * problem is reported before anything is written.
   */
  private async salesOrderLines(order: CanonicalOrder, signal?: AbortSignal): Promise<(pricesIncludeTax: boolean) => BcLine[]> {
    const bookings = businessCentralBookings(this.config);
    const parts = (pricesIncludeTax: boolean) => salesDocumentParts(order, bookings, { erpAddsTax: true, pricesIncludeTax });
    const resolution = await this.resolveBookings(order, parts(false), signal);
    return (pricesIncludeTax) => documentLines(parts(pricesIncludeTax), resolution);
  }

  /** Checks that BC has every item and G/L account the parts are booked on (v1.0: and their ids). */
  private async resolveBookings(order: CanonicalOrder, parts: DocumentPart[], signal?: AbortSignal): Promise<LineResolution> {
    const itemNumbers = [...new Set(parts.filter((p) => p.booking.on === "item").map((p) => p.booking.number))];
    const items = await this.byNumber("items", itemNumbers, signal);
    const unknownItems = [...new Set(parts.filter((p) => p.booking.on === "item" && !items.has(p.booking.number)).map((p) => p.line!))];
    if (unknownItems.length) throw unknownItemsProblem(order, BUSINESS_CENTRAL_NAME, unknownItems);

    const accountParts = parts.filter((p) => p.booking.on !== "item");
    const accounts = await this.byNumber("accounts", [...new Set(accountParts.map((p) => p.booking.number))], signal);
    const unknownAccount = accountParts.find((p) => !accounts.has(p.booking.number));
    if (unknownAccount) {
      const label = businessCentralBookings(this.config).labels[unknownAccount.booking.on as BookingKey]!;
      throw unknownSettingProblem(order, BUSINESS_CENTRAL_NAME, label, unknownAccount.booking.number);
    }
    return { version: this.config.apiVersion, itemIds: items, accountIds: accounts };
  }

  /** number -> id of the items or G/L accounts BC has among `numbers`. */
  private async byNumber(entitySet: "items" | "accounts", numbers: string[], signal?: AbortSignal): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // OData filters have a length limit; 20 numbers per request stays well inside it.
    for (let i = 0; i < numbers.length; i += 20) {
      const chunk = numbers.slice(i, i + 20);
      const list = await this.api.json<BcList<{ id: string; number: string }>>({
        method: "GET",
        path: `${this.company}/${entitySet}`,
        query: { $filter: chunk.map((n) => `number eq ${odataString(n)}`).join(" or "), $select: "id,number" },
        isWrite: false,
        signal,
      });
      for (const record of list.value ?? []) found.set(record.number, record.id);
    }
    return found;
  }

  private async customerNumber(order: CanonicalOrder, signal?: AbortSignal): Promise<string> {
    const email = order.customer?.email?.trim();
    if (email) {
      const list = await this.api.json<BcList<{ number: string }>>({
        method: "GET",
        path: `${this.company}/customers`,
        query: { $filter: `email eq ${odataString(email)}`, $top: "1" },
        isWrite: false,
        signal,
      });
      const number = list.value?.[0]?.number;
      if (number) return number;
    }
    if (this.config.defaultCustomerNumber) return this.config.defaultCustomerNumber;
    if (email) {
      throw orderProblem(
        order,
        "no Business Central customer has the order's e-mail address",
        'Create the customer in Business Central with that e-mail, or set "Default customer number" in Settings, then retry.',
      );
    }
    throw orderProblem(
      order,
      "it has no customer e-mail (a point-of-sale or guest order), so the Business Central customer cannot be found",
      'Set "Default customer number" in Settings, then retry.',
    );
  }

  /** The order's BC document: the sales order, or the posted invoice BC turned it into. */
  private async orderDocument(ref: ErpOrderRef, signal?: AbortSignal): Promise<BcDocument | null> {
    const order = await this.getDocument(SALES_ORDER, ref.documentId, signal).catch(() => null);
    return order ?? (await this.getDocument(SALES_INVOICE, ref.documentId, signal).catch(() => null));
  }

  private checkExternalNumber(order: CanonicalOrder, value: string): void {
    if (value.length > EXTERNAL_DOCUMENT_NUMBER_MAX) {
      throw orderProblem(order, `its reference "${value}" is longer than the ${EXTERNAL_DOCUMENT_NUMBER_MAX} characters Business Central allows`, "Shorten the external id prefix in Settings, then retry.");
    }
  }

  private documentGone(order: CanonicalOrder, ref: ErpOrderRef): ErpError {
    return orderProblem(order, `its Business Central sales order ${ref.documentNumber ?? ref.documentId} no longer exists (deleted or already invoiced)`, "Check the order in Business Central; if it was deleted on purpose, re-send it as a new order.");
  }

  private lockKey(reference: string): string {
    return `${this.config.tenantId}|${this.config.environment}|${this.config.companyId}|${reference}`;
  }
}
