// /healthz: is this process up, can it reach the database, and is some
// worker alive (fresh heartbeat)? Answers 200 or 503 with JSON that holds no
// shop data, only ages and counts.
//
// Two probes, because a load balancer and an operator ask different things:
// - ?probe=liveness (web process checks): process + database. A dead worker
//   must not take the web process out of rotation (webhooks must still be
//   stored; the worker catches up later).
// - default (readiness of the whole deployment): also requires a worker
//   heartbeat younger than HEALTH_WORKER_MAX_AGE_S (default 60 s).
import type { PrismaClient } from "@prisma/client";
import { config } from "../config.server";
import { summarizeHeartbeats } from "./heartbeat";

export interface HealthOptions {
  probe?: "liveness" | "full";
  /** A worker is alive when its last beat is at most this old. */
  workerMaxAgeMs?: number;
  /** The database must answer SELECT 1 within this. */
  databaseTimeoutMs?: number;
  now?: () => Date;
}

export interface HealthReport {
  status: "ok" | "fail";
  probe: "liveness" | "full";
  checks: {
    process: { ok: true; uptimeSeconds: number };
    database: { ok: boolean; latencyMs?: number; error?: string };
    worker?: { ok: boolean; alive: number; known: number; newestBeatAgeSeconds: number | null; maxAgeSeconds: number };
  };
}

/** A worker heartbeat older than this (HEALTH_WORKER_MAX_AGE_S, default 60 s) counts as no worker. */
export function workerMaxAgeMs(): number {
  return config().healthWorkerMaxAgeMs ?? 60_000;
}

/** First meaningful line of an error (Prisma's messages start with a blank line). */
function shortError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  return (line || (error instanceof Error ? error.name : "") || "unreachable").slice(0, 200);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(prisma: PrismaClient, options: HealthOptions = {}): Promise<HealthReport> {
  const probe = options.probe ?? "full";
  const now = options.now ?? (() => new Date());
  const maxAgeMs = options.workerMaxAgeMs ?? workerMaxAgeMs();
  const timeoutMs = options.databaseTimeoutMs ?? 2_000;
  const report: HealthReport = {
    status: "ok",
    probe,
    checks: {
      process: { ok: true, uptimeSeconds: Math.round(process.uptime()) },
      database: { ok: false },
    },
  };
  const started = performance.now();
  try {
    await withTimeout(prisma.$queryRaw`SELECT 1`, timeoutMs, "the database");
    report.checks.database = { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    // The driver's message names host and database, never the password.
    report.checks.database = { ok: false, error: shortError(error) };
  }
  if (probe === "full") {
    const maxAgeSeconds = maxAgeMs / 1000;
    if (report.checks.database.ok) {
      const beats = await withTimeout(summarizeHeartbeats(prisma, maxAgeMs, now()), timeoutMs, "the database");
      report.checks.worker = {
        ok: beats.alive > 0,
        alive: beats.alive,
        known: beats.known,
        newestBeatAgeSeconds: beats.newestAgeSeconds === null ? null : Math.round(beats.newestAgeSeconds * 10) / 10,
        maxAgeSeconds,
      };
    } else {
      report.checks.worker = { ok: false, alive: 0, known: 0, newestBeatAgeSeconds: null, maxAgeSeconds };
    }
  }
  const ok = report.checks.database.ok && (report.checks.worker?.ok ?? true);
  report.status = ok ? "ok" : "fail";
  return report;
}

export async function healthResponse(prisma: PrismaClient, request: Request, options: Omit<HealthOptions, "probe"> = {}): Promise<Response> {
  const probe = new URL(request.url).searchParams.get("probe") === "liveness" ? "liveness" : "full";
  let report: HealthReport;
  try {
    report = await checkHealth(prisma, { ...options, probe });
  } catch (error) {
    report = {
      status: "fail",
      probe,
      checks: {
        process: { ok: true, uptimeSeconds: Math.round(process.uptime()) },
        database: { ok: false, error: shortError(error) },
      },
    };
  }
  return new Response(JSON.stringify(report), {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
