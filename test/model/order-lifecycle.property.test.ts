// The proof of "every order Shopify has ends in the ERP exactly as Shopify
// has it now": random sequences of Shopify events (creates, updates, edits,
// cancellations, refunds with and without money, pending then settled,
// with shipping), delivered late, twice, out of order or never, while the
// ERP refuses, times out before or after committing, and workers are killed
// mid-call, checked against the Shopify model's reference
// (test/model/shopify-model.ts, lifecycle-run.ts).
//
// Runs: MODEL_RUNS (.ci/run sets 10,000 on SQLite and 1,000 on PostgreSQL),
// else the same under CI=true, and 300 on a developer's machine. The seed is printed; a failure is shrunk to a
// minimal scenario, printed, and written to test/model/regressions/ to be
// committed, where the replay test below runs it on every run.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fault } from "../../testkit/fake-erp";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../testkit/db";
import { runScenario, type Scenario, type Step } from "./lifecycle-run";
import type { ShopifyEventKind } from "./shopify-model";

const REGRESSIONS = path.join(__dirname, "regressions");
const postgres = testDatabaseProvider() === "postgresql";
const runs = Number(process.env.MODEL_RUNS) || (process.env.CI ? (postgres ? 1_000 : 10_000) : 300);
const seed = Number(process.env.MODEL_SEED) || Date.now() % 2 ** 31;

const EVENTS: ShopifyEventKind[] = [
  "update",
  "edit-reduce",
  "edit-add",
  "edit-removal-refund",
  "refund",
  "refund-pending",
  "refund-with-shipping",
  "settle",
  "cancel",
];

const fault: fc.Arbitrary<Fault> = fc.constantFrom<Fault>(
  { kind: "http", status: 503 },
  { kind: "rateLimited", retryAfterMs: 2_000 },
  { kind: "unprocessable", message: "Item SKU-1 is blocked for sales" },
  { kind: "resetBeforeCommit" },
  { kind: "timeoutBeforeCommit" },
  { kind: "timeoutAfterCommit" },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("shopify" as const), order: fc.nat(2), event: fc.constantFrom(...EVENTS), pick: fc.nat(20) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), pick: fc.nat(50) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("work" as const), faults: fc.array(fault, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("kill" as const), afterCommit: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tick" as const), minutes: fc.integer({ min: 1, max: 180 }) }) },
);

const scenario: fc.Arbitrary<Scenario> = fc.record({
  orders: fc.array(
    fc.record({
      lines: fc.array(
        fc.record({
          price: fc.integer({ min: 100, max: 9_999 }),
          quantity: fc.integer({ min: 1, max: 4 }),
          discountPerUnit: fc.constantFrom(0, 0, 50, 125),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      shipping: fc.constantFrom(0, 490, 1_000),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  steps: fc.array(step, { minLength: 1, maxLength: 40 }),
});

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

describe("order lifecycle against the Shopify model", () => {
  it(`ends every order in the ERP exactly as Shopify has it (${runs} generated scenarios, seed ${seed})`, async () => {
    console.log(`order lifecycle model: ${runs} scenarios on ${testDatabaseProvider()}, seed ${seed} (MODEL_SEED=${seed} MODEL_RUNS=${runs} to replay)`);
    const started = Date.now();
    const result = await fc.check(fc.asyncProperty(scenario, (s) => runScenario(db.prisma, s)), { numRuns: runs, seed, endOnFailure: false });
    console.log(`order lifecycle model: ${result.numRuns} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (result.failed) {
      const minimal = result.counterexample![0];
      mkdirSync(REGRESSIONS, { recursive: true });
      const file = path.join(REGRESSIONS, `seed-${seed}.json`);
      writeFileSync(file, JSON.stringify({ seed, path: result.counterexamplePath, error: String(result.errorInstance), scenario: minimal }, null, 2) + "\n");
      console.log(`minimal failing scenario (kept in ${path.relative(process.cwd(), file)}):\n${JSON.stringify(minimal)}`);
      throw result.errorInstance;
    }
  }, 3_600_000);

  const kept = (() => {
    try {
      return readdirSync(REGRESSIONS).filter((f) => f.endsWith(".json")).sort();
    } catch {
      return [];
    }
  })();
  it.each(kept)("replays the kept regression case %s", async (file) => {
    const { scenario: kept } = JSON.parse(readFileSync(path.join(REGRESSIONS, file), "utf8")) as { scenario: Scenario };
    await expect(runScenario(db.prisma, kept)).resolves.toBeUndefined();
  });
});
