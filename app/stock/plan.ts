// The stock planner: pure, no I/O. Given what the ERP says it holds, what
// Shopify shows, the mappings between them and what Shopify has sold that the
// ERP has not received yet, it decides which available quantities to set in
// Shopify and which items are problems (nothing is written for those). The
// formula and the rules are in docs/stock.md; test/stock/plan.property.test.ts
// checks this against a reference model.
import { parseErpQuantity } from "./erp-quantity";

/** One figure from the ERP: units of an item at one of its locations (raw, as the ERP sent it). */
export interface ErpStockFigure {
  itemNumber: string;
  erpLocationId: string;
  quantity: unknown;
}

/** A Shopify location the app writes, and the ERP location whose figure it takes. */
export interface LocationLink {
  shopifyLocationId: string;
  erpLocationId: string;
}

/** A variant as Shopify has it: its inventory item and the available quantity per location it is stocked at. */
export interface ShopifyVariantStock {
  variantId: string;
  sku: string | null;
  inventoryItemId: string;
  tracked: boolean;
  /** Shopify location id -> available. A location missing here does not stock the item. */
  levels: Record<string, number>;
}

/** Units Shopify has sold that the ERP has not received (ledger rows not yet in the ERP). */
export interface UnsyncedSold {
  sku: string;
  /** The Shopify location the units left from, when the order says; null: the primary (first) linked location. */
  locationId: string | null;
  quantity: number;
}

export interface StockPlanInput {
  /** Every location the ERP lists (its warehouses). */
  erpLocationIds: readonly string[];
  /** Ordered: the first is the primary location (orders without a location count there). */
  locations: readonly LocationLink[];
  figures: readonly ErpStockFigure[];
  /** The shop's SKU mapping (SKU -> ERP item number), read in reverse here. */
  skuMappings: readonly { sku: string; itemNumber: string }[];
  /** An unmapped SKU is the ERP item number as it is (when the connector allows it). */
  skuFallback: boolean;
  variants: readonly ShopifyVariantStock[];
  unsyncedSold: readonly UnsyncedSold[];
  /** The figures cover the whole ERP catalogue: a SKU with none is unknown to the ERP. Otherwise only items with figures are compared. */
  complete: boolean;
  /**
   * SKUs sold while Shopify's levels were being read: a level that looks
   * equal to its target may be from before the sale, so it is written anyway
   * (quantity = changeFromQuantity), which makes Shopify check it.
   */
  verify?: ReadonlySet<string>;
}

export interface StockWrite {
  variantId: string;
  sku: string;
  inventoryItemId: string;
  locationId: string;
  erpQuantity: number;
  unsyncedSold: number;
  /** Shopify's available as read: the compare-and-swap value. */
  changeFromQuantity: number;
  /** The target: max(0, erpQuantity - unsyncedSold). */
  quantity: number;
}

export type StockProblemKind =
  | "duplicate-sku"
  | "untracked"
  | "shared-item"
  | "unknown-to-erp"
  | "unknown-warehouse"
  | "bad-quantity"
  | "not-stocked"
  | "unlisted-erp-location"
  // Shopify refused the write (item deleted, not stocked any more): set by the run, not the planner.
  | "refused";

export interface StockProblem {
  kind: StockProblemKind;
  /** null for a location problem (unlisted-erp-location). */
  sku: string | null;
  variantIds: string[];
  /** The Shopify location concerned, for location problems and not-stocked. */
  locationId?: string;
  message: string;
}

export interface StockPlan {
  writes: StockWrite[];
  problems: StockProblem[];
  /** (variant, location) pairs compared. */
  compared: number;
  /** Pairs already equal to their target. */
  unchanged: number;
  /** Variants without a SKU (never written; not a problem: not every variant is stock). */
  withoutSku: number;
}

/** The target available quantity for an ERP figure and the units sold but not in the ERP yet. */
export function targetAvailable(erpQuantity: number, unsyncedSold: number): number {
  return Math.max(0, erpQuantity - unsyncedSold);
}

export function planStock(input: StockPlanInput): StockPlan {
  const plan: StockPlan = { writes: [], problems: [], compared: 0, unchanged: 0, withoutSku: 0 };
  const listed = new Set(input.erpLocationIds);

  // Location links the ERP can answer for; the others are problems and never written.
  const links: LocationLink[] = [];
  for (const link of input.locations) {
    if (listed.has(link.erpLocationId)) links.push(link);
    else
      plan.problems.push({
        kind: "unlisted-erp-location",
        sku: null,
        variantIds: [],
        locationId: link.shopifyLocationId,
        message: `The ERP no longer lists the warehouse "${link.erpLocationId}" this Shopify location is linked to, so the app does not change stock there. Choose another warehouse for it under Settings → Who owns what.`,
      });
  }
  const primary = input.locations[0]?.shopifyLocationId;

  const mapping = new Map(input.skuMappings.map((m) => [m.sku, m.itemNumber]));
  const itemOf = (sku: string): string | null => mapping.get(sku) ?? (input.skuFallback ? sku : null);

  // ERP figures by item, then by ERP location. One value per pair as a rule;
  // a pair sent more than once keeps every value (Repeated) so differing ones are caught.
  // (A short list of [location, value] per item: a catalogue has tens of thousands of items with a few locations each.)
  const figures = new Map<string, [string, unknown][]>();
  for (const f of input.figures) {
    let byLocation = figures.get(f.itemNumber);
    if (!byLocation) figures.set(f.itemNumber, (byLocation = []));
    const seen = byLocation.find((e) => e[0] === f.erpLocationId);
    if (!seen) byLocation.push([f.erpLocationId, f.quantity]);
    else seen[1] = seen[1] instanceof Repeated ? seen[1].add(f.quantity) : new Repeated([seen[1], f.quantity]);
  }

  const sold = new Map<string, number>();
  for (const s of input.unsyncedSold) {
    const location = s.locationId ?? primary;
    if (location === undefined) continue;
    const key = soldKey(s.sku, location);
    sold.set(key, (sold.get(key) ?? 0) + s.quantity);
  }

  const bySku = new Map<string, ShopifyVariantStock[]>();
  for (const v of input.variants) {
    const sku = v.sku?.trim() ? v.sku : null;
    if (sku === null) {
      plan.withoutSku++;
      continue;
    }
    const group = bySku.get(sku);
    if (group) group.push(v);
    else bySku.set(sku, [v]);
  }
  // Items more than one SKU draws on (each would show the same stock twice).
  const firstSkuOf = new Map<string, string>();
  const sharedItems = new Map<string, string[]>();
  for (const sku of bySku.keys()) {
    const item = itemOf(sku);
    if (item === null) continue;
    const first = firstSkuOf.get(item);
    if (first === undefined) firstSkuOf.set(item, sku);
    else sharedItems.set(item, [...(sharedItems.get(item) ?? [first]), sku]);
  }
  firstSkuOf.clear();

  for (const [sku, variants] of bySku) {
    const variantIds = variants.map((v) => v.variantId);
    const problem = (kind: StockProblemKind, message: string, locationId?: string) =>
      plan.problems.push({ kind, sku, variantIds, message, ...(locationId ? { locationId } : {}) });
    const item = itemOf(sku);
    const itemFigures = item === null ? undefined : figures.get(item);
    if (!itemFigures && !input.complete) continue; // not in this (partial) read: nothing to compare

    if (variants.length > 1) {
      problem(
        "duplicate-sku",
        `${variants.length} variants in Shopify have the SKU "${sku}", so the app cannot tell which one the ERP's stock belongs to and changes none of them. Give each variant its own SKU in Shopify.`,
      );
      continue;
    }
    const variant = variants[0];
    if (!variant.tracked) {
      problem(
        "untracked",
        `Shopify does not track inventory for SKU "${sku}", so the app leaves it alone. Turn on "Track quantity" for this variant in Shopify if the ERP should set its stock.`,
      );
      continue;
    }
    if (item === null || !itemFigures) {
      problem(
        "unknown-to-erp",
        item === null
          ? `SKU "${sku}" has no ERP item number, so the app does not know its stock. Add it to the SKU mapping under Settings.`
          : `The ERP has no item "${item}" for SKU "${sku}", so the app does not change its stock. Check the SKU mapping under Settings, or create the item in the ERP.`,
      );
      continue;
    }
    const sharing = sharedItems.get(item) ?? [];
    if (sharing.length > 1) {
      problem(
        "shared-item",
        `SKUs ${sharing.map((s) => `"${s}"`).join(", ")} all draw on ERP item "${item}", so each would show the same stock twice. Map each SKU to its own item under Settings.`,
      );
      continue;
    }
    const unknownWarehouses = itemFigures.map((e) => e[0]).filter((l) => !listed.has(l));
    if (unknownWarehouses.length > 0) {
      problem(
        "unknown-warehouse",
        `The ERP reported stock of item "${item}" at ${unknownWarehouses.map((l) => `"${l}"`).join(", ")}, a warehouse it does not list, so the app changes nothing for SKU "${sku}" until the ERP's figures agree. Check the warehouse in the ERP.`,
      );
      continue;
    }

    const targets: { link: LocationLink; erp: number }[] = [];
    const bad: string[] = [];
    for (const link of links) {
      const entry = itemFigures.find((e) => e[0] === link.erpLocationId);
      if (!entry) continue; // the ERP said nothing about this location: nothing to write there
      const raw = entry[1];
      const parsed = (raw instanceof Repeated ? raw.values : [raw]).map(parseErpQuantity);
      const failed = parsed.find((p) => !p.ok);
      if (failed && !failed.ok) {
        bad.push(`at "${link.erpLocationId}" ${failed.reason}`);
        continue;
      }
      const values = new Set(parsed.map((p) => (p.ok ? p.value : NaN)));
      if (values.size > 1) {
        bad.push(`at "${link.erpLocationId}" was sent twice with different figures (${[...values].join(", ")})`);
        continue;
      }
      targets.push({ link, erp: [...values][0] });
    }
    if (bad.length > 0) {
      problem(
        "bad-quantity",
        `The ERP's stock of item "${item}" ${bad.join("; ")}, so the app does not change SKU "${sku}". Correct the quantity in the ERP; the next stock run picks it up.`,
      );
      continue;
    }

    for (const { link, erp } of targets) {
      const location = link.shopifyLocationId;
      const unsynced = sold.get(soldKey(sku, location)) ?? 0;
      const quantity = targetAvailable(erp, unsynced);
      const current = variant.levels[location];
      if (current === undefined) {
        if (quantity > 0)
          problem(
            "not-stocked",
            `SKU "${sku}" is not stocked at this Shopify location, so the ERP's ${quantity} cannot be shown there. Stock the product at the location in Shopify (or unlink the location).`,
            location,
          );
        continue;
      }
      plan.compared++;
      if (current === quantity && !input.verify?.has(sku)) {
        plan.unchanged++;
        continue;
      }
      plan.writes.push({
        variantId: variant.variantId,
        sku,
        inventoryItemId: variant.inventoryItemId,
        locationId: location,
        erpQuantity: erp,
        unsyncedSold: unsynced,
        changeFromQuantity: current,
        quantity,
      });
    }
  }
  return plan;
}

/** Several figures the ERP sent for one item and location. */
class Repeated {
  constructor(readonly values: unknown[]) {}
  add(value: unknown): this {
    this.values.push(value);
    return this;
  }
}

function soldKey(sku: string, locationId: string): string {
  return `${locationId}\u0000${sku}`;
}
