// The fake Admin API for bench:stock in a process of its own, so the peak RSS
// the benchmark reports is the app's, not the fake's (the 5 MB schema it
// validates against and the seeded catalogue). Shopify's time is the
// benchmark's virtual clock, sent with each request (x-bench-virtual-now).
// GET /stats answers the counters the benchmark prints.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeAdminApi } from "../../../testkit/fake-admin-api";
import { catalogue } from "./catalogue";

const [variants, changedPercent, rate, bucket] = process.argv.slice(2).map(Number);
let virtualNow = 0;
const clock = { now: () => virtualNow, sleep: async () => {} };
const fake = new FakeAdminApi({ clock, restoreRate: rate, maximumAvailable: bucket, scopes: ["read_locations", "read_inventory", "write_inventory", "read_products"] });
const locations = [fake.inventory.addLocation("Main warehouse"), fake.inventory.addLocation("City store")];
for (const item of catalogue(variants, changedPercent)) fake.inventory.addItem(item.sku, { [locations[0].id]: item.shopify[0], [locations[1].id]: item.shopify[1] });

const server = createServer(async (req, res) => {
  if (req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        actualCostTotal: fake.actualCostTotal,
        throttled: fake.throttledCount,
        requests: fake.requests.length,
        mutationCalls: fake.inventory.setCalls.length,
        bulkOperations: fake.bulkOperations.length,
        invalidQueries: fake.invalidQueries.length,
        locations: locations.map((l) => l.id),
      }),
    );
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  virtualNow = Number(req.headers["x-bench-virtual-now"] ?? virtualNow);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  // Bulk results are served from their own host in the fake (a pre-signed storage link in Shopify).
  const origin = req.url?.startsWith("/bulk/") ? "https://fake-bulk-results.test" : `https://${fake.shop}`;
  const response = await fake.fetch(`${origin}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
  res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port} ${fake.shop}\n`);
});
