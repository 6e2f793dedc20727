import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/logging/logger";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { runWorkerProcess } from "../../app/sync/worker/worker-process";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";
import { LogCapture, SHOP } from "./harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

describe("worker process", () => {
  it("syncs orders until it gets its stop signal, then finishes in-flight work and exits", async () => {
    const erp = new FakeErp({ latencyMs: 150 });
    const provider = new TestConfigProvider().set(SHOP, { erp });
    const logs = new LogCapture();
    const order = makeOrder({ id: 7100000000000000001n });
    await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));
    // SIGUSR2 instead of SIGTERM so the test runner itself is not asked to stop.
    const done = runWorkerProcess({
      prisma: db.prisma,
      configProvider: provider,
      logger: createLogger({ level: "info", destination: logs.stream }),
      settings: { pollIntervalMs: 10, workerId: "proc-1" },
      signals: ["SIGUSR2"],
    });
    await new Promise((r) => setTimeout(r, 60)); // the ERP call (150 ms) is now in flight
    process.kill(process.pid, "SIGUSR2");
    await done;
    expect(erp.documents).toHaveLength(1);
    expect(logs.text).toContain("sync worker stopped");
  });
});
