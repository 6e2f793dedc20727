// Watches every ERP call of one delivery and tells the shop's circuit breaker
// (erp-breaker.ts) what it says about the ERP: it answered, or it did not.
// Delivery itself (deliver.ts) is unchanged: the worker hands it the
// connector wrapped here, inside the shop limiter, so a call's start is when
// it really left (not when it began waiting for a slot).
//
// - Answered: a result, or a refusal (permanent error, or 429 "slow down":
//   the ERP is there, it only asks to wait).
// - Not answering: a transient error (timeout, connection refused, 5xx), or
//   the delivery's call timeout running out.
// - Neither: the worker stopped or lost the order's lease (the call was cut
//   off by us), or an error that is not the ERP's (a bug): counting those
//   would call a healthy ERP "down".
import { aroundErpCalls } from "../../connectors/around-calls";
import { ErpError, type ErpConnector } from "../../connectors/port";
import type { CallVerdict, ErpBreaker } from "./erp-breaker";

export interface ObservedCalls {
  /** The connector to hand to delivery. */
  connector: ErpConnector;
  /** How many calls reached the ERP (or timed out trying). */
  readonly calls: number;
}

export function verdictOf(error: unknown, callSignal: AbortSignal | undefined, workerSignal: AbortSignal): CallVerdict | null {
  if (workerSignal.aborted) return null;
  if (error instanceof ErpError) {
    if (error.kind === "permanent" || error.httpStatus === 429) return "answered";
    return "unavailable";
  }
  return callSignal?.aborted ? "unavailable" : null;
}

export function observeErpCalls(
  connector: ErpConnector,
  target: { breaker: ErpBreaker; shop: string; orderSyncId: string; now: () => Date; workerSignal: AbortSignal },
): ObservedCalls {
  let calls = 0;
  async function watch<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    const startedAt = target.now();
    calls++;
    let result: T;
    try {
      result = await call();
    } catch (error) {
      const verdict = verdictOf(error, signal, target.workerSignal);
      if (verdict) await target.breaker.record(target.shop, target.orderSyncId, verdict, startedAt);
      throw error;
    }
    await target.breaker.record(target.shop, target.orderSyncId, "answered", startedAt);
    return result;
  }
  return {
    connector: aroundErpCalls(connector, watch),
    get calls() {
      return calls;
    },
  };
}
