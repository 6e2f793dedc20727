// Tryton connector: each Shopify order becomes a sale.sale quotation whose
// `reference` is the external id. Tryton does not enforce unique references,
// so every write is "look up by reference, then create" under a per-order
// lock (KeyedLock, app/lib/keyed-lock.ts); the engine's lease does the same across processes.
//
// RPCs per order (docs/connectors.md, "Requests per order"): the look-up by
// reference, create, quote and one read for the number and total Tryton gave
// the sale. Products, currencies, countries and parties by e-mail are cached
// per shop connection (this instance, kept while the shop's settings are
// unchanged) with short lifetimes; when Tryton refuses a sale built from
// cached ids they are forgotten and looked up again once.
import type { CanonicalAddress, CanonicalOrder, CanonicalRefund } from "../../sync/order/canonical-order";
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
  type ErpStockRead,
  type ErpOrderRef,
  type ShipmentRead,
  ERP_ITEM_SEARCH_LIMIT,
} from "../port";
import { creditNoteParts, salesDocumentParts, type BookingKey, type DocumentPart } from "../support/document-parts";
import { KeyedLock } from "../../lib/keyed-lock";
import { addDecimals, multiplyDecimal } from "../../lib/decimal";
import { requestBudgetFor } from "../support/request-budget";
import { rankedItemMatches } from "../support/item-search";
import { TtlCache } from "../support/ttl-cache";
import { exactQuantityPrices } from "../support/line-pricing";
import { asOutcomeUnknown, documentLockedProblem, orderProblem, unknownItemsProblem, unknownSettingProblem } from "../support/order-problems";
import { trytonBookings, type TrytonConfig } from "./config";
import { TRYTON_NAME, TrytonRpcClient, trytonDate, trytonDecimal } from "./json-rpc-client";
import { readTrytonShipments } from "./shipments";

/** Tryton's default price precision for sale lines. */
const UNIT_PRICE_DIGITS = 4;

interface SaleRecord {
  id: number;
  number: string | null;
  reference: string | null;
  state: string;
  total_amount: string | null;
  party: number;
  invoice_address: number | null;
  shipment_address: number | null;
  lines: number[];
}

interface ProductRecord {
  id: number;
  code: string;
  sale_uom: number | null;
  default_uom: number;
}

type Ctx = Record<string, unknown>;

/** One lock table per process: two connector instances for one shop must not race either. */
const orderLocks = new KeyedLock();
const partyLocks = new KeyedLock();

const EDITABLE_STATES = new Set(["draft", "quotation"]);

/** References per read-back search: one RPC each, small enough for a busy server's request size. */
export const TRYTON_READ_BACK_BATCH = 200;

interface SaleLineRecord {
  sale: number;
  type: string;
  product: number | null;
  quantity: number | null;
  unit_price: string | null;
  description: string | null;
}

const MINUTE = 60_000;

interface PartyChoice {
  partyId: number;
  addressId: number | null;
}

/** Which cached values a sale was built from, so a refusal can forget them. */
interface CacheUse {
  products: string[];
  currency?: string;
  party?: string;
}

export class TrytonConnector implements ErpConnector {
  private readonly rpc: TrytonRpcClient;
  private companyId: number | null;
  // What Tryton has, per shop connection (lifetimes in the file header's spirit: short, so changes in Tryton show through soon).
  private readonly products: TtlCache<ProductRecord>;
  private readonly currencies: TtlCache<number>;
  private readonly countries: TtlCache<number>;
  /** By lower-cased e-mail, or "code:<party code>" for the default party. */
  private readonly parties: TtlCache<PartyChoice>;

  constructor(
    private readonly config: TrytonConfig,
    deps: ConnectorDeps = {},
  ) {
    const budget = deps.limits ? requestBudgetFor(`tryton|${config.url}|${config.database}|${config.username}`, deps.limits, TRYTON_NAME) : null;
    this.rpc = new TrytonRpcClient(
      { url: config.url, database: config.database, username: config.username, password: config.password, timeoutMs: config.timeoutMs },
      deps.fetch ?? fetch,
      budget,
    );
    this.companyId = config.companyId ?? null;
    this.products = new TtlCache({ ttlMs: 10 * MINUTE, maxEntries: 5_000, now: deps.now });
    this.currencies = new TtlCache({ ttlMs: 60 * MINUTE, maxEntries: 200, now: deps.now });
    this.countries = new TtlCache({ ttlMs: 60 * MINUTE, maxEntries: 300, now: deps.now });
    this.parties = new TtlCache({ ttlMs: 5 * MINUTE, maxEntries: 5_000, now: deps.now });
  }

  async testConnection(ctx: { signal?: AbortSignal } = {}): Promise<ConnectionTestResult> {
    try {
      const context = await this.context(ctx.signal);
      const [company] = await this.rpc.call<{ rec_name: string }[]>(
        "model.company.company.read",
        [[context.company], ["rec_name"], context],
        { isWrite: false, signal: ctx.signal },
      );
      const saleCount = await this.rpc.call<number>("model.sale.sale.search_count", [[], context], { isWrite: false, signal: ctx.signal });
      return {
        ok: true,
        message: `Connected to Tryton database "${this.config.database}" as ${this.config.username} (company: ${company?.rec_name ?? context.company}; ${saleCount} sales visible).`,
      };
    } catch (error) {
      return { ok: false, message: error instanceof ErpError ? error.userMessage : "The connection test failed unexpectedly." };
    }
  }

  async findOrder(externalId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    const sale = await this.findSale(externalId, ctx.signal);
    return sale ? this.refOf(sale) : null;
  }

  async createOrder(order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const existing = await this.findSale(order.externalId, ctx.signal);
      if (existing) return this.refOf(await this.ensureQuoted(existing, ctx.signal));

      const context = await this.context(ctx.signal);
      const saleId = await this.createWithLookups(async (fresh) => {
        const use: CacheUse = { products: [] };
        const lines = await this.saleLines(order, context, ctx.signal, fresh, use);
        const currency = await this.currencyId(order, context, ctx.signal, fresh, use);
        const party = await this.resolveParty(order, context, ctx.signal, fresh, use);
        const values = {
          company: context.company,
          party: party.partyId,
          invoice_address: party.addressId,
          shipment_address: party.addressId,
          reference: order.externalId,
          description: `Shopify order ${order.name}`,
          sale_date: trytonDate(order.createdAt),
          currency,
          comment: this.comment(order),
          lines: [["create", lines]],
        };
        return { values, use };
      }, context, ctx.signal);
      try {
        await this.rpc.call("model.sale.sale.quote", [[saleId], context], { isWrite: true, signal: ctx.signal });
        // Tryton numbers the sale when it is quoted and computes its total: read both once.
        return this.refOf(await this.readSale(saleId, ctx.signal));
      } catch (error) {
        // The sale exists now; whatever failed after, the next attempt must find it.
        throw asOutcomeUnknown(error);
      }
    });
  }

  /**
   * Creates the sale from values built with the caches. When Tryton refuses
   * it (nothing written) and some ids came from the caches, those are
   * forgotten and the values built again from fresh look-ups; the sale is
   * sent again only if they differ. A timeout here leaves the outcome
   * unknown (the ErpError says so); the next attempt's look-up by reference
   * then finds the sale if it was made.
   */
  private async createWithLookups(build: (fresh: boolean) => Promise<{ values: Record<string, unknown>; use: CacheUse }>, context: Ctx, signal?: AbortSignal): Promise<number> {
    const create = async (values: Record<string, unknown>) =>
      (await this.rpc.call<number[]>("model.sale.sale.create", [[values], context], { isWrite: true, signal }))[0];
    const first = await build(false);
    try {
      return await create(first.values);
    } catch (error) {
      const { use } = first;
      const refused = error instanceof ErpError && error.kind === "permanent" && !error.outcomeUnknown;
      if (!refused || (use.products.length === 0 && !use.currency && !use.party)) throw error;
      for (const code of use.products) this.products.delete(code);
      if (use.currency) this.currencies.delete(use.currency);
      if (use.party) this.parties.delete(use.party);
      const fresh = await build(true);
      if (JSON.stringify(fresh.values) === JSON.stringify(first.values)) throw error;
      return create(fresh.values);
    }
  }

  async updateOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const sale = await this.readSale(Number(ref.documentId), ctx.signal);
      if (!EDITABLE_STATES.has(sale.state)) {
        throw documentLockedProblem(
          order,
          `Tryton sale ${sale.number ?? sale.id}`,
          sale.state,
          "Make the change in Tryton by hand, then choose \"Mark resolved\".",
        );
      }
      const context = await this.context(ctx.signal);
      const lines = await this.saleLines(order, context, ctx.signal);
      try {
        if (sale.state === "quotation") {
          await this.rpc.call("model.sale.sale.draft", [[sale.id], context], { isWrite: true, signal: ctx.signal });
        }
        await this.rpc.call(
          "model.sale.sale.write",
          [[sale.id], { comment: this.comment(order), lines: [["delete", sale.lines], ["create", lines]] }, context],
          { isWrite: true, signal: ctx.signal },
        );
        await this.rpc.call("model.sale.sale.quote", [[sale.id], context], { isWrite: true, signal: ctx.signal });
        return this.refOf(await this.readSale(sale.id, ctx.signal));
      } catch (error) {
        throw asOutcomeUnknown(error);
      }
    });
  }

  async cancelOrder(ref: ErpOrderRef, order: CanonicalOrder, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    return orderLocks.run(this.lockKey(order.externalId), async () => {
      const sale = await this.readSale(Number(ref.documentId), ctx.signal);
      if (sale.state === "cancelled") return this.refOf(sale);
      if (!EDITABLE_STATES.has(sale.state)) {
        throw orderProblem(
          order,
          `Tryton sale ${sale.number ?? sale.id} is already ${sale.state}, so it cannot be cancelled automatically`,
          "Cancel or return it in Tryton by hand, then mark this item as resolved.",
        );
      }
      const context = await this.context(ctx.signal);
      await this.rpc.call("model.sale.sale.cancel", [[sale.id], context], { isWrite: true, signal: ctx.signal });
      return this.refOf(await this.readSale(sale.id, ctx.signal));
    });
  }

  /**
   * A refund becomes a return sale (negative quantities) with reference
   * "<external id>/refund/<refund id>", found again by that reference.
   * Returns the ORDER's sale: the engine keeps that as the order's document.
   */
  async recordRefund(ref: ErpOrderRef, order: CanonicalOrder, refund: CanonicalRefund, ctx: ConnectorCallContext): Promise<ErpOrderRef> {
    const reference = `${order.externalId}/refund/${refund.refundId}`;
    return orderLocks.run(this.lockKey(reference), async () => {
      const original = await this.readSale(Number(ref.documentId), ctx.signal);
      const existing = await this.findSale(reference, ctx.signal);
      if (existing) {
        await this.ensureQuoted(existing, ctx.signal);
        return this.refOf(original);
      }

      const context = await this.context(ctx.signal);
      const lines = await this.refundLines(order, refund, context, ctx.signal);
      const currency = await this.currencyId(order, context, ctx.signal, false, { products: [] });
      const [saleId] = await this.rpc.call<number[]>(
        "model.sale.sale.create",
        [
          [
            {
              company: context.company,
              party: original.party,
              invoice_address: original.invoice_address,
              shipment_address: original.shipment_address,
              reference,
              description: `Refund of Shopify order ${order.name}`,
              sale_date: trytonDate(refund.createdAt),
              currency,
              comment: refund.note ?? null,
              lines: [["create", lines]],
            },
          ],
          context,
        ],
        { isWrite: true, signal: ctx.signal },
      );
      try {
        await this.rpc.call("model.sale.sale.quote", [[saleId], context], { isWrite: true, signal: ctx.signal });
      } catch (error) {
        throw asOutcomeUnknown(error);
      }
      return this.refOf(original);
    });
  }

  /** The return sale a refund was recorded as, if any (for staff and tests). */
  async findRefund(order: CanonicalOrder, refundId: string, ctx: ConnectorCallContext): Promise<ErpOrderRef | null> {
    const sale = await this.findSale(`${order.externalId}/refund/${refundId}`, ctx.signal);
    return sale ? this.refOf(sale) : null;
  }

  /** Sales by reference, TRYTON_READ_BACK_BATCH references per search (docs/reconciliation.md). */
  async readBack(externalIds: string[], ctx: { signal?: AbortSignal }): Promise<Map<string, ErpDocumentSummary[]>> {
    const found = new Map<string, ErpDocumentSummary[]>(externalIds.map((id) => [id, []]));
    const ids = [...found.keys()];
    const context = await this.context(ctx.signal);
    for (let i = 0; i < ids.length; i += TRYTON_READ_BACK_BATCH) {
      const batch = ids.slice(i, i + TRYTON_READ_BACK_BATCH);
      const sales = await this.rpc.call<SaleRecord[]>(
        "model.sale.sale.search_read",
        [[["reference", "in", batch]], 0, null, [["id", "ASC"]], ["id", "number", "reference", "state", "total_amount"], context],
        { isWrite: false, signal: ctx.signal },
      );
      for (const sale of sales) {
        found.get(sale.reference ?? "")?.push({
          documentId: String(sale.id),
          documentNumber: sale.number ?? undefined,
          total: sale.total_amount ?? undefined,
          status: sale.state,
          cancelled: sale.state === "cancelled",
        });
      }
    }
    return found;
  }

  /** The sale (by id, else the first by reference) with its lines, each classed by the product the settings name. */
  async readOrder(target: { externalId: string; documentId?: string | null }, ctx: { signal?: AbortSignal }): Promise<ErpOrderDocument | null> {
    const sale = target.documentId ? await this.readSale(Number(target.documentId), ctx.signal).catch(() => null) : await this.findSale(target.externalId, ctx.signal);
    if (!sale) return null;
    const context = await this.context(ctx.signal);
    const records = await this.rpc.call<SaleLineRecord[]>(
      "model.sale.line.search_read",
      [[["sale", "=", sale.id]], 0, null, [["sequence", "ASC"], ["id", "ASC"]], ["sale", "type", "product", "quantity", "unit_price", "description"], context],
      { isWrite: false, signal: ctx.signal },
    );
    const productIds = [...new Set(records.map((l) => l.product).filter((p): p is number => p !== null))];
    const products = productIds.length
      ? await this.rpc.call<{ id: number; code: string }[]>("model.product.product.read", [productIds, ["code"], context], { isWrite: false, signal: ctx.signal })
      : [];
    const codeOf = new Map(products.map((p) => [p.id, p.code]));
    const kindOfCode = new Map<string, ErpLineKind>();
    for (const [key, code] of Object.entries(trytonBookings(this.config).numbers)) if (code) kindOfCode.set(code, key as ErpLineKind);
    const lines: ErpDocumentLine[] = records.map((l) => {
      const code = l.product !== null ? (codeOf.get(l.product) ?? null) : null;
      const quantity = String(l.quantity ?? 0);
      const unitPrice = l.unit_price ?? "0";
      return {
        kind: l.type !== "line" ? "comment" : (code && kindOfCode.get(code)) || "item",
        code,
        description: l.description ?? "",
        quantity,
        unitPrice,
        discount: "0",
        amount: l.type !== "line" ? "0" : Number.isInteger(l.quantity ?? 0) ? multiplyDecimal(unitPrice, l.quantity ?? 0) : (Number(unitPrice) * (l.quantity ?? 0)).toFixed(2),
      };
    });
    const sum = (kind: ErpLineKind) => addDecimals("0", ...lines.filter((l) => l.kind === kind).map((l) => l.amount));
    const ref = this.refOf(sale);
    return {
      documentId: ref.documentId,
      documentNumber: ref.documentNumber,
      externalId: sale.reference ?? target.externalId,
      status: sale.state,
      cancelled: sale.state === "cancelled",
      editable: EDITABLE_STATES.has(sale.state),
      lines,
      shipping: sum("shipping"),
      tax: sum("tax"),
      total: sale.total_amount ?? addDecimals("0", ...lines.map((l) => l.amount)),
      url: ref.url,
    };
  }

  // --- helpers -------------------------------------------------------------

  /** Done customer shipments of the app's sales (app/connectors/tryton/shipments.ts). */
  async readShipments(since: string | null, ctx: { signal?: AbortSignal } = {}): Promise<ShipmentRead> {
    const context = await this.context(ctx.signal);
    return readTrytonShipments((method, params) => this.rpc.call(method, params, { isWrite: false, signal: ctx.signal }), context, since);
  }

  private lockKey(reference: string): string {
    return `${this.config.url}|${this.config.database}|${reference}`;
  }

  /** Tryton's warehouses (stock.location of type warehouse): stock sync links Shopify locations to them. */
  async listLocations(ctx: { signal?: AbortSignal } = {}): Promise<ErpLocation[]> {
    const context = await this.context(ctx.signal);
    const rows = await this.rpc.call<{ id: number; name: string; code: string | null }[]>(
      "model.stock.location.search_read",
      [[["type", "=", "warehouse"]], 0, null, [["name", "ASC"]], ["id", "name", "code"], context],
      { isWrite: false, signal: ctx.signal },
    );
    return rows.map((r) => ({ id: String(r.id), name: r.code ? `${r.name} (${r.code})` : r.name }));
  }

  /**
   * Available per warehouse: product.product's computed `quantity` read with
   * the context `locations: [warehouse]`, which Tryton sums over the
   * warehouse and its child locations (storage, input, output) at today's
   * date (docs/stock.md). Goods with a code only: the code is the item number.
   * Tryton cannot say what changed since a time, so every read is complete.
   */
  async readStock(options: { since?: Date; signal?: AbortSignal } = {}): Promise<ErpStockRead> {
    const context = await this.context(options.signal);
    const warehouses = await this.listLocations({ signal: options.signal });
    const records: ErpStockRead["records"] = [];
    for (const warehouse of warehouses) {
      const products = await this.rpc.call<{ code: string | null; quantity: number | null }[]>(
        "model.product.product.search_read",
        [[["type", "=", "goods"], ["code", "!=", null]], 0, null, [["id", "ASC"]], ["code", "quantity"], { ...context, locations: [Number(warehouse.id)] }],
        { isWrite: false, signal: options.signal },
      );
      for (const p of products) if (p.code) records.push({ itemNumber: p.code, locationId: warehouse.id, quantity: p.quantity });
    }
    return { records, complete: true };
  }

  /**
   * Products (model product.product: `code` is the item number the sale
   * lines are found by, `name` the template's name) whose code or name
   * contains the query, `ilike` (case-insensitive), with a code, in one
   * search_read. `%`, `_` and `\` in the query are matched literally.
   */
  async searchItems(query: string, ctx: { signal?: AbortSignal } = {}): Promise<ErpItem[]> {
    const text = query.trim();
    if (!text) return [];
    const context = await this.context(ctx.signal);
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const products = await this.rpc.call<{ code: string | null; name: string | null }[]>(
      "model.product.product.search_read",
      [[["code", "!=", null], ["OR", ["code", "ilike", pattern], ["name", "ilike", pattern]]], 0, ERP_ITEM_SEARCH_LIMIT, [["code", "ASC"]], ["code", "name"], context],
      { isWrite: false, signal: ctx.signal },
    );
    return rankedItemMatches(
      text,
      products.flatMap((p) => (p.code ? [{ number: p.code, name: p.name ?? "" }] : [])),
    );
  }

  private async context(signal?: AbortSignal): Promise<Ctx & { company: number }> {
    if (this.companyId == null) {
      const prefs = await this.rpc.call<{ company?: number | null }>("model.res.user.get_preferences", [true, {}], { isWrite: false, signal });
      if (!prefs.company) {
        throw new ErpError({
          kind: "permanent",
          message: "Tryton user has no current company",
          userMessage: `The Tryton user "${this.config.username}" has no company selected. Set the user's company in Tryton (or enter a company id in Settings), then retry.`,
        });
      }
      this.companyId = prefs.company;
    }
    return { company: this.companyId };
  }

  private async findSale(reference: string, signal?: AbortSignal): Promise<SaleRecord | null> {
    const context = await this.context(signal);
    const sales = await this.rpc.call<SaleRecord[]>(
      "model.sale.sale.search_read",
      [[["reference", "=", reference]], 0, 1, [["id", "ASC"]], SALE_FIELDS, context],
      { isWrite: false, signal },
    );
    return sales[0] ?? null;
  }

  private async readSale(id: number, signal?: AbortSignal): Promise<SaleRecord> {
    if (!Number.isInteger(id) || id <= 0) {
      throw new ErpError({ kind: "permanent", message: `Invalid Tryton sale id ${id}`, userMessage: "The stored Tryton sale number is not valid. Look the order up again (retry), or link it by hand." });
    }
    const context = await this.context(signal);
    const sales = await this.rpc.call<SaleRecord[]>(
      "model.sale.sale.search_read",
      [[["id", "=", id]], 0, 1, null, SALE_FIELDS, context],
      { isWrite: false, signal },
    );
    if (!sales[0]) {
      throw new ErpError({
        kind: "permanent",
        message: `Tryton sale ${id} not found`,
        userMessage: `The Tryton sale (id ${id}) linked to this order no longer exists. If it was deleted on purpose, re-send the order as new.`,
      });
    }
    return sales[0];
  }

  private async ensureQuoted(sale: SaleRecord, signal?: AbortSignal): Promise<SaleRecord> {
    // An earlier attempt may have created the sale but failed before quoting it.
    if (sale.state !== "draft") return sale;
    const context = await this.context(signal);
    await this.rpc.call("model.sale.sale.quote", [[sale.id], context], { isWrite: true, signal });
    return this.readSale(sale.id, signal);
  }

  private refOf(sale: SaleRecord): ErpOrderRef {
    return {
      documentId: String(sale.id),
      documentNumber: sale.number ?? undefined,
      total: sale.total_amount ?? undefined,
      status: sale.state,
      url: `${this.config.url.replace(/\/+$/, "")}/#${encodeURIComponent(this.config.database)}/model/sale.sale/${sale.id}`,
    };
  }

  private comment(order: CanonicalOrder): string {
    const parts = [`Shopify order ${order.name}`];
    if (order.note) parts.push(`Note: ${order.note}`);
    const ship = order.shippingAddress ? formatAddress(order.shippingAddress) : null;
    if (ship) parts.push(`Ship to: ${ship}`);
    return parts.join("\n");
  }

  private async currencyId(order: CanonicalOrder, context: Ctx, signal: AbortSignal | undefined, fresh: boolean, use: CacheUse): Promise<number> {
    const cached = fresh ? undefined : this.currencies.get(order.currency);
    if (cached !== undefined) {
      use.currency = order.currency;
      return cached;
    }
    const ids = await this.rpc.call<number[]>("model.currency.currency.search", [[["code", "=", order.currency]], 0, 1, null, context], { isWrite: false, signal });
    if (!ids[0]) {
      throw orderProblem(order, `Tryton has no currency ${order.currency}`, `Add the currency ${order.currency} in Tryton (Currency > Currencies), then retry.`);
    }
    this.currencies.set(order.currency, ids[0]);
    return ids[0];
  }

  /** Tryton's products with these codes (cached ones unless `fresh`); codes Tryton lacks are absent. */
  private async productsByCode(codes: string[], context: Ctx, signal: AbortSignal | undefined, fresh: boolean, use: CacheUse): Promise<Map<string, ProductRecord>> {
    const found = new Map<string, ProductRecord>();
    const missing: string[] = [];
    for (const code of new Set(codes)) {
      const product = fresh ? undefined : this.products.get(code);
      if (product) {
        found.set(code, product);
        use.products.push(code);
      } else {
        missing.push(code);
      }
    }
    if (missing.length === 0) return found;
    const products = await this.rpc.call<ProductRecord[]>(
      "model.product.product.search_read",
      [[["code", "in", missing]], 0, null, null, ["id", "code", "sale_uom", "default_uom"], context],
      { isWrite: false, signal },
    );
    for (const product of products) {
      found.set(product.code, product);
      this.products.set(product.code, product);
    }
    return found;
  }

  /**
   * The sale's lines: one per document part (docs/connectors.md, "Money on
   * the ERP documents"), each on its product. Lines carry no Tryton taxes, so
   * the tax a tax-exclusive order adds is a line of its own on the tax
   * product, and the sale totals what the customer pays.
   */
  private async saleLines(order: CanonicalOrder, context: Ctx, signal?: AbortSignal, fresh = false, use: CacheUse = { products: [] }): Promise<Record<string, unknown>[]> {
    const parts = salesDocumentParts(order, trytonBookings(this.config), { erpAddsTax: false });
    const products = await this.productsOf(order, parts, context, signal, fresh, use);
    return parts.flatMap((part) => this.linesOf(part, products, 1));
  }

  /**
   * A refund's return sale: each credit-note part at a negative quantity, so
   * its total is minus (money returned + exchange credit), the exchange
   * shown as a comment line.
   */
  private async refundLines(order: CanonicalOrder, refund: CanonicalRefund, context: Ctx, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const { parts, exchangeNote } = creditNoteParts(order, refund, trytonBookings(this.config), { erpAddsTax: false });
    const products = await this.productsOf(order, parts, context, signal, false, { products: [] });
    const lines = parts.flatMap((part) => this.linesOf(part, products, -1));
    if (exchangeNote) lines.push({ type: "comment", description: exchangeNote });
    if (lines.length === 0) lines.push({ type: "comment", description: `Refund of ${refund.amount} ${order.currency} without returned items` });
    return lines;
  }

  /** Tryton's products for the parts, by code; a missing one is the order's problem, naming the line or setting. */
  private async productsOf(order: CanonicalOrder, parts: DocumentPart[], context: Ctx, signal: AbortSignal | undefined, fresh: boolean, use: CacheUse): Promise<Map<string, ProductRecord>> {
    const products = await this.productsByCode(parts.map((p) => p.booking.number), context, signal, fresh, use);
    const unknownItems = parts.filter((p) => p.booking.on === "item" && !products.has(p.booking.number)).map((p) => p.line!);
    if (unknownItems.length) throw unknownItemsProblem(order, TRYTON_NAME, [...new Set(unknownItems)]);
    const unknownSetting = parts.find((p) => p.booking.on !== "item" && !products.has(p.booking.number));
    if (unknownSetting) {
      const label = trytonBookings(this.config).labels[unknownSetting.booking.on as BookingKey]!;
      throw unknownSettingProblem(order, TRYTON_NAME, label, unknownSetting.booking.number);
    }
    return products;
  }

  /** Sale lines for one part (two when its amount has no exact unit price), `sign` -1 on a return sale. */
  private linesOf(part: DocumentPart, products: Map<string, ProductRecord>, sign: 1 | -1): Record<string, unknown>[] {
    const product = products.get(part.booking.number)!;
    return exactQuantityPrices(part.amount, part.quantity, UNIT_PRICE_DIGITS).map(({ quantity, unitPrice }) => ({
      type: "line",
      product: product.id,
      unit: product.sale_uom ?? product.default_uom,
      quantity: sign * quantity,
      unit_price: trytonDecimal(unitPrice),
      description: part.description,
    }));
  }

  /** The customer party (by e-mail, created when new) and the address for the sale. */
  private async resolveParty(order: CanonicalOrder, context: Ctx, signal: AbortSignal | undefined, fresh: boolean, use: CacheUse): Promise<PartyChoice> {
    const email = order.customer?.email?.trim();
    const key = email ? email.toLowerCase() : this.config.defaultPartyCode ? `code:${this.config.defaultPartyCode}` : undefined;
    const cached = key && !fresh ? this.parties.get(key) : undefined;
    if (cached) {
      use.party = key;
      return cached;
    }
    const choice = await this.lookUpParty(order, email, context, signal);
    this.parties.set(key!, choice);
    return choice;
  }

  private async lookUpParty(order: CanonicalOrder, email: string | undefined, context: Ctx, signal?: AbortSignal): Promise<PartyChoice> {
    if (!email) {
      const code = this.config.defaultPartyCode;
      if (!code) {
        throw orderProblem(
          order,
          "it has no customer e-mail (a point-of-sale or guest order), so the Tryton customer cannot be found",
          "Set \"Customer for orders without e-mail\" in Settings (or add an e-mail to the order's customer in Shopify), then retry.",
        );
      }
      const ids = await this.rpc.call<number[]>("model.party.party.search", [[["code", "=", code]], 0, 1, null, context], { isWrite: false, signal });
      if (!ids[0]) {
        throw orderProblem(order, `the default customer "${code}" set in Settings does not exist in Tryton`, "Correct the code in Settings, then retry.");
      }
      return { partyId: ids[0], addressId: await this.firstAddress(ids[0], order, context, signal) };
    }

    // One lock per e-mail: two first orders of a new customer must not create two parties.
    return partyLocks.run(`${this.config.url}|${this.config.database}|${email.toLowerCase()}`, async () => {
      const mechanisms = await this.rpc.call<{ party: number; value: string }[]>(
        "model.party.contact_mechanism.search_read",
        [[["type", "=", "email"], ["value", "ilike", email]], 0, 10, [["id", "ASC"]], ["party", "value"], context],
        { isWrite: false, signal },
      );
      // ilike treats _ and % as wildcards: keep only true (case-insensitive) matches.
      const match = mechanisms.find((m) => m.value.trim().toLowerCase() === email.toLowerCase());
      if (match) return { partyId: match.party, addressId: await this.firstAddress(match.party, order, context, signal) };

      const address = await this.addressValues(order.billingAddress ?? order.shippingAddress, context, signal);
      // Party codes come from one sequence: creating parties one at a time
      // per database avoids two new customers drawing the same code.
      const [partyId] = await partyLocks.run(`${this.config.url}|${this.config.database}|party-create`, () =>
        this.rpc.call<number[]>(
          "model.party.party.create",
          [[{ name: partyName(order), contact_mechanisms: [["create", [{ type: "email", value: email }]]], addresses: [["create", [address]]] }], context],
          { isWrite: true, signal },
        ),
      );
      return { partyId, addressId: await this.firstAddress(partyId, order, context, signal) };
    });
  }

  /** Tryton address values; the country is set when Tryton knows its ISO code (countries are optional data). */
  private async addressValues(a: CanonicalAddress | null, context: Ctx, signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (!a) return {};
    const street = [a.address1, a.address2].filter(Boolean).join("\n");
    const values: Record<string, unknown> = {
      party_name: a.company || null,
      street: street || null,
      postal_code: a.zip || null,
      city: a.city || null,
    };
    if (a.countryCode) {
      const code = a.countryCode.toUpperCase();
      let country = this.countries.get(code);
      if (country === undefined) {
        [country] = await this.rpc.call<number[]>("model.country.country.search", [[["code", "=", code]], 0, 1, null, context], { isWrite: false, signal });
        if (country) this.countries.set(code, country);
      }
      if (country) values.country = country;
    }
    return values;
  }

  private async firstAddress(partyId: number, order: CanonicalOrder, context: Ctx, signal?: AbortSignal): Promise<number | null> {
    const ids = await this.rpc.call<number[]>("model.party.address.search", [[["party", "=", partyId]], 0, 1, [["sequence", "ASC"], ["id", "ASC"]], context], { isWrite: false, signal });
    if (ids[0]) return ids[0];
    const address = order.billingAddress ?? order.shippingAddress;
    const [created] = await this.rpc.call<number[]>(
      "model.party.address.create",
      [[{ party: partyId, ...(await this.addressValues(address, context, signal)) }], context],
      { isWrite: true, signal },
    );
    return created;
  }
}

const SALE_FIELDS = ["id", "number", "reference", "state", "total_amount", "party", "invoice_address", "shipment_address", "lines"];

function partyName(order: CanonicalOrder): string {
  const c = order.customer;
  const name = [c?.firstName, c?.lastName].filter(Boolean).join(" ").trim();
  if (name) return name;
  const a = order.billingAddress ?? order.shippingAddress;
  const addressName = [a?.firstName, a?.lastName].filter(Boolean).join(" ").trim();
  return addressName || a?.company || c?.email || `Shopify customer (${order.name})`;
}



function formatAddress(a: CanonicalAddress): string {
  return [
    [a.firstName, a.lastName].filter(Boolean).join(" "),
    a.company,
    a.address1,
    a.address2,
    [a.zip, a.city].filter(Boolean).join(" "),
    a.province,
    a.country,
  ]
    .filter((p) => p && String(p).trim())
    .join(", ");
}
