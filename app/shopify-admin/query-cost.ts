// Shopify's cost report (`extensions.cost` on every Admin GraphQL response)
// and the per-shop bucket estimate built from it.
import { z } from "zod";

export const throttleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});
export type ThrottleStatus = z.infer<typeof throttleStatusSchema>;

export const queryCostSchema = z.object({
  requestedQueryCost: z.number(),
  // null on a THROTTLED answer: the query never ran.
  actualQueryCost: z.number().nullable().optional(),
  throttleStatus: throttleStatusSchema,
});
export type QueryCost = z.infer<typeof queryCostSchema>;

/** Reads `extensions.cost`; undefined when absent or malformed (never throws). */
export function readQueryCost(extensions: unknown): QueryCost | undefined {
  const parsed = z.object({ cost: queryCostSchema }).safeParse(extensions);
  return parsed.success ? parsed.data.cost : undefined;
}

/**
 * What we believe one shop's leaky bucket holds. Shopify's limits differ by
 * plan (restore 100/200/1,000/2,000 points/s), so nothing is assumed: the
 * bucket is unknown until the first response tells us its size and rate, and
 * every later response corrects the estimate.
 */
export class CostBucket {
  private maximum?: number;
  private rate?: number;
  private available = 0;
  private observedAt = 0;

  /** Adopt Shopify's latest figures (they are authoritative). */
  observe(status: ThrottleStatus, at: number): void {
    this.maximum = status.maximumAvailable;
    this.rate = status.restoreRate;
    this.available = status.currentlyAvailable;
    this.observedAt = at;
  }

  get known(): boolean {
    return this.maximum !== undefined && this.rate !== undefined;
  }

  get restoreRate(): number | undefined {
    return this.rate;
  }

  get maximumAvailable(): number | undefined {
    return this.maximum;
  }

  /** Estimated points available at `now` (undefined until learned). */
  estimate(now: number): number | undefined {
    if (this.maximum === undefined || this.rate === undefined) return undefined;
    const restored = (Math.max(0, now - this.observedAt) / 1000) * this.rate;
    return Math.min(this.maximum, this.available + restored);
  }

  /** Milliseconds to wait before the bucket should hold `cost` points. */
  delayFor(cost: number, now: number): number {
    const current = this.estimate(now);
    if (current === undefined || this.rate === undefined || this.rate <= 0) return 0;
    // A query dearer than the whole bucket can never run; the client refuses
    // those earlier, so only wait for what can actually be reached.
    const needed = Math.min(cost, this.maximum ?? cost) - current;
    return needed <= 0 ? 0 : Math.ceil((needed / this.rate) * 1000);
  }

  /**
   * Take `cost` points out of the estimate when a request is sent, so calls
   * made before its answer arrives do not spend the same points twice.
   */
  reserve(cost: number, now: number): void {
    const current = this.estimate(now);
    if (current === undefined) return;
    this.available = current - cost;
    this.observedAt = now;
  }
}
