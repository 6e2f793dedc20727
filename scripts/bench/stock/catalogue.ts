// bench:stock's catalogue, generated the same way in the benchmark (ERP
// figures) and in the fake Shopify process (levels): every variant at two
// locations, and one figure in every 100/changed% different.
export interface BenchItem {
  sku: string;
  shopify: [number, number];
  erp: [number, number];
}

export function* catalogue(variants: number, changedPercent: number): Generator<BenchItem> {
  const changeEvery = Math.round(100 / changedPercent);
  for (let i = 0; i < variants; i++) {
    const shopify: [number, number] = [i % 50, i % 7];
    const erp = shopify.map((q, k) => ((i * 2 + k) % changeEvery === 0 ? q + 3 : q)) as [number, number];
    yield { sku: `SKU-${String(i).padStart(6, "0")}`, shopify, erp };
  }
}
