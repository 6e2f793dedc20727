// The stock planner against a reference model: for random catalogues, ERP
// figures (good and bad), mappings, Shopify levels and unsynced orders, the
// planner writes exactly what the model says (target = max(0, ERP − unsynced
// sold), compare-and-swap from the level it read) and nothing for a problem
// item. The model states each rule per (variant, location) directly, without
// the planner's indexes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseErpQuantity } from "../../app/stock/erp-quantity";
import { planStock, type StockPlanInput, type StockProblemKind } from "../../app/stock/plan";

const SKUS = ["A", "B", "C", "D", "E"];
const ERP_LOCATIONS = ["W1", "W2", "W3"];
const SHOPIFY_LOCATIONS = ["L1", "L2", "L3"];

const rawQuantity = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 50 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: -1 }) },
  { weight: 1, arbitrary: fc.constantFrom(1.5, "2.25", 2e9, "abc", null, "7", "8.0", Number.NaN, 1e21) },
);

const input: fc.Arbitrary<StockPlanInput> = fc
  .record({
    erpLocationIds: fc.subarray(ERP_LOCATIONS),
    linkedLocations: fc.subarray(SHOPIFY_LOCATIONS),
    linkTargets: fc.array(fc.constantFrom(...ERP_LOCATIONS, "WX"), { minLength: 3, maxLength: 3 }),
    figures: fc.array(
      fc.record({ itemNumber: fc.constantFrom("A", "B", "C", "D", "E", "I1", "I2"), erpLocationId: fc.constantFrom(...ERP_LOCATIONS, "WZ"), quantity: rawQuantity }),
      { maxLength: 14 },
    ),
    skuMappings: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SKUS), itemNumber: fc.constantFrom("I1", "I2", "A", "B") }), {
      selector: (m) => m.sku,
      maxLength: 3,
    }),
    skuFallback: fc.boolean(),
    variants: fc.array(
      fc.record({
        sku: fc.option(fc.constantFrom(...SKUS, " "), { freq: 6 }),
        tracked: fc.boolean(),
        levels: fc.dictionary(fc.constantFrom(...SHOPIFY_LOCATIONS), fc.integer({ min: 0, max: 50 })),
      }),
      { maxLength: 7 },
    ),
    unsyncedSold: fc.array(
      fc.record({ sku: fc.constantFrom(...SKUS), locationId: fc.option(fc.constantFrom(...SHOPIFY_LOCATIONS)), quantity: fc.integer({ min: 1, max: 10 }) }),
      { maxLength: 6 },
    ),
    complete: fc.boolean(),
  })
  .map((r) => ({
    erpLocationIds: r.erpLocationIds,
    locations: r.linkedLocations.map((l, i) => ({ shopifyLocationId: l, erpLocationId: r.linkTargets[i] })),
    figures: r.figures,
    skuMappings: r.skuMappings,
    skuFallback: r.skuFallback,
    variants: r.variants.map((v, i) => ({ variantId: `V${i}`, inventoryItemId: `II${i}`, sku: v.sku, tracked: v.tracked, levels: v.levels })),
    unsyncedSold: r.unsyncedSold,
    complete: r.complete,
  }));

interface ModelOutcome {
  writes: string[];
  problems: string[];
}

/** The rules, one variant and one location at a time. */
function model(i: StockPlanInput): ModelOutcome {
  const writes: string[] = [];
  const problems: string[] = [];
  const hasSku = (s: string | null): s is string => s !== null && s.trim() !== "";
  const itemOf = (sku: string) => i.skuMappings.find((m) => m.sku === sku)?.itemNumber ?? (i.skuFallback ? sku : null);
  const skus = [...new Set(i.variants.map((v) => v.sku).filter(hasSku))];
  const listedLinks = i.locations.filter((l) => i.erpLocationIds.includes(l.erpLocationId));
  for (const l of i.locations) if (!listedLinks.includes(l)) problems.push(`unlisted-erp-location:${l.shopifyLocationId}`);

  for (const sku of skus) {
    const variants = i.variants.filter((v) => v.sku === sku);
    const item = itemOf(sku);
    const figs = i.figures.filter((f) => f.itemNumber === item);
    if (figs.length === 0 && !i.complete) continue;
    const fail = (kind: StockProblemKind) => problems.push(`${kind}:${sku}`);
    if (variants.length > 1) { fail("duplicate-sku"); continue; }
    const v = variants[0];
    if (!v.tracked) { fail("untracked"); continue; }
    if (item === null || figs.length === 0) { fail("unknown-to-erp"); continue; }
    if (skus.filter((s) => itemOf(s) === item).length > 1) { fail("shared-item"); continue; }
    if (figs.some((f) => !i.erpLocationIds.includes(f.erpLocationId))) { fail("unknown-warehouse"); continue; }
    const valueAt = (erpLocationId: string): number | "bad" | undefined => {
      const here = figs.filter((f) => f.erpLocationId === erpLocationId).map((f) => parseErpQuantity(f.quantity));
      if (here.length === 0) return undefined;
      if (here.some((p) => !p.ok)) return "bad";
      const values = new Set(here.map((p) => (p.ok ? p.value : -1)));
      return values.size === 1 ? [...values][0] : "bad";
    };
    if (listedLinks.some((l) => valueAt(l.erpLocationId) === "bad")) { fail("bad-quantity"); continue; }
    for (const link of listedLinks) {
      const erp = valueAt(link.erpLocationId);
      if (erp === undefined || erp === "bad") continue;
      const primary = i.locations[0]?.shopifyLocationId;
      const sold = i.unsyncedSold
        .filter((s) => s.sku === sku && (s.locationId ?? primary) === link.shopifyLocationId)
        .reduce((sum, s) => sum + s.quantity, 0);
      const target = Math.max(0, erp - sold);
      const current = v.levels[link.shopifyLocationId];
      if (current === undefined) {
        if (target > 0) problems.push(`not-stocked:${sku}`);
        continue;
      }
      if (current !== target) writes.push(`${v.inventoryItemId}@${link.shopifyLocationId}:${current}->${target}`);
    }
  }
  return { writes: writes.sort(), problems: problems.sort() };
}

describe("planStock against the reference model", () => {
  it("writes exactly the model's differences and reports exactly its problems", () => {
    fc.assert(
      fc.property(input, (i) => {
        const plan = planStock(i);
        const got: ModelOutcome = {
          writes: plan.writes.map((w) => `${w.inventoryItemId}@${w.locationId}:${w.changeFromQuantity}->${w.quantity}`).sort(),
          problems: plan.problems.map((p) => `${p.kind}:${p.kind === "unlisted-erp-location" ? p.locationId : p.sku}`).sort(),
        };
        expect(got).toEqual(model(i));
        // Never a write for a SKU with an item problem, never at an unlinked location, always CAS from the level read.
        const itemProblems = new Set(plan.problems.filter((p) => p.kind !== "not-stocked" && p.sku).map((p) => p.sku));
        for (const w of plan.writes) {
          expect(itemProblems.has(w.sku)).toBe(false);
          const linked = i.locations.find((l) => l.shopifyLocationId === w.locationId);
          expect(linked && i.erpLocationIds.includes(linked.erpLocationId)).toBe(true);
          const variant = i.variants.find((v) => v.variantId === w.variantId)!;
          expect(w.changeFromQuantity).toBe(variant.levels[w.locationId]);
          expect(w.quantity).toBe(Math.max(0, w.erpQuantity - w.unsyncedSold));
        }
        expect(plan.compared).toBe(plan.unchanged + plan.writes.length);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("planStock examples", () => {
  const base: StockPlanInput = {
    erpLocationIds: ["W1"],
    locations: [{ shopifyLocationId: "L1", erpLocationId: "W1" }],
    figures: [{ itemNumber: "ITEM-1", erpLocationId: "W1", quantity: 10 }],
    skuMappings: [{ sku: "TSHIRT-M", itemNumber: "ITEM-1" }],
    skuFallback: false,
    variants: [{ variantId: "V1", sku: "TSHIRT-M", inventoryItemId: "II1", tracked: true, levels: { L1: 4 } }],
    unsyncedSold: [],
    complete: true,
  };

  it("sets Shopify to the ERP's figure minus what Shopify sold that the ERP has not received", () => {
    const plan = planStock({ ...base, unsyncedSold: [{ sku: "TSHIRT-M", locationId: null, quantity: 3 }] });
    expect(plan.writes).toEqual([
      expect.objectContaining({ inventoryItemId: "II1", locationId: "L1", erpQuantity: 10, unsyncedSold: 3, changeFromQuantity: 4, quantity: 7 }),
    ]);
  });

  it("turns a fractional ERP quantity into a problem in plain words and writes nothing", () => {
    const plan = planStock({ ...base, figures: [{ itemNumber: "ITEM-1", erpLocationId: "W1", quantity: "2.5" }] });
    expect(plan.writes).toEqual([]);
    expect(plan.problems[0].message).toMatch(/item "ITEM-1" at "W1" is not a whole number of units \(2\.5\).*Correct the quantity in the ERP/);
  });

  it.each([
    [-1, /is negative/],
    [5_000_000_000, /larger than Shopify accepts/],
    ["twelve", /is not a number/],
  ])("refuses the ERP quantity %s", (quantity, message) => {
    const plan = planStock({ ...base, figures: [{ itemNumber: "ITEM-1", erpLocationId: "W1", quantity }] });
    expect(plan.writes).toEqual([]);
    expect(plan.problems.map((p) => p.message).join()).toMatch(message);
  });
});
