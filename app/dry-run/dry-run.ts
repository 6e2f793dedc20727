// Dry run of a settings change: the stored order snapshots of the last days
// are replayed through the settings as they are and as the merchant proposes
// them, with the engine's own pure steps (order mapper, filters, sync rules,
// validation, SKU mapping), and nothing is written anywhere. The result says
// which orders would start or stop syncing, what would change in each ERP
// document (the canonical order the connector is handed), and the money
// affected, so the merchant saves with that in front of them.
//
// It decides as app/sync/delivery/deliver.ts plans a create: an order already
// in the ERP is past the filters (its updates still flow), a manual skip
// stays skipped, a turned-off create skips, validation problems stop the
// order, and the SKU mapping fills in item numbers. The money check and the
// connector's own translation into ERP fields are not part of a dry run.
import { ErpError } from "../connectors/port";
import { addDecimals, compareDecimals, isDecimal, subtractDecimals } from "../lib/decimal";
import type { CanonicalOrder } from "../sync/order/canonical-order";
import { parseJsonExact } from "../sync/order/exact-json";
import { filterReason } from "../sync/order/filters";
import { applyItemNumbers, mapOrder } from "../sync/order/order-mapper";
import type { StoredRefund } from "../sync/order/refund-mapper";
import type { ShopifyRestOrder } from "../sync/order/shopify-rest-order";
import type { SyncRules } from "../sync/order/sync-rules";
import { validateOrder } from "../sync/order/validation";

export const DEFAULT_DRY_RUN_DAYS = 14;
/** Orders listed one by one in each group; the counts and totals cover all of them. */
export const MAX_LISTED_ORDERS = 200;
/** Field differences listed per order. */
export const MAX_FIELD_CHANGES = 40;

/** One stored ledger row, as much as a dry run reads. */
export interface StoredOrder {
  id: string;
  orderName: string;
  state: string;
  snapshot: string;
  refunds: string;
  erpDocumentId: string | null;
  createMaybeSent: boolean;
  manualSkip: boolean;
}

/** The settings that decide what is sent. */
export interface DryRunSettings {
  rules: SyncRules;
  externalIdPrefix: string;
  /** SKU → ERP item number, for every SKU the stored orders carry that has a mapping. */
  itemNumbers: Map<string, string>;
  skuFallbackAllowed: boolean;
  connectorConfigured: boolean;
  /**
   * How the chosen connector books a document with these settings
   * (ConnectorDefinition.previewDocument); null when it sends the canonical
   * order as it is (generic connector) or none is chosen.
   */
  erpPreview?: ((order: CanonicalOrder) => unknown) | null;
}

export type Verdict =
  | { kind: "send"; document: CanonicalOrder; erp?: unknown }
  | { kind: "skip"; reason: string }
  | { kind: "blocked"; problems: string[] };

export interface FieldChange {
  /** Path in the canonical order, e.g. "lines[0].itemNumber". */
  path: string;
  before: unknown;
  after: unknown;
}

export interface OrderChange {
  id: string;
  orderName: string;
  /** Already in the ERP: the change reaches it with the order's next update. */
  inErp: boolean;
  currency: string;
  total: string;
  before: string;
  after: string;
  /** Why it would not sync (stop) or why it did not (start). */
  reason?: string;
  changes?: FieldChange[];
}

export interface MoneyByCurrency {
  currency: string;
  /** Order totals that would start / stop reaching the ERP. */
  starting: string;
  stopping: string;
  /** Sum over changed documents of (total after − total before). */
  changedBy: string;
}

export interface DryRunResult {
  days: number;
  ordersReplayed: number;
  /** Stored rows that could not be read (no order yet, or an unreadable copy): left out. */
  unreadable: number;
  start: { count: number; orders: OrderChange[] };
  stop: { count: number; orders: OrderChange[] };
  changed: { count: number; orders: OrderChange[] };
  unchanged: number;
  money: MoneyByCurrency[];
  durationMs: number;
}

interface Prepared {
  row: StoredOrder;
  raw: ShopifyRestOrder;
  /** Mapped once with an empty prefix; each side sets its own external id. */
  base: CanonicalOrder;
  inErp: boolean;
}

export function prepareOrder(row: StoredOrder, shop: string): Prepared | null {
  if (!row.snapshot) return null;
  let raw: ShopifyRestOrder;
  let refunds: StoredRefund[] = [];
  try {
    // Intake stored this text only after shopifyRestOrderSchema accepted it
    // (app/sync/intake/intake.ts), and the schema only checks (no defaults,
    // no transforms): checking it again would be most of a dry run's time.
    // A copy that no longer maps is counted as unreadable instead.
    const value = parseJsonExact(row.snapshot) as ShopifyRestOrder | null;
    if (!value || typeof value !== "object" || !Array.isArray(value.line_items)) return null;
    raw = value;
    const stored: unknown = JSON.parse(row.refunds || "[]");
    if (Array.isArray(stored)) refunds = stored as StoredRefund[];
    const base = mapOrder(raw, { shop, externalIdPrefix: "", extraRefunds: refunds });
    return { row, raw, base, inErp: row.erpDocumentId !== null || row.createMaybeSent };
  } catch {
    return null;
  }
}

/** What the engine would do with this order under these settings. */
export function verdictFor(p: Prepared, s: DryRunSettings): Verdict {
  if (p.row.manualSkip) return { kind: "skip", reason: "Skipped by staff." };
  const order: CanonicalOrder = { ...p.base, externalId: `${s.externalIdPrefix}${p.base.shopifyOrderId}` };
  if (!p.inErp) {
    const reason = filterReason(order, p.raw, s.rules);
    if (reason) return { kind: "skip", reason };
    if (order.cancelledAt !== null) return { kind: "skip", reason: `Order ${order.name} is cancelled in Shopify, so nothing would be created in the ERP.` };
    if (!s.rules.events.create) return { kind: "skip", reason: `Creating ERP orders is turned off in the sync rules.` };
  }
  const mapped = new Set<string>();
  for (const line of order.lines) if (line.sku && s.itemNumbers.has(line.sku)) mapped.add(line.sku);
  const problems = validateOrder(order, { connectorConfigured: s.connectorConfigured, skuFallbackAllowed: s.skuFallbackAllowed, mappedSkus: mapped });
  if (problems.length > 0) return { kind: "blocked", problems };
  const document = applyItemNumbers(order, s.itemNumbers, s.skuFallbackAllowed);
  if (!s.erpPreview) return { kind: "send", document };
  try {
    return { kind: "send", document, erp: s.erpPreview(document) };
  } catch (error) {
    // A setting the order needs is empty: the connector would refuse it before writing.
    if (error instanceof ErpError) return { kind: "blocked", problems: [error.userMessage] };
    throw error;
  }
}

function describeVerdict(v: Verdict): string {
  return v.kind === "send" ? "sent to the ERP" : v.kind === "skip" ? "skipped" : "stopped: needs attention";
}

/** Field-by-field differences of two JSON values, paths in dot/bracket form (arrays by index). */
export function diffFields(before: unknown, after: unknown, path = "", out: FieldChange[] = []): FieldChange[] {
  if (out.length >= MAX_FIELD_CHANGES) return out;
  if (before === after) return out;
  const bothObjects = before !== null && after !== null && typeof before === "object" && typeof after === "object";
  if (!bothObjects || Array.isArray(before) !== Array.isArray(after)) {
    out.push({ path: path || "(document)", before: before ?? null, after: after ?? null });
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length && out.length < MAX_FIELD_CHANGES; i++) diffFields(before[i], after[i], `${path}[${i}]`, out);
    return out;
  }
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (out.length >= MAX_FIELD_CHANGES) break;
    diffFields(a[key], b[key], path ? `${path}.${key}` : key, out);
  }
  return out;
}

function money(currency: string, table: Map<string, MoneyByCurrency>): MoneyByCurrency {
  let m = table.get(currency);
  if (!m) {
    m = { currency, starting: "0.00", stopping: "0.00", changedBy: "0.00" };
    table.set(currency, m);
  }
  return m;
}

const dec = (v: string | null | undefined) => (v && isDecimal(v) ? v : "0.00");

/**
 * Replays every stored order through both settings. Pure: the caller reads
 * the rows and the mappings, and writes nothing with the result.
 */
export function dryRun(
  rows: StoredOrder[],
  shop: string,
  current: DryRunSettings,
  proposed: DryRunSettings,
  options: { days?: number; clock?: () => number } = {},
): DryRunResult {
  const run = startDryRun(shop, current, proposed, options);
  run.add(rows);
  return run.finish();
}

/**
 * A dry run fed page by page, so the web process never holds more than one
 * page of stored snapshots (a busy shop's 90 days would not fit its heap).
 * The settings' item-number maps may grow between pages (the caller looks up
 * each page's new SKUs); only the listed orders and the totals are kept.
 */
export function startDryRun(
  shop: string,
  current: DryRunSettings,
  proposed: DryRunSettings,
  options: { days?: number; clock?: () => number } = {},
): { add(rows: StoredOrder[]): void; finish(): DryRunResult } {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const result: DryRunResult = {
    days: options.days ?? DEFAULT_DRY_RUN_DAYS,
    ordersReplayed: 0,
    unreadable: 0,
    start: { count: 0, orders: [] },
    stop: { count: 0, orders: [] },
    changed: { count: 0, orders: [] },
    unchanged: 0,
    money: [],
    durationMs: 0,
  };
  const totals = new Map<string, MoneyByCurrency>();
  const add = (row: StoredOrder): void => {
    const p = prepareOrder(row, shop);
    if (!p) {
      result.unreadable++;
      return;
    }
    result.ordersReplayed++;
    const before = verdictFor(p, current);
    const after = verdictFor(p, proposed);
    const entry = (): OrderChange => ({
      id: row.id,
      orderName: row.orderName,
      inErp: p.inErp,
      currency: p.base.currency,
      total: dec(p.base.totals.total),
      before: describeVerdict(before),
      after: describeVerdict(after),
    });
    if (before.kind !== "send" && after.kind === "send") {
      result.start.count++;
      const m = money(p.base.currency, totals);
      m.starting = addDecimals(m.starting, dec(p.base.totals.total));
      if (result.start.orders.length < MAX_LISTED_ORDERS) {
        result.start.orders.push({ ...entry(), reason: before.kind === "skip" ? before.reason : before.problems.join(" ") });
      }
    } else if (before.kind === "send" && after.kind !== "send") {
      result.stop.count++;
      const m = money(p.base.currency, totals);
      m.stopping = addDecimals(m.stopping, dec(p.base.totals.total));
      if (result.stop.orders.length < MAX_LISTED_ORDERS) {
        result.stop.orders.push({ ...entry(), reason: after.kind === "skip" ? after.reason : after.problems.join(" ") });
      }
    } else if (before.kind === "send" && after.kind === "send") {
      const changes = diffFields(before.document, after.document);
      if (before.erp !== undefined || after.erp !== undefined) diffFields(before.erp, after.erp, "erp", changes);
      if (changes.length === 0) {
        result.unchanged++;
        return;
      }
      result.changed.count++;
      const delta = subtractDecimals(dec(after.document.totals.total), dec(before.document.totals.total));
      if (compareDecimals(delta, "0") !== 0) {
        const m = money(p.base.currency, totals);
        m.changedBy = addDecimals(m.changedBy, delta);
      }
      if (result.changed.orders.length < MAX_LISTED_ORDERS) result.changed.orders.push({ ...entry(), changes });
    } else {
      result.unchanged++;
    }
  };
  return {
    add(rows) {
      for (const row of rows) add(row);
    },
    finish() {
      result.money = [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
      result.durationMs = Math.round(clock() - started);
      return result;
    },
  };
}

/** Every SKU the stored orders carry (to read their current mappings once). */
export function skusOf(rows: StoredOrder[]): string[] {
  const skus = new Set<string>();
  const pattern = /"sku"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
  for (const row of rows) {
    for (const match of row.snapshot.matchAll(pattern)) {
      try {
        const sku = JSON.parse(`"${match[1]}"`) as string;
        if (sku) skus.add(sku);
      } catch {
        // not a JSON string: ignore
      }
    }
  }
  return [...skus];
}
