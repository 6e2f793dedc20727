// Benchmark: one completeness certificate for a day of N orders, on the wall
// clock. Shopify is the fake Admin API at a plan's restore rate (queries
// validated against the committed schema, leaky bucket enforced), the ledger
// is a fresh migrated SQLite database, and the ERP is the Generic HTTPS JSON
// reference receiver on loopback (real HTTP, every request signed).
// Prints the time against the minimum Shopify's cost bound allows
// ((points spent - initial bucket) / restore rate), the ERP requests against
// ceil(N / 50) (the read-back batch), and THROTTLED answers.
//
//   npm run bench:certificate -- --orders 2000 --rate 100 --bucket 1000
//
// Targets: ratio <= 1.1 (when the cost bound binds), ERP requests = ceil(N / 50), 0 THROTTLED, a clean certificate.
import { genericHttpConnector } from "../../../app/connectors/generic-http";
import { GENERIC_READ_BACK_BATCH } from "../../../app/connectors/generic-http/connector";
import { runCertificate } from "../../../app/certificate/run-certificate.server";
import { createLogger } from "../../../app/logging/logger";
import { systemClock } from "../../../app/lib/clock";
import { ShopifyAdminApi } from "../../../app/shopify-admin/admin-client";
import { createTestDatabase } from "../../../testkit/db";
import { FakeAdminApi } from "../../../testkit/fake-admin-api";
import { ReceivingServer } from "../../../testkit/receiving-server";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

const orders = flag("orders", 2000);
const rate = flag("rate", 100);
const bucket = flag("bucket", 1000);
const SECRET = "bench-signing-secret-0123456789";

const db = await createTestDatabase();
const receiver = new ReceivingServer(SECRET);
await receiver.start();
try {
  const fake = new FakeAdminApi({ restoreRate: rate, maximumAvailable: bucket, clock: systemClock });
  const day = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
  const windowStart = new Date(day.getTime() - 86_400_000);
  const seeded = fake.seed({ count: orders, startAt: new Date(windowStart.getTime() + 1000), spacingMs: Math.floor((86_400_000 - 2000) / orders) });
  const rows = seeded.map((o) => {
    const total = (o.currentTotalPriceSet as { shopMoney: { amount: string } }).shopMoney.amount;
    return { shop: fake.shop, orderId: o.legacyResourceId, orderGid: o.id, orderName: o.name, externalId: `shopify-${o.legacyResourceId}`, state: "synced", snapshot: "{}", sourceUpdatedAt: new Date(o.updatedAt), shopifyTotal: total };
  });
  for (let i = 0; i < rows.length; i += 500) await db.prisma.orderSync.createMany({ data: rows.slice(i, i + 500) });
  for (const [i, r] of rows.entries()) {
    receiver.orders.set(r.externalId, { documentId: String(i + 1), documentNumber: `SO-${i + 1}`, externalId: r.externalId, total: r.shopifyTotal, status: "open", refunds: [], lastBody: null });
  }
  const connector = genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: receiver.url, signingSecret: SECRET, requestsPerMinute: 6000 }));
  const admin = new ShopifyAdminApi({ getAccessToken: async () => fake.accessToken, refreshAccessToken: async () => fake.accessToken, fetch: fake.fetch, logger: createLogger({ level: "silent" }) }).forShop(fake.shop);
  const row = await db.prisma.completenessCertificate.create({ data: { shop: fake.shop, windowStart, windowEnd: day, trigger: "manual", status: "running" } });

  console.log(`Certificate for ${orders} orders at ${rate} points/s, bucket ${bucket}, ERP read back over HTTP…`);
  const before = receiver.requests.length;
  const started = performance.now();
  const cert = await runCertificate({ prisma: db.prisma, admin, connector }, row);
  const elapsedS = (performance.now() - started) / 1000;
  const erpRequests = receiver.requests.length - before;
  const erpBound = Math.ceil(orders / GENERIC_READ_BACK_BATCH);
  const spent = fake.actualCostTotal;
  const minimumS = Math.max(0, spent - bucket) / rate;
  const ratio = minimumS > 0 ? elapsedS / minimumS : NaN;
  console.log(`certificate: ${cert.status}; Shopify ${cert.shopifyCount} (ordersCount ${cert.shopifyReported}), ledger ${cert.ledgerCount}, ERP ${cert.erpCount}`);
  console.log(`Admin API requests: ${fake.requests.length}, cost points spent: ${spent}, THROTTLED answers: ${fake.throttledCount} (target 0)`);
  console.log(`ERP requests: ${erpRequests} (bound ceil(${orders} / ${GENERIC_READ_BACK_BATCH}) = ${erpBound})`);
  console.log(`elapsed: ${elapsedS.toFixed(2)} s; theoretical minimum: ${minimumS.toFixed(2)} s; ratio: ${minimumS > 0 ? ratio.toFixed(3) : "n/a (all points fit in the initial bucket)"} (target <= 1.1)`);
  if (cert.status !== "clean" || cert.shopifyCount !== orders || erpRequests !== erpBound || fake.throttledCount > 0 || (minimumS > 0 && !(ratio <= 1.1))) process.exitCode = 1;
} finally {
  await receiver.stop();
  await db.cleanup();
}
