// Runs reconciliation for every installed shop on a schedule (default every
// 15 minutes) and on demand, never two runs for one shop at once. It lives in
// the worker process; the web app only asks for a run and returns at once.
import { startPollingLoop, type PollingLoop } from "../lib/background-job";
import type { Logger } from "../logging/logger";
import { systemClock, type Clock } from "../lib/clock";
import type { ReconciliationRun, RunTrigger } from "./store";

export const DEFAULT_RECONCILE_INTERVAL_MS = 15 * 60_000;

export interface SchedulerDeps {
  /** Shops to reconcile (installed, with a connector). */
  listShops(): Promise<string[]>;
  /** Runs one reconciliation for a shop (reconcileShop with the shop's deps). */
  reconcile(shop: string, trigger: RunTrigger, signal: AbortSignal): Promise<ReconciliationRun>;
  /** Per-shop interval; shops without one use intervalMs. */
  intervalFor?(shop: string): number | undefined;
  intervalMs?: number;
  /** How often the loop looks for due shops. */
  tickMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export type RunRequest = { accepted: true } | { accepted: false; reason: string };

export class ReconciliationScheduler {
  private readonly clock: Clock;
  private readonly running = new Map<string, Promise<void>>();
  private readonly lastStarted = new Map<string, number>();
  private readonly abort = new AbortController();
  private loop: PollingLoop | null = null;

  constructor(private readonly deps: SchedulerDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** Start reconciling due shops in the background (worker start-up). */
  start(): void {
    if (this.abort.signal.aborted) return;
    this.loop ??= startPollingLoop({
      name: "reconciliation-scheduler",
      everyMs: this.deps.tickMs ?? 30_000,
      round: async () => void (await this.tick()),
      sleep: (ms, signal) => this.clock.sleep(ms, signal),
      logger: this.deps.logger,
    });
  }

  /** Stop: abort runs in flight (each is recorded as failed: shut down) and wait for them. */
  async stop(): Promise<void> {
    this.abort.abort(new Error("reconciliation scheduler stopped"));
    await Promise.allSettled([this.loop?.stop(), ...this.running.values()]);
  }

  /** Start every shop whose interval has passed; returns the shops started. */
  async tick(): Promise<string[]> {
    const now = this.clock.now();
    const started: string[] = [];
    for (const shop of await this.deps.listShops()) {
      const interval = this.deps.intervalFor?.(shop) ?? this.deps.intervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS;
      const last = this.lastStarted.get(shop);
      if (last !== undefined && now - last < interval) continue;
      if (this.launch(shop, "schedule")) started.push(shop);
    }
    return started;
  }

  /** "Check for missed orders now" from the UI: starts in the background. */
  requestRun(shop: string): RunRequest {
    return this.launch(shop, "manual")
      ? { accepted: true }
      : { accepted: false, reason: "A check for missed orders is already running for this store. Its result will appear here when it finishes." };
  }

  isRunning(shop: string): boolean {
    return this.running.has(shop);
  }

  /** Resolves when the shop's current run (if any) has finished. */
  async idle(shop: string): Promise<void> {
    await this.running.get(shop);
  }

  /**
   * One line with the run's real final status. A run still `running` is
   * another worker's, alive: this check did not run (its own run, when it
   * ends, logs its own line).
   */
  private logOutcome(shop: string, run: ReconciliationRun): void {
    const logger = this.deps.logger;
    const fields = { shop, runId: run.id, trigger: run.trigger, status: run.status, ordersSeen: run.ordersSeen, enqueued: run.enqueued, durationMs: run.durationMs };
    if (run.status === "running") {
      logger?.info({ shop, runId: run.id, status: run.status, heartbeatAt: run.heartbeatAt.toISOString() }, `reconciliation skipped: run ${run.id} is still running in another worker`);
    } else if (run.status === "failed") {
      logger?.warn({ ...fields, reason: run.error }, `reconciliation run ${run.id} failed: ${run.error ?? "no reason recorded"}`);
    } else {
      logger?.info(fields, `reconciliation run ${run.id} ${run.status}`);
    }
  }

  private launch(shop: string, trigger: RunTrigger): boolean {
    if (this.running.has(shop) || this.abort.signal.aborted) return false;
    this.lastStarted.set(shop, this.clock.now());
    const work = this.deps
      .reconcile(shop, trigger, this.abort.signal)
      .then((run) => this.logOutcome(shop, run))
      .catch((e) => this.deps.logger?.warn({ shop, err: e }, "reconciliation run stopped"))
      .finally(() => this.running.delete(shop));
    this.running.set(shop, work);
    return true;
  }
}
