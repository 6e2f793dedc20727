// Shopify bulk query operations: start one, poll it until it finishes, cancel
// it, and stream its JSONL result. A backfill stores the operation id so a
// restarted worker picks the same operation up instead of starting another.
import {
  BULK_OPERATION_CANCEL_MUTATION,
  BULK_OPERATION_RUN_QUERY_MUTATION,
  BULK_OPERATION_STATUS_QUERY,
} from "../graphql/orders";
import type { BulkOperationRunQueryMutation, BulkOperationStatusQuery } from "../types/admin.generated";
import type { AdminClient } from "./admin-client";
import { readJsonLines, type JsonObject } from "./bulk-jsonl";
import { systemClock, type Clock } from "../lib/clock";
import { AdminApiError } from "./errors";

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";

export interface BulkOperationState {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  url: string | null;
  partialDataUrl: string | null;
}

export async function startBulkQuery(admin: AdminClient, query: string, signal?: AbortSignal): Promise<string> {
  const { data } = await admin.query<BulkOperationRunQueryMutation>(BULK_OPERATION_RUN_QUERY_MUTATION, { query, groupObjects: true }, { signal });
  const payload = data.bulkOperationRunQuery;
  const userError = payload?.userErrors[0];
  if (!payload?.bulkOperation || userError) {
    const inProgress = userError?.code === "OPERATION_IN_PROGRESS";
    throw new AdminApiError({
      code: "USER_ERROR",
      message: `bulkOperationRunQuery refused: ${userError?.message ?? "no operation returned"}`,
      userMessage: inProgress
        ? "Another bulk export for this store is still running in Shopify. Wait for it to finish, then start the import again."
        : "Shopify refused to start the order export. This needs a developer: please contact the app's support.",
    });
  }
  return payload.bulkOperation.id;
}

export async function getBulkOperation(admin: AdminClient, id: string, signal?: AbortSignal): Promise<BulkOperationState | null> {
  const { data } = await admin.query<BulkOperationStatusQuery>(BULK_OPERATION_STATUS_QUERY, { id }, { signal });
  const op = data.bulkOperation;
  if (!op) return null;
  // UnsignedInt64 arrives as a string.
  return {
    ...op,
    errorCode: op.errorCode ?? null,
    url: op.url ?? null,
    partialDataUrl: op.partialDataUrl ?? null,
    objectCount: Number(op.objectCount),
    rootObjectCount: Number(op.rootObjectCount),
  };
}

export interface WaitOptions {
  clock?: Clock;
  signal?: AbortSignal;
  /** First poll interval; doubles up to maxPollMs while the operation runs. */
  pollMs?: number;
  maxPollMs?: number;
  onProgress?(state: BulkOperationState): void | Promise<void>;
}

/** Polls until the operation is no longer CREATED/RUNNING/CANCELING. */
export async function waitForBulkOperation(admin: AdminClient, id: string, options: WaitOptions = {}): Promise<BulkOperationState> {
  const clock = options.clock ?? systemClock;
  let interval = options.pollMs ?? 1000;
  for (;;) {
    const state = await getBulkOperation(admin, id, options.signal);
    if (!state) {
      throw new AdminApiError({
        code: "USER_ERROR",
        message: `bulk operation ${id} not found`,
        userMessage: "Shopify no longer knows the order export this import was waiting for. Start the import again.",
      });
    }
    await options.onProgress?.(state);
    if (!["CREATED", "RUNNING", "CANCELING"].includes(state.status)) return state;
    await clock.sleep(interval, options.signal);
    interval = Math.min(options.maxPollMs ?? 10_000, interval * 2);
  }
}

export async function cancelBulkOperation(admin: AdminClient, id: string): Promise<void> {
  await admin.query(BULK_OPERATION_CANCEL_MUTATION, { id });
}

/**
 * Streams the result file line by line. The URL is a pre-signed storage link:
 * it needs no token, and none is sent.
 */
export async function* streamBulkResult(url: string, fetchImpl: typeof fetch = fetch, signal?: AbortSignal): AsyncGenerator<JsonObject> {
  const response = await fetchImpl(url, { signal });
  if (!response.ok || !response.body) {
    throw new AdminApiError({
      code: response.status >= 500 ? "SERVER_ERROR" : "USER_ERROR",
      httpStatus: response.status,
      message: `bulk result download failed with HTTP ${response.status}`,
      userMessage:
        response.status >= 500
          ? "Downloading the order export from Shopify failed. The app will try again automatically."
          : "The order export from Shopify has expired or is gone. Start the import again.",
    });
  }
  yield* readJsonLines(response.body, signal);
}
