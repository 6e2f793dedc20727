// The request budget of one ERP user, applied to every HTTP request a
// connector sends as that user. The shop's limiter (./shop-limiter.ts)
// counts the engine's calls, and one call (a create) is several requests, so
// without this a shop could send several times its ERP's limit. Business
// Central counts requests per user (6,000 per 5 minutes, 100 at once) and
// answers 429 past them; Tryton has no limit of its own, and its limits here
// protect a small server that people use too.
//
// - At most `maxConcurrency` requests in flight and `requestsPerWindow`
//   started in any sliding `windowMs` (the shop limiter, reused per request).
// - Paced: after a short burst, requests start evenly spaced, a little
//   under the window's average rate, so the window never fills in one burst
//   and then stops every call for minutes (longer than a call may take).
// - After a 429 every request of that user waits for its Retry-After.
// - A request whose turn is further away than MAX_BUDGET_WAIT_MS is not
//   sent: the call fails as transient (nothing was written) and the engine
//   sends the order again then.
//
// One budget per ERP user and process (`requestBudgetFor`): connectors of
// several shops signing in as the same user share it, and it outlives the
// connector instances a shop's settings build.
import { sleep } from "../../lib/sleep";
import { ShopLimiter } from "./shop-limiter";
import type { HttpResponse } from "../http/request";
import { parseRetryAfterMs } from "../../lib/retry-after";
import { ErpError, type ConnectorLimits } from "../port";

/** Longest a request waits for its turn inside a call (calls have a deadline of their own). */
export const MAX_BUDGET_WAIT_MS = 20_000;

/**
 * The ERP counts a request when it arrives, which can be later than the
 * moment it was started here (an event-loop stall, the network), so
 * requests spaced evenly here can arrive bunched. The budget counts its
 * window as this much longer than the ERP's: arrivals delayed by up to this
 * stay within the limit (0.08 % of BC's 5-minute window's throughput).
 */
export const ARRIVAL_JITTER_MS = 250;

/** Waiting after a 429 without Retry-After. */
const DEFAULT_PAUSE_MS = 1_000;

export class RequestBudget {
  private readonly limiter: ShopLimiter;
  /** When the next request may start if requests were perfectly spaced (GCRA's theoretical arrival time). */
  private nextAt = 0;
  private pausedUntil = 0;

  constructor(
    private limits: ConnectorLimits,
    private readonly erpName: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.limiter = new ShopLimiter(withJitterMargin(limits), clock);
  }

  update(limits: ConnectorLimits): void {
    this.limits = limits;
    this.limiter.updateLimits(withJitterMargin(limits));
  }

  /** Requests that may start back to back: 1/60 of the window's (5 s of BC's 6,000 per 5 minutes). */
  private get burst(): number {
    return Math.max(1, Math.floor(this.limits.requestsPerWindow / 60));
  }

  /** Spacing that keeps burst + paced requests within requestsPerWindow in any window. */
  private get spacingMs(): number {
    return (this.limits.windowMs + ARRIVAL_JITTER_MS) / Math.max(1, this.limits.requestsPerWindow - this.burst);
  }

  /** Sends one request within the budget; a 429 answer pauses the user's requests for its Retry-After. */
  async send(request: () => Promise<HttpResponse>, signal?: AbortSignal): Promise<HttpResponse> {
    await this.waitForTurn(signal);
    const res = await this.limiter.run(request, signal);
    if (res.status === 429) this.pause(parseRetryAfterMs(res.headers.get("retry-after"), this.clock()) ?? DEFAULT_PAUSE_MS);
    return res;
  }

  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
  }

  private async waitForTurn(signal?: AbortSignal): Promise<void> {
    const now = this.clock();
    const paced = this.limits.requestsPerWindow > 0;
    const tolerance = paced ? (this.burst - 1) * this.spacingMs : 0;
    const startAt = Math.max(now, this.pausedUntil, paced ? this.nextAt - tolerance : now);
    const waitMs = startAt - now;
    if (waitMs > MAX_BUDGET_WAIT_MS) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new ErpError({
        kind: "transient",
        message: `${this.erpName} request budget: next request possible in ${waitMs} ms`,
        userMessage: `The app is keeping to ${this.erpName}'s request limit (${this.limits.requestsPerWindow} requests per ${Math.round(this.limits.windowMs / 1000)} seconds) and has none left for the next ${seconds} seconds. The order will be sent again automatically; nothing to do.`,
        retryAfterMs: waitMs,
        outcomeUnknown: false,
      });
    }
    if (paced) this.nextAt = Math.max(this.nextAt, startAt) + this.spacingMs;
    await sleep(waitMs, signal);
  }
}

function withJitterMargin(limits: ConnectorLimits): ConnectorLimits {
  return { ...limits, windowMs: limits.windowMs + ARRIVAL_JITTER_MS };
}

const budgets = new Map<string, RequestBudget>();

/**
 * The budget of the ERP user `userKey` in this process (created on first
 * use; later callers' limits replace earlier ones). One entry per ERP user
 * the process has signed in as.
 */
export function requestBudgetFor(userKey: string, limits: ConnectorLimits, erpName: string): RequestBudget {
  const existing = budgets.get(userKey);
  if (existing) {
    existing.update(limits);
    return existing;
  }
  const budget = new RequestBudget(limits, erpName);
  budgets.set(userKey, budget);
  return budget;
}
