// Chaos, as a property: stock runs while Shopify keeps selling the same items
// (each sale lands in the ledger as an order the ERP has not received), orders
// reach the ERP mid-run (its figure drops, the unsynced count with it), other
// apps drain the Admin API bucket (THROTTLED), Shopify answers 503 or loses
// answers, and workers die mid-run. After every run that finishes, Shopify
// equals max(0, ERP − unsynced sold) for every mapped item and location, and
// no write was ever made without compare-and-swap.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../app/logging/logger";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import type { UnsyncedSold } from "../../app/stock/plan";
import { syncStock } from "../../app/stock/sync-stock";
import { FakeAdminApi } from "../../testkit/fake-admin-api";
import { createVirtualClock } from "../../testkit/virtual-clock";

const SCOPES = ["read_locations", "read_inventory", "write_inventory", "read_products"];
const ITEMS = 6;

type Fault = { kind: "sale"; item: number; location: number; quantity: number } | { kind: "erp-receives" } | { kind: "drain" } | { kind: "503" } | { kind: "lose-answer" } | { kind: "kill" };

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("sale" as const), item: fc.nat(ITEMS - 1), location: fc.nat(1), quantity: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: "erp-receives" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "drain" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "503" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "lose-answer" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "kill" as const }) },
);

const scenario = fc.record({
  shopifyStart: fc.array(fc.array(fc.nat(20), { minLength: 2, maxLength: 2 }), { minLength: ITEMS, maxLength: ITEMS }),
  // The ERP holds at least what Shopify starts with, so every unit Shopify sells exists in the ERP.
  erpStart: fc.array(fc.array(fc.integer({ min: 20, max: 40 }), { minLength: 2, maxLength: 2 }), { minLength: ITEMS, maxLength: ITEMS }),
  // Per run: faults keyed by the request number they happen before.
  runs: fc.array(fc.array(fc.tuple(fc.nat(12), fault), { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
});

describe("stock sync under chaos", () => {
  it("ends every finished run with Shopify = max(0, ERP − unsynced) everywhere, with compare-and-swap on every write", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const clock = createVirtualClock();
        const fake = new FakeAdminApi({ clock, scopes: SCOPES });
        const locations = [fake.inventory.addLocation("A"), fake.inventory.addLocation("B")];
        const items = s.shopifyStart.map((levels, i) => fake.inventory.addItem(`SKU-${i}`, { [locations[0].id]: levels[0], [locations[1].id]: levels[1] }));
        const erp = s.erpStart.map((l) => [...l]);
        const unsynced: (UnsyncedSold & { item: number; location: number })[] = [];
        // Orders the ERP received since this run read its figures (still in the figures read).
        let receivedSinceRead: typeof unsynced = [];

        let faults: [number, Fault][] = [];
        let requestNo = 0;
        let abort = new AbortController();
        const apply = async (f: Fault, send: () => Promise<Response>): Promise<Response> => {
          switch (f.kind) {
            case "sale": {
              const { id } = items[f.item];
              const available = fake.inventory.level(id, locations[f.location].id)!;
              const q = Math.min(f.quantity, available);
              if (q > 0) {
                fake.inventory.adjust(id, locations[f.location].id, -q);
                unsynced.push({ sku: `SKU-${f.item}`, locationId: locations[f.location].id, quantity: q, item: f.item, location: f.location });
              }
              return send();
            }
            case "erp-receives": {
              // The oldest unsynced order reaches the ERP: its stock leaves the ERP's figure.
              const order = unsynced.shift();
              if (order) {
                erp[order.item][order.location] -= order.quantity;
                receivedSinceRead.push(order);
              }
              return send();
            }
            case "drain":
              fake.drain(fake.currentlyAvailable());
              return send();
            case "503":
              fake.failNext(1, 503);
              return send();
            case "lose-answer": {
              await send();
              throw new TypeError("fetch failed: connection reset");
            }
            case "kill":
              abort.abort(new Error("worker killed"));
              throw new Error("worker killed");
          }
        };
        const chaoticFetch: typeof fetch = async (input, init) => {
          const due = faults.filter(([at]) => at === requestNo);
          requestNo++;
          const send = () => fake.fetch(input, init);
          for (const [, f] of due) {
            if (f.kind === "sale" || f.kind === "erp-receives" || f.kind === "drain" || f.kind === "503") await apply(f, async () => new Response());
          }
          // At most one fault decides this request's fate (a lost answer or a dead worker).
          const terminal = due.find(([, f]) => f.kind === "lose-answer" || f.kind === "kill");
          return terminal ? apply(terminal[1], send) : send();
        };
        const api = new ShopifyAdminApi({
          getAccessToken: async () => fake.accessToken,
          refreshAccessToken: async () => fake.accessToken,
          fetch: chaoticFetch,
          clock,
          logger: createLogger({ level: "silent" }),
          maxAttempts: 20,
        });

        let finished = 0;
        for (const [runIndex, runFaults] of [...s.runs, []].entries()) {
          faults = runFaults;
          requestNo = 0;
          abort = new AbortController();
          receivedSinceRead = [];
          const figures = erp.flatMap((l, i) => l.map((q, k) => ({ itemNumber: `SKU-${i}`, erpLocationId: `W${k}`, quantity: q })));
          const result = await syncStock({
            client: api.forShop(fake.shop),
            runId: `run-${runIndex}`,
            erpLocationIds: ["W0", "W1"],
            figures,
            complete: true,
            links: locations.map((l, k) => ({ shopifyLocationId: l.id, erpLocationId: `W${k}` })),
            skuMappings: [],
            skuFallback: true,
            // Sales keep landing in the ledger during the run: read it when asked, not before.
            // Orders the ERP received after the figures were read count too (the app reads syncedAt ≥ the read time).
            unsyncedSold: async () => [...unsynced, ...receivedSinceRead].map(({ sku, locationId, quantity }) => ({ sku, locationId, quantity })),
            signal: abort.signal,
          }).catch((e: unknown) => {
            if (abort.signal.aborted) return null; // the worker died: the next run starts over
            throw e;
          });
          if (!result) continue;
          expect(result.status).toBe("done");
          if (result.status !== "done" || result.conflicts.length > 0) continue; // still moving: the next run takes it
          finished++;
          for (const [i, item] of items.entries()) {
            for (const [k, location] of locations.entries()) {
              const sold = unsynced.filter((u) => u.item === i && u.location === k).reduce((a, u) => a + u.quantity, 0);
              expect({ item: i, location: k, shopify: fake.inventory.level(item.id, location.id) }).toEqual({ item: i, location: k, shopify: Math.max(0, erp[i][k] - sold) });
            }
          }
        }
        expect(finished).toBeGreaterThan(0); // the last run has no faults
        expect(fake.inventory.changes.every((c) => c.compareAndSwap)).toBe(true);
        expect(fake.invalidQueries).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
