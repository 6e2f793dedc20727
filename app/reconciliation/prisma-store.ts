// ReconciliationStore over the Prisma models ReconciliationState,
// ReconciliationRun and BackfillJob (1:1 with store.ts), so runs, watermarks
// and backfill jobs survive a worker restart and the web process can show
// them.
//
// "Check for missed orders now" crosses processes: the web process writes a
// ReconciliationRun row with status "requested" (trigger "manual"); the worker
// polls for them and, when it starts the manual run, createRun() turns that
// very row into the running run. The request therefore survives a restart
// (it stays "requested" until a worker takes it) and the page can follow one
// row from "requested" to "running" to "completed". Requested rows are not
// runs yet: listRuns/findRunningRun never return them.
//
// Error texts come from wherever a run failed (Shopify's answers included), so
// rows are written through storableColumns (app/lib/storable-text.ts).
import type { Prisma, PrismaClient } from "@prisma/client";
import { storableColumns } from "../lib/storable-text";
import type {
  BackfillJob,
  BackfillMode,
  BackfillStatus,
  NewBackfill,
  NewRun,
  ReconciliationRun,
  ReconciliationStore,
  RunStatus,
  RunTrigger,
} from "./store";

/** Status of a manual request no worker has taken yet (not part of RunStatus). */
export const REQUESTED_STATUS = "requested";
const RUN_STATUSES: RunStatus[] = ["running", "completed", "failed"];

type RunRow = Prisma.ReconciliationRunGetPayload<object>;
type BackfillRow = Prisma.BackfillJobGetPayload<object>;

function toRun(row: RunRow): ReconciliationRun {
  return { ...row, trigger: row.trigger as RunTrigger, status: row.status as RunStatus };
}

function toBackfill(row: BackfillRow): BackfillJob {
  return { ...row, mode: row.mode as BackfillMode, status: row.status as BackfillStatus };
}

export class PrismaReconciliationStore implements ReconciliationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async getWatermark(shop: string) {
    return (await this.prisma.reconciliationState.findUnique({ where: { shop } }))?.watermark ?? null;
  }

  async setWatermark(shop: string, at: Date) {
    await this.prisma.reconciliationState.upsert({ where: { shop }, create: { shop, watermark: at }, update: { watermark: at } });
  }

  async createRun(input: NewRun) {
    const fields = {
      trigger: input.trigger,
      status: "running",
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
      startedAt: input.startedAt,
      heartbeatAt: input.startedAt,
    };
    if (input.trigger === "manual") {
      // Take the oldest waiting request, if any (compare-and-set: another
      // worker taking it first makes us create a fresh row instead).
      const request = await this.prisma.reconciliationRun.findFirst({
        where: { shop: input.shop, status: REQUESTED_STATUS },
        orderBy: { startedAt: "asc" },
      });
      if (request) {
        const taken = await this.prisma.reconciliationRun.updateMany({ where: { id: request.id, status: REQUESTED_STATUS }, data: fields });
        if (taken.count === 1) {
          // Coalesce: one run answers every request made before it started.
          await this.prisma.reconciliationRun.deleteMany({ where: { shop: input.shop, status: REQUESTED_STATUS, startedAt: { lte: input.startedAt } } });
          return toRun(await this.prisma.reconciliationRun.findUniqueOrThrow({ where: { id: request.id } }));
        }
      }
    }
    return toRun(await this.prisma.reconciliationRun.create({ data: { shop: input.shop, ...fields } }));
  }

  async updateRun(id: string, patch: Partial<Omit<ReconciliationRun, "id" | "shop">>) {
    return toRun(await this.prisma.reconciliationRun.update({ where: { id }, data: storableColumns(patch) }));
  }

  async updateRunningRun(id: string, patch: Partial<Omit<ReconciliationRun, "id" | "shop">>, heartbeatAt?: Date) {
    const { count } = await this.prisma.reconciliationRun.updateMany({
      where: { id, status: "running", ...(heartbeatAt ? { heartbeatAt } : {}) },
      data: patch,
    });
    return count === 1 ? toRun(await this.prisma.reconciliationRun.findUniqueOrThrow({ where: { id } })) : null;
  }

  async findRunningRun(shop: string) {
    const row = await this.prisma.reconciliationRun.findFirst({ where: { shop, status: "running" }, orderBy: { startedAt: "asc" } });
    return row ? toRun(row) : null;
  }

  async listRuns(shop: string, limit: number) {
    const rows = await this.prisma.reconciliationRun.findMany({
      where: { shop, status: { in: RUN_STATUSES } },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(toRun);
  }

  async createBackfill(input: NewBackfill) {
    return toBackfill(await this.prisma.backfillJob.create({ data: storableColumns({ ...input, status: "pending" }) }));
  }

  async getBackfill(id: string) {
    const row = await this.prisma.backfillJob.findUnique({ where: { id } });
    return row ? toBackfill(row) : null;
  }

  async updateBackfill(id: string, patch: Partial<Omit<BackfillJob, "id" | "shop">>) {
    return toBackfill(await this.prisma.backfillJob.update({ where: { id }, data: storableColumns(patch) }));
  }

  async findActiveBackfill(shop: string) {
    const row = await this.prisma.backfillJob.findFirst({
      where: { shop, status: { in: ["pending", "running"] } },
      orderBy: { createdAt: "asc" },
    });
    return row ? toBackfill(row) : null;
  }

  async listBackfills(shop: string, limit: number) {
    const rows = await this.prisma.backfillJob.findMany({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
    return rows.map(toBackfill);
  }
}

/** What the merchant's "check now" shows: a waiting request, a run, or nothing. */
export type ReconciliationActivity =
  | { kind: "requested"; id: string; requestedAt: Date }
  | { kind: "run"; run: ReconciliationRun };

/**
 * Web process: ask the worker for a manual run. Idempotent while one is
 * waiting or running, so double clicks and two staff members make one run.
 */
export async function requestReconciliation(
  prisma: PrismaClient,
  shop: string,
  now: Date = new Date(),
): Promise<{ created: boolean; activity: ReconciliationActivity }> {
  const waiting = await prisma.reconciliationRun.findFirst({ where: { shop, status: REQUESTED_STATUS }, orderBy: { startedAt: "asc" } });
  if (waiting) return { created: false, activity: { kind: "requested", id: waiting.id, requestedAt: waiting.startedAt } };
  const running = await prisma.reconciliationRun.findFirst({ where: { shop, status: "running" }, orderBy: { startedAt: "desc" } });
  if (running?.trigger === "manual") return { created: false, activity: { kind: "run", run: toRun(running) } };
  // A scheduled run in progress may have started before the merchant's
  // worry; a request queued behind it gets a fresh window afterwards.
  const row = await prisma.reconciliationRun.create({
    data: { shop, trigger: "manual", status: REQUESTED_STATUS, windowStart: now, windowEnd: now, startedAt: now, heartbeatAt: now },
  });
  return { created: true, activity: { kind: "requested", id: row.id, requestedAt: row.startedAt } };
}

/** Worker: shops with a manual request waiting, oldest first. */
export async function shopsWithRequestedRuns(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.reconciliationRun.findMany({
    where: { status: REQUESTED_STATUS },
    orderBy: { startedAt: "asc" },
    select: { shop: true },
  });
  return [...new Set(rows.map((r) => r.shop))];
}

/** Worker: a request that cannot be run (e.g. no ERP connected) ends as failed with a reason. */
export async function refuseRequestedRuns(prisma: PrismaClient, shop: string, reason: string, now: Date = new Date()): Promise<number> {
  const { count } = await prisma.reconciliationRun.updateMany({
    where: { shop, status: REQUESTED_STATUS },
    data: storableColumns({ status: "failed", error: reason, finishedAt: now, durationMs: 0 }),
  });
  return count;
}

/** The newest request or run for a shop (requests first: they are newer news). */
export async function latestReconciliationActivity(prisma: PrismaClient, shop: string): Promise<ReconciliationActivity | null> {
  const waiting = await prisma.reconciliationRun.findFirst({ where: { shop, status: REQUESTED_STATUS }, orderBy: { startedAt: "asc" } });
  if (waiting) return { kind: "requested", id: waiting.id, requestedAt: waiting.startedAt };
  const row = await prisma.reconciliationRun.findFirst({
    where: { shop, status: { in: RUN_STATUSES } },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
  });
  return row ? { kind: "run", run: toRun(row) } : null;
}
