// Benchmark: the settings dry run (app/dry-run/) over N stored orders on a
// real database: read the snapshots of the last 14 days, read the SKU
// mappings, replay every order through the saved and the proposed settings
// (a sync-rule change plus a SKU mapping CSV), compare the documents. The
// bound is the issue's: a merchant waits at most 5 s for the preview.
//
//   npm run bench:dryrun -- --orders 10000
//
// Prints elapsed / bound (target <= 1).
import { previewSettingsChange } from "../../../app/models/dry-run.server";
import { createTestDatabase } from "../../../testkit/db";
import { makeOrder, toRawBody } from "../../../testkit/shopify-payloads";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

const orders = flag("orders", 10_000);
const BOUND_MS = 5_000;
const SHOP = "bench-dryrun.myshopify.com";
const db = await createTestDatabase();
try {
  console.log(`Seeding ${orders} stored orders (3 lines each, 40 SKUs, tags, channels)…`);
  const now = Date.now();
  const rows = [];
  for (let i = 0; i < orders; i++) {
    const id = 6_000_000_000_000_000_000n + BigInt(i);
    const createdAt = new Date(now - (i % (13 * 24)) * 3_600_000).toISOString();
    const order = makeOrder({
      id,
      name: `#${10_000 + i}`,
      createdAt,
      updatedAt: createdAt,
      lines: [0, 1, 2].map((k) => ({ title: `Product ${(i + k) % 40}`, sku: `SKU-${(i + k) % 40}`, price: `${10 + k}.00`, quantity: 1 + k })),
    });
    order.tags = i % 10 === 0 ? "wholesale" : "retail";
    order.source_name = i % 7 === 0 ? "pos" : "web";
    rows.push({
      shop: SHOP,
      orderId: String(id),
      orderGid: `gid://shopify/Order/${id}`,
      orderName: `#${10_000 + i}`,
      externalId: `shopify-${id}`,
      snapshot: toRawBody(order),
      sourceUpdatedAt: new Date(createdAt),
      shopifyCreatedAt: new Date(createdAt),
      state: i % 3 === 0 ? "synced" : "pending",
      erpDocumentId: i % 3 === 0 ? `DOC-${i}` : null,
    });
  }
  for (let i = 0; i < rows.length; i += 500) await db.prisma.orderSync.createMany({ data: rows.slice(i, i + 500) });
  await db.prisma.shopSettings.create({ data: { shop: SHOP, connectorType: "generic-http" } });
  await db.prisma.skuMapping.createMany({ data: Array.from({ length: 20 }, (_, k) => ({ shop: SHOP, sku: `SKU-${k}`, itemNumber: `ITEM-${k}`, updatedBy: "bench" })) });

  const csv = ["sku,item_number", ...Array.from({ length: 40 }, (_, k) => `SKU-${k},NEW-${k}`)].join("\n");
  const runs: Array<[string, Parameters<typeof previewSettingsChange>[2]]> = [
    ["SKU mapping CSV (40 SKUs)", { intent: "preview", change: { kind: "sku_import", csv } }],
    [
      "sync rules: exclude tag wholesale, web only",
      { intent: "preview", change: { kind: "settings", syncRules: { filters: { excludeTags: ["wholesale"], salesChannels: ["web"] } } } },
    ],
  ];
  let worst = 0;
  for (const [label, body] of runs) {
    const started = performance.now();
    const result = await previewSettingsChange(db.prisma, SHOP, body);
    const ms = performance.now() - started;
    worst = Math.max(worst, ms);
    if (!result.ok) throw new Error(result.message);
    const p = result.preview;
    console.log(
      `${label}: ${p.ordersReplayed} orders replayed in ${ms.toFixed(0)} ms (engine ${p.durationMs} ms): ` +
        `${p.start.count} start, ${p.stop.count} stop, ${p.changed.count} changed, ${p.unchanged} unchanged; ratio to the ${BOUND_MS / 1000} s bound: ${(ms / BOUND_MS).toFixed(3)}`,
    );
    if (p.ordersReplayed !== orders) throw new Error(`expected ${orders} orders replayed, got ${p.ordersReplayed}`);
  }
  console.log(`worst: ${worst.toFixed(0)} ms; ratio ${(worst / BOUND_MS).toFixed(3)} (target <= 1)`);
  if (worst > BOUND_MS) process.exitCode = 1;
} finally {
  await db.cleanup();
}
