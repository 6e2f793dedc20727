// /healthz as a load balancer or uptime monitor sees it: 200 only when the
// database answers and (for the full probe) a worker beat recently; 503 with
// the failing check named otherwise. The route module is loaded against this
// file's own database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../app/db/client";
import { recordWorkerHeartbeat, startWorkerHeartbeat } from "../../app/observability/heartbeat";
import { checkHealth } from "../../app/observability/health";
import type { TestDatabase } from "../../testkit/db";
import { useTestDatabaseForApp } from "../support/app-modules";

let db: TestDatabase;
let loader: (args: { request: Request }) => Promise<Response>;

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  ({ loader } = await import("../../app/routes/healthz"));
});
afterAll(() => db.cleanup());
beforeEach(async () => {
  await db.prisma.workerHeartbeat.deleteMany();
});

async function get(path: string) {
  const response = await loader({ request: new Request(`https://app.example.com${path}`) });
  return { status: response.status, body: await response.json(), type: response.headers.get("Content-Type") };
}

describe("/healthz", () => {
  it("answers 503 naming the worker when no worker has ever beaten", async () => {
    const res = await get("/healthz");
    expect(res.status).toBe(503);
    expect(res.type).toBe("application/json");
    expect(res.body.checks.database.ok).toBe(true);
    expect(res.body.checks.worker).toMatchObject({ ok: false, alive: 0, newestBeatAgeSeconds: null });
  });

  it("answers 200 on the liveness probe when only the worker is missing (web keeps taking webhooks)", async () => {
    const res = await get("/healthz?probe=liveness");
    expect(res.status).toBe(200);
    expect(res.body.checks.worker).toBeUndefined();
  });

  it("answers 200 while a worker beats, and reports its age", async () => {
    const beat = startWorkerHeartbeat(db.prisma, { workerId: "host-a-1", inFlight: () => 3, intervalMs: 50 });
    try {
      await new Promise((r) => setTimeout(r, 120));
      const res = await get("/healthz");
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("ok");
      expect(res.body.checks.worker.alive).toBe(1);
      expect(res.body.checks.worker.newestBeatAgeSeconds).toBeLessThan(5);
      const row = await db.prisma.workerHeartbeat.findUniqueOrThrow({ where: { workerId: "host-a-1" } });
      expect(row.inFlight).toBe(3);
    } finally {
      await beat.stop();
    }
    // A clean stop removes the row: nothing is left claiming to work.
    expect(await db.prisma.workerHeartbeat.count()).toBe(0);
  });

  it("answers 503 when the newest beat is older than the limit (worker hung or dead)", async () => {
    const beatAt = new Date(Date.now() - 5 * 60_000);
    await recordWorkerHeartbeat(db.prisma, { workerId: "host-b-7", startedAt: beatAt, now: beatAt });
    const report = await checkHealth(db.prisma, { workerMaxAgeMs: 60_000 });
    expect(report.status).toBe("fail");
    expect(report.checks.worker).toMatchObject({ ok: false, alive: 0, known: 1 });
    expect(report.checks.worker!.newestBeatAgeSeconds).toBeGreaterThanOrEqual(299);
  });

  it("answers 503 when the database cannot be reached", async () => {
    const broken =
      db.url.startsWith("file:")
        ? createPrismaClient("file:/nonexistent-dir/erp-sync/missing.sqlite")
        : createPrismaClient("postgresql://postgres@127.0.0.1:1/unreachable");
    try {
      const report = await checkHealth(broken, { probe: "liveness", databaseTimeoutMs: 3_000 });
      expect(report.status).toBe("fail");
      expect(report.checks.database.ok).toBe(false);
      expect(report.checks.database.error).toBeTruthy();
    } finally {
      await broken.$disconnect();
    }
  });
});
