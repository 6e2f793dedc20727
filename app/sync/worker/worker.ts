// The sync worker: claims due ledger rows with an expiring lease and hands
// each to delivery/deliver.ts. Runs in-process (dev) or as its own process
// (worker-process.ts).
//
// - Claiming (ledger/claim-due-orders.ts): one UPDATE per shop and batch, FOR
//   UPDATE SKIP LOCKED on PostgreSQL, under SQLite's write lock there. Safe
//   with several workers on several machines.
// - A crashed worker's rows come back when their lease expires; a live
//   worker renews its leases while an ERP call is slow (heartbeat), and
//   aborts the call if it ever loses one.
// - No head-of-line blocking: rows are picked round-robin across shops,
//   failures go to the back with their backoff, and each shop's ERP calls go
//   through that shop's own limiter.
// - A shop whose ERP stops answering is paused (delivery/erp-breaker.ts): its orders
//   are not claimed, and one order at a time probes the ERP until it answers.
import type { OrderSync, PrismaClient } from "@prisma/client";
import { databaseProviderOf } from "../../db/client";
import type { Logger } from "pino";
import { withCorrelation } from "../../logging/logger";
import { claimDueOrders, listDueShops } from "../ledger/claim-due-orders";
import { deliverClaimedOrder, newLeaseToken, type DeliveryResult } from "../delivery/deliver";
import { createErpBreaker, type BreakerPolicy } from "../delivery/erp-breaker";
import { observeErpCalls } from "../delivery/erp-call-observer";
import type { ShopConfigProvider, ShopSyncConfig } from "../shop-config";
import { ShopLimiter } from "../../connectors/support/shop-limiter";
import { sleep } from "../../lib/sleep";

export interface WorkerOptions {
  prisma: PrismaClient;
  configProvider: ShopConfigProvider;
  workerId: string;
  /** Orders processed at once by this worker, all shops together. */
  concurrency: number;
  /** How long a claim lasts without renewal. */
  leaseMs: number;
  /** Sleep between polls when nothing is due. */
  pollIntervalMs: number;
  logger: Logger;
  now?: () => Date;
  /** Cap on one ERP call (default 60 s, and never more than the lease). */
  callTimeoutMs?: number;
  /** How long ShopSyncConfig is cached (default 10 s). */
  configTtlMs?: number;
  random?: () => number;
  /** When a shop's ERP counts as down, and how often it is probed (delivery/erp-breaker.ts). */
  breaker?: Partial<BreakerPolicy>;
}

export interface SyncWorker {
  start(): void;
  /** Stop claiming, wait for in-flight orders (up to `graceMs`), then abort the rest. */
  stop(graceMs?: number): Promise<void>;
  /** Claim what is due now, process it, and resolve when done. Returns rows processed. */
  runOnce(): Promise<number>;
  readonly inFlight: number;
}

interface ShopState {
  config: ShopSyncConfig | null;
  loadedAt: number;
  limiter: ShopLimiter | null;
  active: number;
}

/** While busy, how long a shop that newly has due work may wait to be noticed. */
const DUE_SHOPS_TTL_MS = 1_000;

interface ClaimedJob {
  id: string;
  shop: string;
  token: string;
  correlationId: string | null;
  row: OrderSync;
  /** Set when this order probes an ERP that is not answering: the breaker's probe lease. */
  probeToken?: string;
}

export function createWorker(options: WorkerOptions): SyncWorker {
  const { prisma, configProvider, workerId, logger } = options;
  const now = options.now ?? (() => new Date());
  const concurrency = Math.max(1, options.concurrency);
  const callTimeoutMs = Math.min(options.callTimeoutMs ?? 60_000, Math.max(1, options.leaseMs * 10));
  const configTtlMs = options.configTtlMs ?? 10_000;
  const provider = databaseProviderOf(prisma);
  const shops = new Map<string, ShopState>();
  const active = new Map<string, { promise: Promise<unknown> }>();
  const stopController = new AbortController();
  let running = false;
  let loopPromise: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const breaker = createErpBreaker({
    prisma,
    logger,
    now,
    // A probe is one delivery: its calls end within the call timeout, and the lease covers the rest.
    probeLeaseMs: callTimeoutMs + options.leaseMs,
    policy: options.breaker,
    random: options.random,
  });

  async function shopState(shop: string): Promise<ShopState> {
    let state = shops.get(shop);
    const t = Date.now();
    if (!state || t - state.loadedAt > configTtlMs) {
      const config = await configProvider.forShop(shop);
      const limiter = state?.limiter ?? (config ? new ShopLimiter(config.limits) : null);
      if (config && limiter) limiter.updateLimits(config.limits);
      if (state) {
        // Update in place: in-flight jobs decrement `active` on this same
        // object when they finish. A replacement object would miss those
        // decrements, so each reload would leak in-flight counts until the
        // shop's cap was reached and its orders were never claimed again.
        state.config = config;
        state.loadedAt = t;
        state.limiter = limiter;
      } else {
        state = { config, loadedAt: t, limiter, active: 0 };
        shops.set(shop, state);
      }
    }
    return state;
  }

  /** Orders of one shop in flight here: a little above its ERP concurrency so DB work overlaps ERP calls. */
  function shopOrderCap(state: ShopState): number {
    return (state.limiter?.maxConcurrency ?? 1) * 2;
  }

  // Shops with due work, as last listed, in the order they get their turn.
  // Listing reads an index entry per due row, so it is not repeated for every
  // claim: a shop stays on the list until a claim finds nothing more due for
  // it, and the list is read again when it runs empty or is older than
  // DUE_SHOPS_TTL_MS, so while busy a newly due shop waits at most that long
  // (when idle, the poll interval).
  let dueShops: string[] = [];
  let dueShopsListedAt = -Infinity;

  async function claimBatch(free: number, relist = false): Promise<Array<ClaimedJob>> {
    if (free <= 0) return [];
    const t = now();
    if (relist || dueShops.length === 0 || Date.now() - dueShopsListedAt >= DUE_SHOPS_TTL_MS) {
      [dueShops] = await Promise.all([listDueShops(prisma, t).then((list) => list.map((s) => s.shop)), breaker.refresh()]);
      dueShopsListedAt = Date.now();
    }
    const claimed: Array<ClaimedJob> = [];
    // Round-robin over shops: each gets a share before any gets more.
    const wanted = new Map<string, number>();
    const paused: string[] = [];
    for (const shop of dueShops) {
      const state = await shopState(shop);
      if (!state.config) continue; // unknown or uninstalled shop: its work stops
      if (breaker.isOpen(shop)) paused.push(shop);
      else wanted.set(shop, Math.max(0, shopOrderCap(state) - state.active));
    }
    // A shop whose ERP is not answering gets one probe when its time has come, nothing else.
    for (const shop of paused) {
      if (claimed.length >= free) break;
      const probe = await claimProbe(shop, t);
      if (probe) claimed.push(probe);
    }
    const perShop = Math.max(1, Math.ceil(free / Math.max(1, wanted.size)));
    const served = new Set<string>();
    const drained = new Set<string>(dueShops.filter((shop) => !wanted.has(shop) && !paused.includes(shop)));
    for (const [shop, room] of wanted) {
      if (claimed.length >= free) break;
      const take = Math.min(room, perShop, free - claimed.length);
      if (take <= 0) continue;
      const rows = await claimDueOrders(prisma, provider, {
        shop,
        take,
        now: t,
        workerId,
        batchToken: newLeaseToken(),
        leaseExpiresAt: new Date(now().getTime() + options.leaseMs),
        exclude: [...active.keys()],
      });
      served.add(shop);
      if (rows.length < take) drained.add(shop);
      for (const row of rows) {
        claimed.push({ id: row.id, shop, token: row.leaseToken!, correlationId: row.correlationId, row });
        shops.get(shop)!.active++;
      }
    }
    // Shops served this time go to the back of the queue; drained ones leave it.
    dueShops = [
      ...dueShops.filter((shop) => !served.has(shop) && !drained.has(shop)),
      ...dueShops.filter((shop) => served.has(shop) && !drained.has(shop)),
    ];
    return claimed;
  }

  /** The probe lease, then the shop's oldest due order under it (or the lease back when none is left). */
  async function claimProbe(shop: string, t: Date): Promise<ClaimedJob | null> {
    const probeToken = await breaker.tryStartProbe(shop);
    if (!probeToken) return null;
    const [row] = await claimDueOrders(prisma, provider, {
      shop,
      take: 1,
      now: t,
      workerId,
      batchToken: newLeaseToken(),
      leaseExpiresAt: new Date(now().getTime() + options.leaseMs),
      exclude: [...active.keys()],
      probe: true,
    });
    if (!row) {
      await breaker.finishProbe(shop, probeToken, false);
      return null;
    }
    shops.get(shop)!.active++;
    return { id: row.id, shop, token: row.leaseToken!, correlationId: row.correlationId, row, probeToken };
  }

  async function process(job: ClaimedJob): Promise<DeliveryResult> {
    const state = shops.get(job.shop)!;
    const abort = new AbortController();
    const onStop = () => abort.abort(new Error("worker stopping"));
    stopController.signal.addEventListener("abort", onStop, { once: true });
    const log = withCorrelation(logger, job.correlationId, { shop: job.shop, orderSyncId: job.id, workerId });
    // Heartbeat: keep the claim while a slow ERP call runs; losing it aborts the call.
    const heartbeat = setInterval(
      () => {
        prisma.orderSync
          .updateMany({
            where: { id: job.id, leaseToken: job.token },
            data: { leaseExpiresAt: new Date(now().getTime() + options.leaseMs) },
          })
          .then((r) => {
            if (r.count === 0) abort.abort(new Error("lease lost"));
          })
          .catch(() => undefined);
      },
      Math.max(10, Math.floor(options.leaseMs / 3)),
    );
    // Inside the limiter: a call's start is when it leaves, not when it began waiting for a slot.
    const observed = state.config!.connector
      ? observeErpCalls(state.config!.connector, { breaker, shop: job.shop, orderSyncId: job.id, now, workerSignal: abort.signal })
      : null;
    try {
      return await deliverClaimedOrder(job.id, {
        prisma,
        provider,
        config: state.config!,
        connector: observed && state.limiter ? state.limiter.wrap(observed.connector) : null,
        logger: log,
        now,
        leaseMs: options.leaseMs,
        leaseToken: job.token,
        signal: abort.signal,
        callTimeoutMs,
        random: options.random,
      }, job.row);
    } catch (error) {
      // Database trouble mid-delivery: the lease expires and another pass
      // picks the order up; nothing is lost.
      log.error({ err: error }, "delivery crashed");
      return { outcome: "lease_lost", operations: [] };
    } finally {
      clearInterval(heartbeat);
      stopController.signal.removeEventListener("abort", onStop);
      state.active--;
      if (job.probeToken) {
        await breaker
          .finishProbe(job.shop, job.probeToken, (observed?.calls ?? 0) > 0)
          .catch((error) => log.error({ err: error }, "ending the ERP probe failed"));
      }
    }
  }

  function launch(job: ClaimedJob): Promise<unknown> {
    const promise = process(job).finally(() => {
      active.delete(job.id);
      wake?.();
    });
    active.set(job.id, { promise });
    return promise;
  }

  async function runOnce(): Promise<number> {
    const jobs = await claimBatch(concurrency - active.size, true);
    await Promise.all(jobs.map(launch));
    return jobs.length;
  }

  async function loop(): Promise<void> {
    while (running) {
      let claimedAny = false;
      try {
        const jobs = await claimBatch(concurrency - active.size);
        jobs.forEach(launch);
        claimedAny = jobs.length > 0;
      } catch (error) {
        logger.error({ err: error }, "claiming failed");
      }
      if (!running) break;
      if (claimedAny && active.size < concurrency) continue;
      // Sleep until a slot frees up or the poll interval passes.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.pollIntervalMs);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      logger.info({ workerId, concurrency, leaseMs: options.leaseMs }, "sync worker started");
      loopPromise = loop();
    },
    async stop(graceMs = options.leaseMs) {
      running = false;
      wake?.();
      await loopPromise;
      const pending = Promise.all([...active.values()].map((a) => a.promise));
      // The grace timer is cancelled once everything has finished: left
      // running, it kept the process alive for the whole grace period.
      const grace = new AbortController();
      const timedOut = await Promise.race([
        pending.then(() => false),
        sleep(graceMs, grace.signal).then(
          () => true,
          () => false,
        ),
      ]);
      grace.abort();
      if (timedOut) {
        // Unfinished calls: abort them; their rows stay claimable after the lease.
        stopController.abort(new Error("worker stopping"));
        await pending;
      }
      logger.info({ workerId }, "sync worker stopped");
    },
    runOnce,
    get inFlight() {
      return active.size;
    },
  };
}
