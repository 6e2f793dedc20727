// Admin GraphQL client for work done outside a request (worker, schedules,
// backfills) with a shop's offline token. It paces itself to each shop's
// leaky bucket as Shopify reports it, retries only what can succeed later
// (THROTTLED, 5xx, 429, network), and turns everything else into an
// AdminApiError a person can act on.
import { ClientError, GraphQLClient } from "graphql-request";
import { backoffDelayMs } from "../lib/backoff";
import { KeyedLock } from "../lib/keyed-lock";
import { parseRetryAfterMs } from "../lib/retry-after";
import { createLogger, type Logger } from "../logging/logger";
import { systemClock, type Clock } from "../lib/clock";
import { AdminApiError } from "./errors";
import { CostBucket, readQueryCost, type QueryCost } from "./query-cost";

/** Keep in step with app/graphql/api-version.ts (ADMIN_API_VERSION). */
export const DEFAULT_ADMIN_API_VERSION = "2026-10";
/** Shopify refuses any single query whose requested cost is above 1,000. */
export const SHOPIFY_SINGLE_QUERY_MAX_COST = 1000;

export interface AdminApiDeps {
  /** The shop's offline access token. */
  getAccessToken(shop: string): Promise<string>;
  /** Called once after a 401 (expiring offline tokens); returns the new token. */
  refreshAccessToken(shop: string): Promise<string>;
  fetch?: typeof fetch;
  clock?: Clock;
  apiVersion?: string;
  /** Queries whose requested cost is above this are refused. */
  maxQueryCost?: number;
  /** Attempts per call, including the first (throttle waits included). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  requestTimeoutMs?: number;
  logger?: Logger;
  random?: () => number;
}

export interface AdminQueryOptions {
  signal?: AbortSignal;
  /** Requested cost if the caller knows it; otherwise learned per document. */
  expectedCost?: number;
  /**
   * The operation is not idempotent (fulfillmentCreate): a network failure or
   * a 5xx after sending is not repeated but thrown with outcomeUnknown, so
   * the caller can look up what happened first. THROTTLED and 429 are still
   * retried: Shopify refused those before running anything.
   */
  sendOnce?: boolean;
}

export interface AdminQueryResult<T> {
  data: T;
  cost?: QueryCost;
}

/** What one shop's calls have cost so far (for run records and the benchmark). */
export interface AdminCallStats {
  requests: number;
  throttled: number;
  retries: number;
  actualCost: number;
  waitedMs: number;
}

export interface AdminClient {
  readonly shop: string;
  query<T = unknown>(document: string, variables?: Record<string, unknown>, options?: AdminQueryOptions): Promise<AdminQueryResult<T>>;
  stats(): AdminCallStats;
  /** What Shopify last told us about this shop's bucket. */
  bucket(): { maximumAvailable?: number; restoreRate?: number; estimatedAvailable?: number };
}

interface GraphqlErrorLike {
  message?: string;
  extensions?: { code?: string; [k: string]: unknown };
}

export class ShopifyAdminApi {
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;
  private readonly maxQueryCost: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly requestTimeoutMs: number;
  private readonly apiVersion: string;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly buckets = new Map<string, CostBucket>();
  /** Per-shop admission: one call at a time waits for the shop's bucket. */
  private readonly admission = new KeyedLock();
  private readonly learnedCost = new Map<string, number>();
  private readonly tokens = new Map<string, string>();
  private readonly callStats = new Map<string, AdminCallStats>();

  constructor(private readonly deps: AdminApiDeps) {
    this.clock = deps.clock ?? systemClock;
    this.fetchImpl = deps.fetch ?? globalThis.fetch;
    this.maxQueryCost = deps.maxQueryCost ?? SHOPIFY_SINGLE_QUERY_MAX_COST;
    this.maxAttempts = deps.maxAttempts ?? 8;
    this.backoffBaseMs = deps.backoffBaseMs ?? 500;
    this.backoffMaxMs = deps.backoffMaxMs ?? 30_000;
    this.requestTimeoutMs = deps.requestTimeoutMs ?? 30_000;
    this.apiVersion = deps.apiVersion ?? DEFAULT_ADMIN_API_VERSION;
    this.log = deps.logger ?? createLogger({ base: { component: "shopify-admin" } });
    this.random = deps.random ?? Math.random;
  }

  forShop(shop: string): AdminClient {
    return {
      shop,
      query: (document, variables, options) => this.query(shop, document, variables, options),
      stats: () => ({ ...this.statsFor(shop) }),
      bucket: () => {
        const b = this.bucketFor(shop);
        return {
          maximumAvailable: b.maximumAvailable,
          restoreRate: b.restoreRate,
          estimatedAvailable: b.estimate(this.clock.now()),
        };
      },
    };
  }

  async query<T>(
    shop: string,
    document: string,
    variables: Record<string, unknown> = {},
    options: AdminQueryOptions = {},
  ): Promise<AdminQueryResult<T>> {
    const operation = operationName(document);
    const stats = this.statsFor(shop);
    let refreshed = false;
    const costKey = learnedCostKey(document, variables);
    let expected = options.expectedCost ?? this.learnedCost.get(costKey);

    for (let attempt = 1; ; attempt++) {
      if (expected !== undefined && expected > this.maxQueryCost) throw this.tooCostly(operation, expected);
      await this.admit(shop, expected, options.signal);

      let response: { status: number; headers: Headers; data: unknown; errors?: GraphqlErrorLike[]; extensions?: unknown };
      try {
        stats.requests++;
        response = await this.send(shop, document, variables, options.signal);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (options.sendOnce) throw networkError(shop, operation, error, true);
        if (attempt >= this.maxAttempts) throw networkError(shop, operation, error);
        stats.retries++;
        await this.pause(stats, this.backoff(attempt), options.signal);
        continue;
      }

      const cost = readQueryCost(response.extensions);
      if (cost) {
        this.bucketFor(shop).observe(cost.throttleStatus, this.clock.now());
        this.learnedCost.set(costKey, cost.requestedQueryCost);
        expected = cost.requestedQueryCost;
        stats.actualCost += cost.actualQueryCost ?? 0;
      }

      if (response.status === 401) {
        if (refreshed) throw unauthorized(shop);
        refreshed = true;
        this.tokens.set(shop, await this.deps.refreshAccessToken(shop));
        continue;
      }
      if (response.status === 403) throw accessDenied(shop, operation, undefined);
      if (response.status >= 500 && options.sendOnce) throw serverError(shop, operation, response.status, true);
      if (response.status === 429 || response.status >= 500) {
        if (attempt >= this.maxAttempts) throw serverError(shop, operation, response.status);
        stats.retries++;
        const retryAfter = parseRetryAfterMs(response.headers?.get("retry-after"), this.clock.now());
        await this.pause(stats, retryAfter ?? this.backoff(attempt), options.signal);
        continue;
      }

      const errors = response.errors ?? [];
      if (errors.some((e) => e.extensions?.code === "THROTTLED")) {
        stats.throttled++;
        if (attempt >= this.maxAttempts) {
          throw new AdminApiError({
            code: "THROTTLED",
            message: `${operation} on ${shop} still throttled after ${attempt} attempts`,
            userMessage: "Shopify is limiting how fast the app may read orders right now. The app will try again automatically.",
          });
        }
        stats.retries++;
        this.log.warn({ shop, operation, cost }, "Shopify throttled a query; waiting for the bucket to refill");
        continue; // admit() waits for the refill using the status just observed
      }
      const maxCost = errors.find((e) => e.extensions?.code === "MAX_COST_EXCEEDED");
      if (maxCost) throw this.tooCostly(operation, Number(maxCost.extensions?.cost ?? expected ?? NaN));
      const denied = errors.find((e) => e.extensions?.code === "ACCESS_DENIED");
      if (denied) throw accessDenied(shop, operation, denied.message);
      if (errors.length > 0) {
        throw new AdminApiError({
          code: "GRAPHQL",
          message: `${operation} on ${shop} failed: ${errors.map((e) => e.message).join("; ")}`,
          userMessage:
            "Shopify rejected a request from the app. This needs a developer: please contact the app's support with the time it happened.",
        });
      }
      if (cost && cost.requestedQueryCost > this.maxQueryCost) throw this.tooCostly(operation, cost.requestedQueryCost);

      this.log.debug(
        { shop, operation, requested: cost?.requestedQueryCost, actual: cost?.actualQueryCost, available: cost?.throttleStatus.currentlyAvailable },
        "admin query",
      );
      return { data: response.data as T, cost };
    }
  }

  private statsFor(shop: string): AdminCallStats {
    let s = this.callStats.get(shop);
    if (!s) {
      s = { requests: 0, throttled: 0, retries: 0, actualCost: 0, waitedMs: 0 };
      this.callStats.set(shop, s);
    }
    return s;
  }

  private bucketFor(shop: string): CostBucket {
    let b = this.buckets.get(shop);
    if (!b) {
      b = new CostBucket();
      this.buckets.set(shop, b);
    }
    return b;
  }

  /**
   * Wait until the shop's estimated bucket holds `cost`, then reserve it.
   * Callers for one shop are admitted one at a time (FIFO) so concurrent
   * calls queue behind each other instead of all firing into a THROTTLED.
   */
  private async admit(shop: string, cost: number | undefined, signal?: AbortSignal): Promise<void> {
    await this.admission.run(shop, async () => {
      const bucket = this.bucketFor(shop);
      // A query never sent before has an unknown cost: wait for a full bucket
      // (up to the single-query limit) rather than risk a THROTTLED. Waiting
      // for the refill loses nothing: the points are spent by later calls.
      if (cost === undefined && bucket.maximumAvailable !== undefined) cost = Math.min(this.maxQueryCost, bucket.maximumAvailable);
      if (cost === undefined) return;
      const delay = bucket.delayFor(cost, this.clock.now());
      if (delay > 0) await this.pause(this.statsFor(shop), delay, signal);
      bucket.reserve(cost, this.clock.now());
    });
  }

  private async pause(stats: AdminCallStats, ms: number, signal?: AbortSignal): Promise<void> {
    stats.waitedMs += ms;
    await this.clock.sleep(ms, signal);
  }

  private backoff(attempt: number): number {
    return backoffDelayMs(attempt, { baseMs: this.backoffBaseMs, maxMs: this.backoffMaxMs }, this.random);
  }

  private async token(shop: string): Promise<string> {
    let t = this.tokens.get(shop);
    if (!t) {
      t = await this.deps.getAccessToken(shop);
      this.tokens.set(shop, t);
    }
    return t;
  }

  private async send(shop: string, document: string, variables: Record<string, unknown>, signal?: AbortSignal) {
    const client = new GraphQLClient(`https://${shop}/admin/api/${this.apiVersion}/graphql.json`, {
      fetch: this.fetchImpl,
      errorPolicy: "all",
    });
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    try {
      const res = await client.rawRequest<unknown>({
        query: document,
        variables,
        requestHeaders: { "X-Shopify-Access-Token": await this.token(shop) },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      return { status: res.status, headers: res.headers, data: res.data, errors: res.errors as GraphqlErrorLike[] | undefined, extensions: res.extensions };
    } catch (error) {
      // graphql-request reports non-2xx answers as ClientError: unwrap them so
      // the retry logic sees the status (network failures are rethrown).
      if (error instanceof ClientError) {
        const r = error.response;
        return {
          status: r.status,
          headers: r.headers,
          data: r.data,
          errors: Array.isArray(r.errors) ? (r.errors as GraphqlErrorLike[]) : undefined,
          extensions: r.extensions,
        };
      }
      throw error;
    }
  }

  private tooCostly(operation: string, cost: number): AdminApiError {
    return new AdminApiError({
      code: "MAX_COST_EXCEEDED",
      message: `${operation} requests ${cost} cost points, above the limit of ${this.maxQueryCost} per query`,
      userMessage:
        "A request to Shopify asks for too much data at once and was not sent. This needs a developer: please contact the app's support.",
    });
  }
}

export function operationName(document: string): string {
  return /\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(document)?.[1] ?? "anonymous";
}

function unauthorized(shop: string): AdminApiError {
  return new AdminApiError({
    code: "UNAUTHORIZED",
    httpStatus: 401,
    message: `Shopify refused the access token for ${shop} even after a refresh`,
    userMessage:
      "Shopify no longer accepts the app's access for this store. Open the app from your Shopify admin to re-authorise it; if that does not help, reinstall the app.",
  });
}

function accessDenied(shop: string, operation: string, detail: string | undefined): AdminApiError {
  return new AdminApiError({
    code: "ACCESS_DENIED",
    httpStatus: 403,
    message: `${operation} on ${shop} was denied${detail ? `: ${detail}` : ""}`,
    userMessage:
      "The app is missing a Shopify permission for this. Open the app from your Shopify admin and approve the updated permissions, then try again.",
  });
}

function serverError(shop: string, operation: string, status: number, outcomeUnknown = false): AdminApiError {
  return new AdminApiError({
    code: "SERVER_ERROR",
    httpStatus: status,
    outcomeUnknown,
    message: `${operation} on ${shop} kept failing with HTTP ${status}`,
    userMessage: "Shopify is not answering properly right now. The app will try again automatically later.",
  });
}

function networkError(shop: string, operation: string, cause: unknown, outcomeUnknown = false): AdminApiError {
  return new AdminApiError({
    code: "NETWORK",
    outcomeUnknown,
    message: `${operation} on ${shop} could not reach Shopify: ${cause instanceof Error ? cause.message : String(cause)}`,
    userMessage: "The app could not reach Shopify. It will try again automatically later.",
    cause,
  });
}

/**
 * Requested cost depends on the document and on page sizes, not on cursors
 * or filters: learn it per document and numeric variables.
 */
function learnedCostKey(document: string, variables: Record<string, unknown>): string {
  const sizes = Object.entries(variables)
    .filter(([, v]) => typeof v === "number")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return `${sizes}\n${document}`;
}
