// Business Central connector: each order becomes a sales order whose
// externalDocumentNumber is the external id; refunds become sales credit
// memos. BC does not enforce unique external document numbers, so creates are
// "look up, then create" under a per-order lock.
//
// Requests per document (docs/connectors.md, "Requests per order"): the
// duplicate check and every look-up in one round trip (lookups.ts: one
// `$batch` on API v2.0, the customer, items and accounts mostly from its
// caches), then one write whose answer carries the totals.
import type { CanonicalOrder, CanonicalRefund } from "../../sync/order/canonical-order";
import { addDecimals, compareDecimals, isDecimal, multiplyDecimal, subtractDecimals } from "../../lib/decimal";
import {
  ErpError,
  type ConnectionTestResult,
  type ConnectorCallContext,
  type ConnectorDeps,
  type ErpConnector,
  type ErpDocumentLine,
  type ErpDocumentSummary,
  type ErpItem,
  type ErpLineKind,
  type ErpOrderDocument,
  type ErpLocation,
  type ErpOrderRef,
  type ErpStockRead,
  type ShipmentRead,
  ERP_ITEM_SEARCH_LIMIT,
} from "../port";
import type { HttpResponse } from "../http/request";
import { KeyedLock } from "../../lib/keyed-lock";
import { creditNoteParts, salesDocumentParts, type BookingKey, type DocumentPart } from "../support/document-parts";
import { asOutcomeUnknown, documentLockedProblem, orderProblem, unknownItemsProblem, unknownSettingProblem } from "../support/order-problems";
import { requestBudgetFor } from "../support/request-budget";
import { rankedItemMatches } from "../support/item-search";
import { BUSINESS_CENTRAL_NAME, BusinessCentralApiClient, odataString } from "./api-client";
import { readBusinessCentralShipments } from "./shipments";
import { BUSINESS_CENTRAL_SCOPE, apiBaseUrlOf, businessCentralBookings, tokenUrlOf, type BusinessCentralConfig } from "./config";
import { BusinessCentralLookups, type DocumentRead, type LookupAnswers, type LookupNeeds } from "./lookups";
import { creditMemoHeader, documentLines, linesAmount, salesOrderHeader, type BcLine, type LineResolution } from "./payload";
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
  totalAmountExcludingTax?: number | string | null;
  customerNumber?: string | null;
  /** Read-only in the API: BC copies the customer's "Prices Including VAT". */
  pricesIncludeTax?: boolean | null;
  "@odata.etag"?: string;
}

/** A line of a sales order or invoice as read back (v2.0 names the item/account by lineObjectNumber, v1.0 in lineDetails). */
interface BcReadLine {
  lineType?: string | null;
  lineObjectNumber?: string | null;
  lineDetails?: { number?: string | null } | null;
  description?: string | null;
  quantity?: number | string | null;
  unitPrice?: number | string | null;
  discountAmount?: number | string | null;
}

/**
 * External ids per `$filter` of a read-back: 20 `externalDocumentNumber eq
 * '…'` terms (35 characters at most each) keep the URL near 1.5 KB; the
 * filters then travel 100 to a `$batch` request, one request of the budget.
 */
export const BC_READ_BACK_FILTER_SIZE = 20;

interface BcList<T> {
  value: T[];
  /** Server-driven paging: the absolute URL of the next page (OData). */
  "@odata.nextLink"?: string;
}

/**
 * Business Central's standard API has one stock figure per item, `inventory`,
 * for the whole company (all its locations together). Stock sync therefore
 * sees one ERP location, to be linked to one Shopify location (docs/stock.md).
 */
export const BC_COMPANY_LOCATION_ID = "company";
const MAX_ITEM_PAGES = 1_000;

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
  private readonly lookups: BusinessCentralLookups;

  constructor(
    private readonly config: BusinessCentralConfig,
    deps: ConnectorDeps = {},
  ) {
    const fetchFn = deps.fetch ?? fetch;
    const tokenUrl = tokenUrlOf(config);
    const tokens = new ClientCredentialsTokenProvider(
      { tokenUrl, clientId: config.clientId, clientSecret: config.clientSecret, scope: BUSINESS_CENTRAL_SCOPE, timeoutMs: config.timeoutMs },
      fetchFn,
      deps.now,
    );
    // BC's limits are per user: the app registration signing in, on its tenant's API.
    const budget = deps.limits ? requestBudgetFor(`business-central|${tokenUrl}|${config.clientId}|${apiBaseUrlOf(config)}`, deps.limits, BUSINESS_CENTRAL_NAME) : null;
    this.api = new BusinessCentralApiClient(apiBaseUrlOf(config), tokens, fetchFn, config.timeoutMs, budget);
    this.lookups = new BusinessCentralLookups(this.api, this.company, config.apiVersion === "v2.0", deps.now);
  }

  async listLocations(): Promise<ErpLocation[]> {
    return [{ id: BC_COMPANY_LOCATION_ID, name: "All Business Central locations together (the standard API's item inventory)" }];
  }

  /** Every inventory item's `inventory`, page by page (server-driven paging). */
  async readStock(options: { since?: Date; signal?: AbortSignal } = {}): Promise<ErpStockRead> {
    const records: ErpStockRead["records"] = [];
    let path = `${this.company}/items`;
    let query: Record<string, string> | undefined = { $select: "number,type,inventory" };
    for (let page = 0; page < MAX_ITEM_PAGES; page++) {
      const list: BcList<{ number?: string; type?: string; inventory?: unknown }> = await this.api.json({ method: "GET", path, query, isWrite: false, signal: options.signal });
      for (const item of list.value) {
        // Service and non-inventory items have no stock in BC.
        if (item.number && item.type === "Inventory") records.push({ itemNumber: item.number, locationId: BC_COMPANY_LOCATION_ID, quantity: item.inventory });
      }
      const next: string | undefined = list["@odata.nextLink"];
      if (!next) return { records, complete: true };
      const base = apiBaseUrlOf(this.config);
      const url: URL = new URL(next);
      path = url.pathname.slice(new URL(base).pathname.replace(/\/?$/, "/").length);
      query = Object.fromEntries(url.searchParams);
    }
    throw new ErpError({
      kind: "permanent",
      message: `Business Central items paged beyond ${MAX_ITEM_PAGES} pages`,
      userMessage: "Business Central kept sending more pages of items than the app reads in one stock run. Contact the app's support.",
    });
  }

  /**
   * Items by number or name: two `$filter`s on the `items` entity, because
   * BC refuses `or` across two fields ("The 'OR' operator is not supported
   * on distinct fields"); on v2.0 they travel in one `$batch`. BC compares
   * text as written (the filter becomes AL's `*text*`), so the number is
   * searched upper-cased (item numbers are Code fields, stored upper-case)
   * and the name in the spellings staff mostly mean (as typed, lower,
   * upper, capitalised), `or`-ed on the one field. Blocked items cannot be
   * sold and are left out.
   */
  async searchItems(query: string, ctx: { signal?: AbortSignal } = {}): Promise<ErpItem[]> {
    const text = query.trim();
    if (!text) return [];
    const contains = (field: string, values: string[]) => [...new Set(values)].map((v) => `contains(${field},${odataString(v)})`).join(" or ");
    const lower = text.toLowerCase();
    const nameSpellings = [text, lower, text.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)];
    const read = (filter: string) => ({ path: `${this.company}/items`, query: { $filter: filter, $top: String(ERP_ITEM_SEARCH_LIMIT), $select: "number,displayName,blocked" } });
    const answers = await this.api.getAll([read(contains("number", [text.toUpperCase()])), read(contains("displayName", nameSpellings))], this.config.apiVersion === "v2.0", ctx.signal);
    const items: ErpItem[] = [];
    for (const res of answers) {
      this.api.throwIfFailed(res, false);
      const list = (JSON.parse(res.bodyText || "{}") as BcList<{ number?: string | null; displayName?: string | null; blocked?: boolean | null }>).value ?? [];
      for (const item of list) if (item.number && item.blocked !== true) items.push({ number: item.number, name: item.displayName ?? "" });
    }
    return rankedItemMatches(text, items);
  }

  /** Posted sales shipments of the app's orders (app/connectors/business-central/shipments.ts). */
  readShipments(since: string | null, ctx: { signal?: AbortSignal } = {}): Promise<ShipmentRead> {
    return readBusinessCentralShipments(
      (path, query) => this.api.json({ method: "GET", path, query, isWrite: false, signal: ctx.signal }),
      this.company,
      this.config.apiVersion,
      since,
    );
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
    const answers = await this.api.getAll(this.duplicateChecks(externalId), this.config.apiVersion === "v2.0", ctx.signal);
    return this.existingOrderIn(answers);
  }

  async createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    this.checkExternalNumber(order, order.externalId);
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const bookings = businessCentralBookings(this.config);
      const parts = (pricesIncludeTax: boolean) => salesDocumentParts(order, bookings, { erpAddsTax: true, pricesIncludeTax });
      // Missing settings and item numbers are reported before any request.
      const needs = { email: customerEmail(order), ...bookingNumbers(parts(false)) };
      const answers = await this.lookups.resolve({ ...needs, reads: this.duplicateChecks(order.externalId) }, ctx.signal);
      const existing = this.existingOrderIn(answers.reads);
      if (existing) return existing;

      return this.writeWithLookups(answers, needs, ctx.signal, (found) => {
        const resolution = this.resolution(order, parts(false), found);
        const customerNumber = this.customerNumber(order, found.customerNumber);
        const header = salesOrderHeader(order, { version: this.config.apiVersion, customerNumber, localCurrencyCode: this.config.localCurrencyCode });
        const expected = this.lookups.conventionOf(customerNumber) ?? false;
        return this.createDocument(SALES_ORDER, header, (pit) => documentLines(parts(pit), resolution), expected, customerNumber, ctx);
      });
    });
  }

  async updateOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const bookings = businessCentralBookings(this.config);
      const parts = (pricesIncludeTax: boolean) => salesDocumentParts(order, bookings, { erpAddsTax: true, pricesIncludeTax });
      const answers = await this.lookups.resolve({ ...bookingNumbers(parts(false)), reads: [{ path: this.documentPath(SALES_ORDER, ref.documentId) }] }, ctx.signal);
      const current = this.documentIn(answers.reads[0]);
      if (!current) throw this.documentGone(order, ref);
      if (current.status && !EDITABLE_STATUSES.has(current.status)) {
        throw documentLockedProblem(order, `Business Central sales order ${current.number ?? ref.documentId}`, current.status, "Reopen it in Business Central and choose \"Retry\", or make the change there by hand and choose \"Mark resolved\".");
      }
      const lines = documentLines(parts(current.pricesIncludeTax === true), this.resolution(order, parts(false), answers));
      try {
        const header = salesOrderHeader(order, { version: this.config.apiVersion, customerNumber: current.customerNumber ?? "", localCurrencyCode: this.config.localCurrencyCode });
        // The customer stays as it is: changing it on an existing order recalculates prices in BC.
        delete header.customerNumber;
        delete header.externalDocumentNumber;
        await this.api.json({
          method: "PATCH",
          path: this.documentPath(SALES_ORDER, ref.documentId),
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
      const res = await this.api.send({ method: "DELETE", path: this.documentPath(SALES_ORDER, ref.documentId), ifMatch: "*", isWrite: true, signal: ctx.signal });
      if (res.status !== 404) this.api.throwIfFailed(res, true);
      return { ...ref, status: "deleted" };
    });
  }

  async recordRefund(ref: ErpOrderRef, order: CanonicalOrder, refund: CanonicalRefund, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    const externalNumber = `${order.externalId}-R${refund.refundId}`;
    this.checkExternalNumber(order, externalNumber);
    return orderLocks.run(this.lockKey(externalNumber), async () => {
      const bookings = businessCentralBookings(this.config);
      const note = (pricesIncludeTax: boolean) => creditNoteParts(order, refund, bookings, { erpAddsTax: true, pricesIncludeTax });
      const needs = bookingNumbers(note(false).parts);
      // With the look-ups: the credit memo (found = done) and the order's
      // document, for its customer and "Prices Including VAT" (the sales
      // order, or the posted invoice BC turned it into).
      const answers = await this.lookups.resolve(
        {
          ...needs,
          reads: [
            { path: `${this.company}/${CREDIT_MEMO.entitySet}`, query: this.externalNumberQuery(externalNumber) },
            { path: this.documentPath(SALES_ORDER, ref.documentId) },
            { path: this.documentPath(SALES_INVOICE, ref.documentId) },
          ],
        },
        ctx.signal,
      );
      const [memos, salesOrder, invoice] = answers.reads;
      const orderAsSalesOrder = this.documentIn(salesOrder, true);
      // recordRefund answers with the ORDER's document: the engine keeps it as the order's reference.
      const orderRef = orderAsSalesOrder ? this.refOf(SALES_ORDER, orderAsSalesOrder) : ref;
      if (this.listIn(memos)[0]) return orderRef;

      const orderDoc = orderAsSalesOrder ?? this.documentIn(invoice, true);
      let customerNumber = orderDoc?.customerNumber || "";
      if (!customerNumber) {
        const email = customerEmail(order);
        customerNumber = this.customerNumber(order, email ? (await this.lookups.resolve({ email }, ctx.signal)).customerNumber : null);
      }
      const header = creditMemoHeader(order, refund, externalNumber, { version: this.config.apiVersion, customerNumber, localCurrencyCode: this.config.localCurrencyCode });
      await this.writeWithLookups(answers, needs, ctx.signal, (found) => {
        const resolution = this.resolution(order, note(false).parts, found);
        const linesFor = (pricesIncludeTax: boolean) => {
          const { parts, exchangeNote } = note(pricesIncludeTax);
          const notes = exchangeNote ? [exchangeNote] : parts.length === 0 ? [`Refund of ${refund.amount} ${order.currency} without returned items`] : [];
          return documentLines(parts, resolution, notes);
        };
        // The credit memo has the order's customer, hence its "Prices Including VAT".
        return this.createDocument(CREDIT_MEMO, header, linesFor, orderDoc?.pricesIncludeTax === true, customerNumber, ctx);
      });
      return orderRef;
    });
  }

  /** The credit memo a refund was recorded as, if any (for staff and tests). */
  async findRefund(order: CanonicalOrder, refundId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    const memo = await this.findDocument(CREDIT_MEMO, `${order.externalId}-R${refundId}`, ctx.signal);
    return memo ? this.refOf(CREDIT_MEMO, memo) : null;
  }

  /**
   * Sales orders and posted sales invoices by externalDocumentNumber,
   * BC_READ_BACK_FILTER_SIZE ids per filter, the filters combined in `$batch`
   * requests (API v2.0) within the user's request budget. A posted invoice
   * made from a sales order still listed (partly invoiced) is the same order,
   * not a second document.
   */
  async readBack(externalIds: string[], ctx: { signal?: AbortSignal }): Promise<Map<string, ErpDocumentSummary[]>> {
    const found = new Map<string, ErpDocumentSummary[]>(externalIds.map((id) => [id, []]));
    const ids = [...found.keys()];
    const calls: DocumentRead[] = [];
    for (let i = 0; i < ids.length; i += BC_READ_BACK_FILTER_SIZE) {
      const $filter = ids
        .slice(i, i + BC_READ_BACK_FILTER_SIZE)
        .map((id) => `externalDocumentNumber eq ${odataString(id)}`)
        .join(" or ");
      calls.push({ path: `${this.company}/${SALES_ORDER.entitySet}`, query: { $filter, $select: "id,number,externalDocumentNumber,status,totalAmountIncludingTax" } });
      calls.push({ path: `${this.company}/${SALES_INVOICE.entitySet}`, query: { $filter, $select: "id,number,externalDocumentNumber,status,totalAmountIncludingTax,orderNumber" } });
    }
    const answers = await this.api.getAll(calls, this.config.apiVersion === "v2.0", ctx.signal);
    for (let i = 0; i < answers.length; i += 2) {
      const orders = this.listIn(answers[i]);
      const invoices = this.listIn(answers[i + 1]) as (BcDocument & { orderNumber?: string | null })[];
      const orderNumbers = new Set(orders.map((o) => o.number).filter(Boolean));
      const summary = (doc: BcDocument, invoice: boolean): ErpDocumentSummary => ({
        documentId: doc.id,
        documentNumber: doc.number ?? undefined,
        total: doc.totalAmountIncludingTax == null ? undefined : String(doc.totalAmountIncludingTax),
        status: invoice ? `invoiced (${doc.status ?? "posted"})` : (doc.status ?? undefined),
        cancelled: invoice && /^cancel+ed$/i.test(doc.status ?? ""),
      });
      for (const o of orders) found.get(o.externalDocumentNumber ?? "")?.push(summary(o, false));
      for (const inv of invoices) {
        if (inv.orderNumber && orderNumbers.has(inv.orderNumber)) continue;
        found.get(inv.externalDocumentNumber ?? "")?.push(summary(inv, true));
      }
    }
    return found;
  }

  /** The sales order (else its posted invoice) with its lines, classed by the accounts the settings name. */
  async readOrder(target: { externalId: string; documentId?: string | null }, ctx: { signal?: AbortSignal }): Promise<ErpOrderDocument | null> {
    let kind = SALES_ORDER;
    let doc: BcDocument | null = target.documentId ? await this.getDocument(SALES_ORDER, target.documentId, ctx.signal) : await this.findDocument(SALES_ORDER, target.externalId, ctx.signal);
    if (!doc) {
      kind = SALES_INVOICE;
      doc = await this.findDocument(SALES_INVOICE, target.externalId, ctx.signal);
    }
    if (!doc) return null;
    const list = await this.api.json<BcList<BcReadLine>>({ method: "GET", path: `${this.documentPath(kind, doc.id)}/${kind.linesSet}`, isWrite: false, signal: ctx.signal });
    const kindOfNumber = new Map<string, ErpLineKind>();
    for (const [key, number] of Object.entries(businessCentralBookings(this.config).numbers)) if (number) kindOfNumber.set(number, key as ErpLineKind);
    const text = (v: number | string | null | undefined) => (v == null ? "0" : String(v));
    const lines: ErpDocumentLine[] = (list.value ?? []).map((l) => {
      const code = l.lineObjectNumber || l.lineDetails?.number || null;
      const quantity = text(l.quantity);
      const unitPrice = text(l.unitPrice);
      const discount = text(l.discountAmount);
      const lineKind: ErpLineKind = l.lineType === "Item" ? "item" : l.lineType === "Account" ? ((code && kindOfNumber.get(code)) || "adjustments") : "comment";
      const gross = Number.isInteger(Number(quantity)) && isDecimal(unitPrice) ? multiplyDecimal(unitPrice, Number(quantity)) : (Number(unitPrice) * Number(quantity)).toFixed(2);
      return { kind: lineKind, code, description: l.description ?? "", quantity, unitPrice, discount, amount: lineKind === "comment" ? "0" : subtractDecimals(gross, isDecimal(discount) ? discount : "0") };
    });
    const ref = this.refOf(kind, doc);
    const withTax = text(doc.totalAmountIncludingTax);
    const withoutTax = text(doc.totalAmountExcludingTax);
    return {
      documentId: doc.id,
      documentNumber: doc.number ?? undefined,
      externalId: doc.externalDocumentNumber ?? target.externalId,
      status: kind === SALES_INVOICE ? `invoiced (${doc.status ?? "posted"})` : (doc.status ?? undefined),
      cancelled: kind === SALES_INVOICE && /^cancel+ed$/i.test(doc.status ?? ""),
      editable: kind === SALES_ORDER && (!doc.status || EDITABLE_STATUSES.has(doc.status)),
      lines,
      shipping: addDecimals("0", ...lines.filter((l) => l.kind === "shipping").map((l) => l.amount)),
      // BC computes the tax itself: the document's totals say how much.
      tax: isDecimal(withTax) && isDecimal(withoutTax) ? subtractDecimals(withTax, withoutTax) : "0",
      total: withTax,
      url: ref.url,
    };
  }

  // --- documents -------------------------------------------------------------

  private documentPath(kind: DocumentKind, id: string): string {
    return `${this.company}/${kind.entitySet}(${id})`;
  }

  private externalNumberQuery(externalNumber: string): Record<string, string> {
    return { $filter: `externalDocumentNumber eq ${odataString(externalNumber)}`, $top: "1" };
  }

  /**
   * The look-ups that say whether BC has the order: in sales orders, and in
   * posted sales invoices (once shipped and invoiced, BC turns the order into
   * one and removes it from salesOrders; it must not be created again).
   */
  private duplicateChecks(externalId: string): DocumentRead[] {
    return [SALES_ORDER, SALES_INVOICE].map((kind) => ({ path: `${this.company}/${kind.entitySet}`, query: this.externalNumberQuery(externalId) }));
  }

  private existingOrderIn([orders, invoices]: HttpResponse[]): ErpOrderRef | null {
    const order = this.listIn(orders)[0];
    if (order) return this.refOf(SALES_ORDER, order);
    const invoice = this.listIn(invoices)[0];
    return invoice ? { ...this.refOf(null, invoice), status: `invoiced (${invoice.status ?? "posted"})` } : null;
  }

  private listIn(res: HttpResponse): BcDocument[] {
    this.api.throwIfFailed(res, false);
    return (JSON.parse(res.bodyText || "{}") as BcList<BcDocument>).value ?? [];
  }

  /** The document a read answered with; null when BC has none (404, or any failure when `lenient`). */
  private documentIn(res: HttpResponse, lenient = false): BcDocument | null {
    if (res.status === 404 || (lenient && res.status >= 400)) return null;
    this.api.throwIfFailed(res, false);
    return JSON.parse(res.bodyText) as BcDocument;
  }

  private async findDocument(kind: DocumentKind, externalNumber: string, signal?: AbortSignal): Promise<BcDocument | null> {
    const list = await this.api.json<BcList<BcDocument>>({
      method: "GET",
      path: `${this.company}/${kind.entitySet}`,
      query: this.externalNumberQuery(externalNumber),
      isWrite: false,
      signal,
    });
    return list.value?.[0] ?? null;
  }

  private async getDocument(kind: DocumentKind, id: string, signal?: AbortSignal): Promise<BcDocument | null> {
    return this.documentIn(await this.api.send({ method: "GET", path: this.documentPath(kind, id), isWrite: false, signal }));
  }

  /**
   * Writes with what the look-ups found. When BC refuses the document (400,
   * 404, 422: nothing was written) and some of it came from the caches, the
   * cached values are dropped and looked up again once; only when BC's
   * answers changed (an item or account gone, a customer renumbered) is the
   * write sent again. Otherwise BC's refusal stands.
   */
  private async writeWithLookups<T>(answers: LookupAnswers, needs: LookupNeeds, signal: AbortSignal | undefined, write: (found: LookupAnswers) => Promise<T>): Promise<T> {
    try {
      return await write(answers);
    } catch (error) {
      const usedCache = answers.cached.customer || answers.cached.items.length > 0 || answers.cached.accounts.length > 0;
      if (!isRefusal(error) || !usedCache) throw error;
      this.lookups.forget(answers, needs.email);
      const fresh = await this.lookups.resolve({ ...needs, fresh: true }, signal);
      if (sameAnswers(answers, fresh)) throw error;
      return write(fresh);
    }
  }

  /**
   * Creates a document with its lines priced in the convention BC gives it.
   * The API does not let a client set `pricesIncludeTax` (read-only: BC takes
   * "Prices Including VAT" from the customer), so lines are built for the
   * expected convention (the customer's last document's, else BC's default,
   * without tax) and, when the created document says otherwise, built again
   * for its convention before anything else happens.
   */
  private async createDocument(
    kind: DocumentKind,
    header: Record<string, unknown>,
    linesFor: (pricesIncludeTax: boolean) => BcLine[],
    expectedPricesIncludeTax: boolean,
    customerNumber: string,
    ctx: ConnectorCallContext,
  ): Promise<ErpOrderRef> {
    if (this.config.apiVersion === "v2.0") {
      // Deep insert: header and lines in one request, so BC creates all or nothing.
      const lines = linesFor(expectedPricesIncludeTax);
      const created = await this.api.json<BcDocument>({
        method: "POST",
        path: `${this.company}/${kind.entitySet}`,
        body: JSON.stringify({ ...header, [kind.linesSet]: lines }),
        isWrite: true,
        signal: ctx.signal,
      });
      try {
        let doc = created;
        if (typeof created.pricesIncludeTax === "boolean" && created.pricesIncludeTax !== expectedPricesIncludeTax) {
          await this.replaceLines(kind, created.id, linesFor(created.pricesIncludeTax), ctx.signal);
          doc = (await this.getDocument(kind, created.id, ctx.signal)) ?? created;
        } else if (!totalsReflect(created, lines, expectedPricesIncludeTax)) {
          // BC answered with totals from before the lines were in: read them.
          doc = (await this.getDocument(kind, created.id, ctx.signal)) ?? created;
        }
        if (typeof doc.pricesIncludeTax === "boolean") this.lookups.rememberConvention(customerNumber, doc.pricesIncludeTax);
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
      if (typeof created.pricesIncludeTax === "boolean") this.lookups.rememberConvention(customerNumber, created.pricesIncludeTax);
      await this.replaceLines(kind, created.id, linesFor(pricesIncludeTax), ctx.signal);
      return this.refOf(kind, (await this.getDocument(kind, created.id, ctx.signal)) ?? created);
    } catch (error) {
      // Remove the half-made header so the next attempt starts clean.
      await this.api.send({ method: "DELETE", path: this.documentPath(kind, created.id), ifMatch: "*", isWrite: true, signal: ctx.signal }).catch(() => undefined);
      throw asOutcomeUnknown(error);
    }
  }

  private async replaceLines(kind: DocumentKind, documentId: string, lines: BcLine[], signal?: AbortSignal): Promise<void> {
    const path = `${this.documentPath(kind, documentId)}/${kind.linesSet}`;
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
   * Checks that BC has every item and G/L account the parts are booked on
   * (v1.0: and takes their ids), from what the look-ups found, so a problem
   * is reported before anything is written.
   */
  private resolution(order: CanonicalOrder, parts: DocumentPart[], found: LookupAnswers): LineResolution {
    const unknownItems = [...new Set(parts.filter((p) => p.booking.on === "item" && !found.itemIds.has(p.booking.number)).map((p) => p.line!))];
    if (unknownItems.length) throw unknownItemsProblem(order, BUSINESS_CENTRAL_NAME, unknownItems);
    const unknownAccount = parts.find((p) => p.booking.on !== "item" && !found.accountIds.has(p.booking.number));
    if (unknownAccount) {
      const label = businessCentralBookings(this.config).labels[unknownAccount.booking.on as BookingKey]!;
      throw unknownSettingProblem(order, BUSINESS_CENTRAL_NAME, label, unknownAccount.booking.number);
    }
    return { version: this.config.apiVersion, itemIds: found.itemIds, accountIds: found.accountIds };
  }

  /** The customer the look-up found by e-mail, else the default customer number. */
  private customerNumber(order: CanonicalOrder, found: string | null): string {
    if (found) return found;
    if (this.config.defaultCustomerNumber) return this.config.defaultCustomerNumber;
    if (customerEmail(order)) {
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

function customerEmail(order: CanonicalOrder): string | undefined {
  return order.customer?.email?.trim() || undefined;
}

/** The item and account numbers the parts are booked on. */
function bookingNumbers(parts: DocumentPart[]): { itemNumbers: string[]; accountNumbers: string[] } {
  return {
    itemNumbers: [...new Set(parts.filter((p) => p.booking.on === "item").map((p) => p.booking.number))],
    accountNumbers: [...new Set(parts.filter((p) => p.booking.on !== "item").map((p) => p.booking.number))],
  };
}

/** BC said no to the write itself, and nothing was written. */
function isRefusal(error: unknown): boolean {
  return error instanceof ErpError && error.kind === "permanent" && !error.outcomeUnknown && [400, 404, 422].includes(error.httpStatus ?? 0);
}

function sameMap(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

function sameAnswers(a: LookupAnswers, b: LookupAnswers): boolean {
  return a.customerNumber === b.customerNumber && sameMap(a.itemIds, b.itemIds) && sameMap(a.accountIds, b.accountIds);
}

/**
 * Whether the totals in BC's answer to a create already count the lines:
 * its amount before tax (with tax, for a document whose prices include it)
 * equals what the lines add up to. Then the answer's total is BC's total
 * and the document need not be read back.
 */
function totalsReflect(doc: BcDocument, lines: BcLine[], pricesIncludeTax: boolean): boolean {
  const amount = pricesIncludeTax ? doc.totalAmountIncludingTax : doc.totalAmountExcludingTax;
  if (amount == null || !isDecimal(String(amount))) return false;
  return compareDecimals(String(amount), linesAmount(lines)) === 0;
}
