// Per-shop limits on ERP requests, from ShopSyncConfig.limits: at most
// maxConcurrency requests in flight, and at most requestsPerWindow started in
// any windowMs. Each shop has its own limiter, so one slow or throttled ERP
// never holds up another shop's orders.
import { sleep } from "../../lib/sleep";
import type { ConnectorLimits, ErpConnector } from "../port";
import { aroundErpCalls } from "../around-calls";

export class ShopLimiter {
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly started: number[] = [];

  constructor(
    private limits: ConnectorLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  updateLimits(limits: ConnectorLimits): void {
    this.limits = limits;
    this.wakeNext();
  }

  get maxConcurrency(): number {
    return Math.max(1, this.limits.maxConcurrency);
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.maxConcurrency) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      signal?.throwIfAborted();
    }
    this.inFlight++;
    // Rate window: wait until the oldest start in the window has aged out.
    // Strictly more than windowMs on a millisecond clock: a start stamped
    // 1000 may have happened at 1000.9, and one at 2000 as early as 2000.0,
    // 999.1 ms later; `>=` let the ERP see one request too many in a second
    // now and then (npm run bench:sync -- --rate counts them).
    for (;;) {
      const now = this.clock();
      while (this.started.length > 0 && now - this.started[0] > this.limits.windowMs) this.started.shift();
      if (this.limits.requestsPerWindow <= 0 || this.started.length < this.limits.requestsPerWindow) break;
      const waitMs = this.limits.windowMs + 1 - (now - this.started[0]);
      try {
        await sleep(Math.max(1, waitMs), signal);
      } catch (error) {
        this.release();
        throw error;
      }
    }
    this.started.push(this.clock());
  }

  private release(): void {
    this.inFlight--;
    this.wakeNext();
  }

  private wakeNext(): void {
    const next = this.waiters.shift();
    if (next) next();
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** The connector with every call going through this limiter. */
  wrap(connector: ErpConnector): ErpConnector {
    return aroundErpCalls(
      connector,
      (signal, call) => this.run(call, signal),
      (ctx) => this.run(() => connector.testConnection(ctx), ctx?.signal),
    );
  }
}

