// Delivery of one claimed ledger row to the ERP. The worker has leased the
// row (the per-order lock); this module decides what is due, validates,
// calls the connector, logs the attempt and moves the row to its next state.
//
// Idempotency, in order of defence:
//  1. external id = prefix + Shopify's legacy order id: the ERP can always be
//     asked "do you have this order?" (connector.findOrder);
//  2. before a create is sent, createMaybeSent is written to the row. Any
//     later attempt (this worker, a retry, another worker after a crash)
//     looks the order up before creating, so a create whose answer was lost
//     (timeout after the ERP committed) is found, not duplicated;
//  3. every call carries an idempotency key per (order, operation, version)
//     for ERPs that dedupe on it;
//  4. the row's lease serialises writes per order: the real ERP (Tryton)
//     does not enforce unique references, so two concurrent sends would
//     make two sales.
import { randomUUID } from "node:crypto";
import type { OrderSync, PrismaClient } from "@prisma/client";
import type { DatabaseProvider } from "../../db/url";
import type { Logger } from "pino";
import { ErpError, type ErpConnector, type ErpOrderRef } from "../../connectors/port";
import { scrubText } from "../../logging/logger";
import type { CanonicalOrder, CanonicalRefund } from "../order/canonical-order";
import { describeChanges, parseDocumentSummary, summarizeDocument } from "../order/document-summary";
import { checkOrderMoney, checkRefundMoney } from "../order/money-check";
import { parseJsonExact } from "../order/exact-json";
import { dueOperation, type LedgerFacts } from "../ledger/fold";
import type { SyncOperation, SyncState } from "../ledger/states";
import { compareDecimals, isDecimal } from "../../lib/decimal";
import { filterReason } from "../order/filters";
import { applyItemNumbers, mapOrderWithTotals, type MapOrderOptions } from "../order/order-mapper";
import type { StoredRefund } from "../order/refund-mapper";
import { validateOrder } from "../order/validation";
import { gaveUpMessage, retryDelayMs, retryWindowEnded } from "./retry-policy";
import { erpDownSince } from "./erp-breaker";
import type { ShopSyncConfig } from "../shop-config";
import { shopifyRestOrderSchema, type ShopifyRestOrder } from "../order/shopify-rest-order";
import { recordAttempt, type AttemptStart } from "../ledger/sync-log";
import { updateOrderSync, type RawExecutor } from "../ledger/ledger-sql";
import { jsonArray } from "../ledger/stored-json";
import { requeueAfterSuccess } from "../../health/self-heal.server";

export interface DeliveryContext {
  prisma: PrismaClient;
  /** Which SQL the raw ledger writes speak (ledger/ledger-sql.ts). */
  provider: DatabaseProvider;
  config: ShopSyncConfig;
  /** The shop's connector wrapped in its limiter (null: none configured). */
  connector: ErpConnector | null;
  logger: Logger;
  now: () => Date;
  leaseMs: number;
  leaseToken: string;
  /** Aborted when the worker loses the lease or shuts down. */
  signal: AbortSignal;
  callTimeoutMs: number;
  random?: () => number;
}

export type DeliveryOutcome = SyncState | "lease_lost";

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** ERP writes that succeeded during this claim, in order. */
  operations: SyncOperation[];
}

// Enough for create + cancel + a few refunds in one claim; beyond that the
// row goes back to pending so other orders get their turn.
const MAX_STEPS_PER_CLAIM = 8;

type Plan =
  | {
      kind: "finish";
      state: SyncState;
      problems?: string[];
      skipReason?: string;
      lastError?: string;
      operation?: SyncOperation;
      /** What a needs_attention order waits for (["sku:ABC"]): its fix re-queues it (app/health/self-heal.server.ts). */
      waitingOn?: string[];
    }
  | {
      kind: "send";
      operation: Exclude<SyncOperation, "none">;
      /** The snapshot as parsed for this plan: planning again after the send reuses it. */
      raw: ShopifyRestOrder;
      order: CanonicalOrder;
      refund?: CanonicalRefund;
    };

function parseSnapshot(row: OrderSync): ShopifyRestOrder | null {
  try {
    const parsed = shopifyRestOrderSchema.safeParse(parseJsonExact(row.snapshot));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function planNext(row: OrderSync, ctx: DeliveryContext, parsed?: ShopifyRestOrder): Promise<Plan> {
  const { config } = ctx;
  const rules = config.rules;
  if (row.snapshot === "") {
    return {
      kind: "finish",
      state: "needs_attention",
      operation: "refund",
      problems: [
        `Shopify sent a refund for ${row.orderName}, but the order itself has not arrived yet. Use "Re-fetch from Shopify" to load it; it will then sync with its refund.`,
      ],
    };
  }
  const raw = parsed ?? parseSnapshot(row);
  if (!raw) {
    return {
      kind: "finish",
      state: "needs_attention",
      problems: [`The stored copy of order ${row.orderName} could not be read. Use "Re-fetch from Shopify", then retry.`],
    };
  }
  const mapOptions: MapOrderOptions = {
    shop: row.shop,
    externalIdPrefix: config.externalIdPrefix,
    extraRefunds: jsonArray<StoredRefund>(row.refunds),
  };
  const { order, shopify } = mapOrderWithTotals(raw, mapOptions);
  const inErp = row.erpDocumentId !== null || row.createMaybeSent;
  const refundsSynced = jsonArray<string>(row.refundsSynced);
  // A credit note is written for a refund that returned money once that
  // money has settled; a pending one waits (orders/updated or
  // reconciliation brings it back when it settles), an absorbed one is
  // already in the document's quantities.
  const sendableRefunds = order.refunds.filter((r) => r.kind === "credit" && r.status === "settled");
  // Turned-off events count as "nothing due" for that kind of write.
  const facts: LedgerFacts = {
    hasSnapshot: true,
    cancelled: order.cancelledAt !== null,
    contentHash: row.contentHash,
    syncedHash: rules.events.update || row.erpDocumentId === null ? row.syncedHash : row.contentHash,
    erpDocumentId: row.erpDocumentId,
    createMaybeSent: row.createMaybeSent,
    cancelSynced: row.cancelSynced,
    refundIds: rules.events.refund ? sendableRefunds.map((r) => r.refundId) : [],
    refundsSynced,
  };
  const operation = dueOperation(facts);

  if (!inErp) {
    const reason = filterReason(order, raw, rules);
    if (reason) return { kind: "finish", state: "skipped", skipReason: reason, operation: "none" };
  }

  if (operation === "none") {
    if (row.erpTotal && row.shopifyTotal && isDecimal(row.erpTotal) && isDecimal(row.shopifyTotal)) {
      if (compareDecimals(row.erpTotal, row.shopifyTotal) !== 0) {
        return {
          kind: "finish",
          state: "needs_attention",
          operation: "none",
          problems: [
            `Order ${order.name} is in the ERP, but its ERP total (${row.erpTotal} ${order.currency}) differs from the Shopify total (${row.shopifyTotal} ${order.currency}). Check prices, discounts and taxes on the ERP order, then choose "Mark resolved".`,
          ],
        };
      }
    }
    return { kind: "finish", state: "synced", operation: "none" };
  }

  if (operation === "create" && !rules.events.create) {
    return {
      kind: "finish",
      state: "skipped",
      operation: "none",
      skipReason: `Order ${order.name} was not sent: creating ERP orders is turned off in your sync rules. Turn it on, then retry.`,
    };
  }

  if (operation === "cancel") {
    if (!inErp) {
      // Decision: a cancellation that arrives before the create was sent
      // creates nothing (no create-then-cancel noise in the ERP).
      return {
        kind: "finish",
        state: "skipped",
        operation: "none",
        skipReason: `Order ${order.name} was cancelled in Shopify before it was sent to the ERP, so nothing was created there.`,
      };
    }
    if (!rules.events.cancel || !rules.cancelInErp) {
      return {
        kind: "finish",
        state: "needs_attention",
        operation: "cancel",
        problems: [
          `Order ${order.name} was cancelled in Shopify. Your sync rules do not cancel ERP orders automatically: cancel ERP order ${row.erpDocumentNumber ?? row.erpDocumentId ?? row.externalId} yourself, then choose "Mark resolved".`,
        ],
      };
    }
  }

  if (operation === "create" || operation === "update") {
    const skus = [...new Set(order.lines.map((l) => l.sku).filter((s): s is string => !!s))];
    const mapping = skus.length > 0 ? await config.lookupItemNumbers(skus) : new Map<string, string>();
    const skuFallbackAllowed = config.description?.skuFallbackAllowed ?? true;
    const problems = validateOrder(order, {
      connectorConfigured: ctx.connector !== null,
      skuFallbackAllowed,
      mappedSkus: new Set(mapping.keys()),
    });
    if (problems.length > 0) {
      const unmapped = skuFallbackAllowed ? [] : skus.filter((sku) => !mapping.has(sku));
      return { kind: "finish", state: "needs_attention", operation, problems, waitingOn: unmapped.map((sku) => `sku:${sku}`) };
    }
    const moneyProblems = [...checkOrderMoney(order, shopify), ...inPresentment(raw, order, mapOptions, (p) => checkOrderMoney(p.order, p.shopify))];
    if (moneyProblems.length > 0) return { kind: "finish", state: "needs_attention", operation, problems: moneyProblems };
    return { kind: "send", operation, raw, order: applyItemNumbers(order, mapping, skuFallbackAllowed) };
  }

  if (!ctx.connector) {
    return {
      kind: "finish",
      state: "needs_attention",
      operation,
      problems: [
        `Cannot sync order ${order.name}: no ERP connection is set up for this shop. Open Settings, choose your ERP and save a working connection, then retry.`,
      ],
    };
  }
  if (operation === "refund") {
    // A credit note whose earlier write may have happened goes first: its
    // marker (refundMaybeSent) holds one refund, and writing another before
    // it would overwrite the marker and lose the look-up (the lifecycle
    // model found a duplicate credit note when a pending refund settled
    // after a lost answer).
    const unsent = sendableRefunds.filter((r) => !refundsSynced.includes(r.refundId));
    const refund = unsent.find((r) => r.refundId === row.refundMaybeSent) ?? unsent[0];
    if (!refund) return { kind: "finish", state: "synced", operation: "none" };
    const moneyProblems = [
      ...checkRefundMoney(order, refund),
      ...inPresentment(raw, order, mapOptions, (p) => {
        const same = p.order.refunds.find((r) => r.refundId === refund.refundId);
        return same ? checkRefundMoney(p.order, same) : [];
      }),
    ];
    if (moneyProblems.length > 0) return { kind: "finish", state: "needs_attention", operation, problems: moneyProblems };
    return { kind: "send", operation, raw, order, refund };
  }
  return { kind: "send", operation, raw, order };
}

/**
 * The same check again on the document built in the buyer's currency, for
 * an order paid in another currency than the shop's (a money part lost in
 * conversion shows there even when shop money adds up).
 */
function inPresentment(
  raw: ShopifyRestOrder,
  order: CanonicalOrder,
  options: MapOrderOptions,
  check: (p: ReturnType<typeof mapOrderWithTotals>) => string[],
): string[] {
  if (order.presentmentCurrency === order.currency) return [];
  return check(mapOrderWithTotals(raw, { ...options, view: "presentment" }));
}

/** Row fields for a final state; the lease is released. */
function finishData(plan: Extract<Plan, { kind: "finish" }>, row: OrderSync, now: Date) {
  const problems = plan.problems ?? [];
  return {
    state: plan.state,
    operation: plan.operation ?? row.operation,
    problems: JSON.stringify(problems),
    lastError: plan.lastError ?? (problems.length > 0 ? problems.join("\n") : null),
    skipReason: plan.skipReason ?? null,
    waitingOn: plan.waitingOn?.length ? JSON.stringify(plan.waitingOn) : null,
    syncedAt: plan.state === "synced" ? now : row.syncedAt,
    // The app wrote (or decided) this itself: no longer "resolved by" staff.
    resolvedBy: null,
    resolvedAt: null,
    attemptCount: plan.state === "synced" || plan.state === "skipped" ? 0 : row.attemptCount,
    leaseOwner: null,
    leaseToken: null,
    leaseExpiresAt: null,
  };
}

/**
 * Write to this claim's row: a compare-and-set on the lease token (and on
 * the revision when given, so news that arrived meanwhile is not
 * overwritten). Returns whether the row was written.
 */
async function writeRow(
  ctx: DeliveryContext,
  row: { id: string; revision?: number },
  data: Partial<OrderSync>,
  db: RawExecutor = ctx.prisma,
): Promise<boolean> {
  const where = { id: row.id, leaseToken: ctx.leaseToken, ...(row.revision === undefined ? {} : { revision: row.revision }) };
  return (await updateOrderSync(db, ctx.provider, where, data, ctx.now())) === 1;
}

/** Release the lease with the final state, unless news arrived (then re-plan). */
async function finish(row: OrderSync, plan: Extract<Plan, { kind: "finish" }>, ctx: DeliveryContext): Promise<boolean> {
  return writeRow(ctx, row, finishData(plan, row, ctx.now()));
}

interface CallFailure {
  kind: "transient" | "permanent" | "lease_lost";
  userMessage: string;
  outcomeUnknown: boolean;
  retryAfterMs?: number;
  requestStatus: string;
  responseSummary?: string;
  technical: string;
  waitingOn?: string[];
}

function classify(error: unknown, ctx: DeliveryContext, timedOut: boolean, callTimeoutMs: number): CallFailure {
  if (ctx.signal.aborted) {
    return {
      kind: "lease_lost",
      userMessage: "The worker stopped or lost its claim on this order while sending; another attempt will follow.",
      outcomeUnknown: true,
      requestStatus: "aborted",
      technical: String(ctx.signal.reason ?? "aborted"),
    };
  }
  if (error instanceof ErpError) {
    return {
      kind: error.kind,
      userMessage: error.userMessage,
      outcomeUnknown: error.outcomeUnknown,
      retryAfterMs: error.retryAfterMs,
      requestStatus: error.httpStatus ? `http ${error.httpStatus}` : error.outcomeUnknown ? "no answer" : "error",
      responseSummary: error.responseSummary,
      technical: error.message,
      waitingOn: error.waitingOn,
    };
  }
  if (timedOut) {
    return {
      kind: "transient",
      userMessage: `The ERP did not answer within ${Math.round(callTimeoutMs / 1000)} seconds. The app will check whether the order arrived and try again.`,
      outcomeUnknown: true,
      requestStatus: "timeout",
      technical: "call timed out",
    };
  }
  // A bug or an unexpected library error: retry (bounded by the retry rules)
  // and treat the request as possibly sent, so the next try looks up first.
  return {
    kind: "transient",
    userMessage: "An unexpected error happened while talking to the ERP. The app will try again.",
    outcomeUnknown: true,
    requestStatus: "error",
    technical: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}

type StepResult = { next: "continue" } | { next: "stop"; outcome: DeliveryOutcome };

function documentText(order: CanonicalOrder): string {
  return JSON.stringify(summarizeDocument(order));
}

/**
 * An update the ERP refused because its document no longer takes changes:
 * the message gains the exact changes to make there by hand, from what the
 * ERP was last sent to what Shopify has now.
 */
function withChangesListed(error: unknown, row: OrderSync, order: CanonicalOrder): unknown {
  if (!(error instanceof ErpError) || !error.documentLocked) return error;
  const before = parseDocumentSummary(row.sentDocument);
  const changes = before ? describeChanges(before, order) : null;
  const list = changes
    ? ` Changes to make in the ERP: ${changes}.`
    : before
      ? " Its lines and total are unchanged; other details (such as the note or addresses) changed."
      : ` Shopify now has: ${order.lines.map((l) => `${l.sku ?? l.displayName} × ${l.quantity}`).join(", ")}; total ${order.totals.total} ${order.currency}.`;
  return new ErpError({
    kind: error.kind,
    message: error.message,
    userMessage: error.userMessage.replace(/(cannot change it\.)/, `$1${list}`),
    httpStatus: error.httpStatus,
    responseSummary: error.responseSummary,
    documentLocked: true,
    cause: error,
  });
}

async function send(row: OrderSync, plan: Extract<Plan, { kind: "send" }>, ctx: DeliveryContext): Promise<StepResult> {
  const { prisma } = ctx;
  const connector = ctx.connector!;
  const op = plan.operation;
  const startedAt = ctx.now();
  const attemptNumber = row.attemptCount + 1;
  const firstAttemptAt = row.firstAttemptAt ?? startedAt;
  const version =
    op === "create" || op === "update" ? row.contentHash.slice(0, 16) : op === "refund" ? plan.refund!.refundId : "cancel";
  const idempotencyKey = `${row.externalId}:${op}:${version}`;
  const log = ctx.logger.child({ operation: op, attempt: attemptNumber });
  const mustLookUp = row.erpDocumentId === null && row.createMaybeSent;
  // A credit note whose earlier write may have happened is looked up first
  // (ERPs do not all deduplicate on the idempotency key).
  const refundMustLookUp = op === "refund" && row.refundMaybeSent === plan.refund!.refundId;

  // Write-ahead: from here on, the create may reach the ERP.
  const marked = await writeRow(ctx, { id: row.id }, {
    operation: op,
    lastAttemptAt: startedAt,
    firstAttemptAt,
    leaseExpiresAt: new Date(startedAt.getTime() + ctx.leaseMs),
    // sentHash must keep naming what an EARLIER create sent until the
    // look-up has answered: a found document holds that version, not today's.
    ...(op === "create" ? { createMaybeSent: true, ...(mustLookUp ? {} : { sentHash: row.contentHash, sentDocument: documentText(plan.order) }) } : {}),
    ...(op === "refund" ? { refundMaybeSent: plan.refund!.refundId } : {}),
  });
  if (!marked) return { next: "stop", outcome: "lease_lost" };

  const attemptStart: AttemptStart = {
    shop: row.shop,
    orderSyncId: row.id,
    externalId: row.externalId,
    localId: row.orderName,
    operation: op,
    attemptNumber,
    idempotencyKey,
    correlationId: row.correlationId,
    startedAt,
  };

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error("call timed out")), ctx.callTimeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout.signal]);
  const callCtx = { idempotencyKey, signal };
  let ref: ErpOrderRef | null = null;
  let foundByLookup = false;
  try {
    let existing: ErpOrderRef | null = row.erpDocumentId
      ? { documentId: row.erpDocumentId, documentNumber: row.erpDocumentNumber ?? undefined }
      : null;
    if (!existing && mustLookUp) {
      existing = await connector.findOrder(row.externalId, callCtx);
      foundByLookup = existing !== null;
    }
    if (op === "create") {
      if (!existing && mustLookUp) {
        // Not in the ERP: the create about to go out carries today's content.
        await writeRow(ctx, { id: row.id }, { sentHash: row.contentHash, sentDocument: documentText(plan.order) });
      }
      ref = existing ?? (await connector.createOrder(plan.order, callCtx));
    } else if (!existing) {
      // Only a cancel gets here (dueOperation plans updates and refunds only
      // for a confirmed document): the create may have been sent, and the
      // look-up says it never arrived, so there is nothing to cancel.
      if (op !== "cancel") throw new Error(`no ERP document to apply the ${op} to`);
      ref = null;
    } else if (op === "update") {
      ref = await connector.updateOrder(existing, plan.order, callCtx);
    } else if (op === "cancel") {
      ref = await connector.cancelOrder(existing, plan.order, callCtx);
    } else {
      const recorded = refundMustLookUp && connector.findRefund ? await connector.findRefund(plan.order, plan.refund!.refundId, callCtx) : null;
      foundByLookup = recorded !== null;
      // Either way the row keeps the order's document, not the credit note's.
      ref = recorded ? existing : await connector.recordRefund(existing, plan.order, plan.refund!, callCtx);
    }
  } catch (error) {
    clearTimeout(timer);
    const failure = classify(withChangesListed(error, row, plan.order), ctx, timeout.signal.aborted, ctx.callTimeoutMs);
    return fail(row, op, failure, { attemptStart, attemptNumber, firstAttemptAt }, ctx, log);
  }
  clearTimeout(timer);

  const endedAt = ctx.now();
  if (!ref) {
    await recordAttempt(prisma, ctx.provider, attemptStart, {
      outcome: "skipped",
      endedAt,
      requestStatus: "ok",
      responseSummary: `ERP has no order ${row.externalId}; nothing to ${op}`,
    });
    const done = await finish(
      row,
      {
        kind: "finish",
        state: "skipped",
        operation: "none",
        skipReason: `Order ${plan.order.name} was cancelled in Shopify before it reached the ERP, so nothing was created there.`,
      },
      ctx,
    );
    return done ? { next: "stop", outcome: "skipped" } : { next: "continue" };
  }

  const refundsSynced = jsonArray<string>(row.refundsSynced);
  const data =
    op === "create"
      ? {
          erpDocumentId: ref.documentId,
          erpDocumentNumber: ref.documentNumber ?? null,
          erpDocumentUrl: ref.url ?? null,
          erpTotal: ref.total ?? null,
          // Found by look-up: the ERP holds the version that create sent.
          syncedHash: foundByLookup ? (row.sentHash ?? row.contentHash) : row.contentHash,
          // First confirmation of the document: the end of the delivery lag (app/health/).
          erpCommittedAt: row.erpCommittedAt ?? endedAt,
        }
      : op === "update"
        ? { erpTotal: ref.total ?? row.erpTotal, syncedHash: row.contentHash, sentDocument: documentText(plan.order), erpDocumentId: ref.documentId }
        : op === "cancel"
          ? { cancelSynced: true, erpDocumentId: ref.documentId }
          : { refundsSynced: JSON.stringify([...refundsSynced, plan.refund!.refundId]), refundMaybeSent: null, erpDocumentId: ref.documentId };
  const successData = {
    ...data,
    ...(foundByLookup && op !== "create" && op !== "refund"
      ? {
          syncedHash: row.sentHash ?? row.contentHash,
          erpDocumentNumber: ref.documentNumber ?? null,
          erpDocumentUrl: ref.url ?? null,
        }
      : {}),
    attemptCount: 0,
    firstAttemptAt: null,
    lastError: null,
    waitingOn: null,
  };
  // Usually nothing else is due: write the result and the final state in one
  // compare-and-set (on revision, so news that arrived mid-send is not lost).
  const after = { ...row, ...successData } as OrderSync;
  let finalPlan: Extract<Plan, { kind: "finish" }> | null = null;
  try {
    // Same snapshot as before the send: no need to parse it again.
    const next = await planNext(after, ctx, plan.raw);
    if (next.kind === "finish") finalPlan = next;
  } catch {
    finalPlan = null;
  }
  // The row's new state and the attempt's log row commit together (one
  // commit, and the log never disagrees with the ledger).
  const { finished, saved } = await prisma.$transaction(async (tx) => {
    const finished = finalPlan !== null && (await writeRow(ctx, row, { ...successData, ...finishData(finalPlan, after, endedAt) }, tx));
    const saved =
      finished || (await writeRow(ctx, { id: row.id }, { ...successData, leaseExpiresAt: new Date(endedAt.getTime() + ctx.leaseMs) }, tx));
    await recordAttempt(tx, ctx.provider, attemptStart, {
      outcome: saved ? "synced" : "lease_lost",
      endedAt,
      erpId: ref.documentId,
      requestStatus: "ok",
      responseSummary: `${foundByLookup ? "found existing" : op} ERP document ${ref.documentNumber ?? ref.documentId}${ref.total ? `, total ${ref.total}` : ""}${ref.status ? `, status ${ref.status}` : ""}`,
    });
    return { finished, saved };
  });
  log.info(
    { outcome: "ok", erpId: ref.documentId, foundByLookup, durationMs: endedAt.getTime() - startedAt.getTime() },
    `erp ${op} succeeded`,
  );
  if (!saved) return { next: "stop", outcome: "lease_lost" };
  if (row.waitingOn && (op === "create" || op === "update")) {
    // It waited on an item or a mapping and went through: the others waiting on it go too.
    await requeueAfterSuccess(prisma, row.shop, row.waitingOn, row.orderName, endedAt).catch((error: unknown) =>
      log.warn({ err: error }, "could not re-queue the orders waiting on the same item"),
    );
  }
  if (finished && finalPlan) {
    log.info({ outcome: finalPlan.state, operation: finalPlan.operation }, `order ${finalPlan.state}`);
    return { next: "stop", outcome: finalPlan.state };
  }
  return { next: "continue" };
}

async function fail(
  row: OrderSync,
  op: SyncOperation,
  failure: CallFailure,
  attempt: { attemptStart: AttemptStart; attemptNumber: number; firstAttemptAt: Date },
  ctx: DeliveryContext,
  log: Logger,
): Promise<StepResult> {
  const { prisma } = ctx;
  const now = ctx.now();
  if (failure.kind === "lease_lost") {
    await recordAttempt(prisma, ctx.provider, attempt.attemptStart, {
      outcome: "lease_lost",
      endedAt: now,
      requestStatus: failure.requestStatus,
      errorMessage: failure.technical,
    });
    log.warn({ outcome: "lease_lost" }, "stopped while sending; the order stays claimable after the lease expires");
    return { next: "stop", outcome: "lease_lost" };
  }
  const rules = ctx.config.rules.retry;
  let state: SyncState;
  let lastError = failure.userMessage;
  let nextAttemptAt = now;
  if (failure.kind === "permanent") {
    state = "needs_attention";
  } else if (retryWindowEnded(attempt.firstAttemptAt, now, rules) && (await erpDownSince(prisma, row.shop)) === null) {
    // While the shop's ERP is down (breaker open) nothing moves to failed: it is sent when the ERP answers.
    state = "failed";
    lastError = gaveUpMessage(failure.userMessage, attempt.attemptNumber, rules);
  } else {
    state = "retrying";
    nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempt.attemptNumber, rules, failure.retryAfterMs, ctx.random));
  }
  const common = {
    attemptCount: attempt.attemptNumber,
    lastError,
    problems: JSON.stringify(failure.kind === "permanent" ? [failure.userMessage] : []),
    waitingOn: failure.kind === "permanent" && failure.waitingOn?.length ? JSON.stringify(failure.waitingOn) : null,
    // A definite "no" means the create did not happen: no look-up needed next time.
    ...(op === "create" && !failure.outcomeUnknown ? { createMaybeSent: row.createMaybeSent } : {}),
    ...(op === "refund" && !failure.outcomeUnknown ? { refundMaybeSent: row.refundMaybeSent } : {}),
    leaseOwner: null,
    leaseToken: null,
    leaseExpiresAt: null,
  };
  const saved = await prisma.$transaction(async (tx) => {
    let saved = await writeRow(ctx, row, { ...common, state, nextAttemptAt }, tx);
    if (!saved) {
      // News arrived while sending (it may fix the problem): go again now.
      saved = await writeRow(ctx, { id: row.id }, { ...common, state: "pending", nextAttemptAt: now }, tx);
      if (saved) state = "pending";
    }
    await recordAttempt(tx, ctx.provider, attempt.attemptStart, {
      outcome: saved ? state : "lease_lost",
      endedAt: now,
      requestStatus: failure.requestStatus,
      responseSummary: failure.responseSummary,
      errorMessage: failure.userMessage,
    });
    return saved;
  });
  log.warn(
    {
      outcome: state,
      kind: failure.kind,
      requestStatus: failure.requestStatus,
      outcomeUnknown: failure.outcomeUnknown,
      retryAt: state === "retrying" ? nextAttemptAt.toISOString() : undefined,
      error: scrubText(failure.technical),
    },
    `erp ${op} failed`,
  );
  return { next: "stop", outcome: saved ? state : "lease_lost" };
}

/** Process a row this worker has just claimed (its lease token is ctx.leaseToken). */
export async function deliverClaimedOrder(
  rowId: string,
  ctx: DeliveryContext,
  /** The row as claimed (saves a read); re-read from the database after that. */
  claimedRow?: OrderSync,
): Promise<DeliveryResult> {
  const operations: SyncOperation[] = [];
  for (let step = 0; step < MAX_STEPS_PER_CLAIM; step++) {
    const row =
      step === 0 && claimedRow ? claimedRow : await ctx.prisma.orderSync.findUnique({ where: { id: rowId } });
    if (!row || row.leaseToken !== ctx.leaseToken) return { outcome: "lease_lost", operations };
    let plan: Plan;
    try {
      plan = await planNext(row, ctx);
    } catch (error) {
      // e.g. the SKU mapping lookup failed: our side, so retry later.
      ctx.logger.error({ err: error }, "planning failed");
      await writeRow(ctx, { id: row.id }, {
        state: "retrying",
        nextAttemptAt: new Date(ctx.now().getTime() + ctx.config.rules.retry.baseDelayMs),
        lastError: "The app could not prepare this order (a temporary problem on our side). It will try again.",
        leaseOwner: null,
        leaseToken: null,
        leaseExpiresAt: null,
      });
      return { outcome: "retrying", operations };
    }
    if (plan.kind === "finish") {
      if (await finish(row, plan, ctx)) {
        ctx.logger.info({ outcome: plan.state, operation: plan.operation }, `order ${plan.state}`);
        return { outcome: plan.state, operations };
      }
      continue; // news arrived (revision changed) or lease lost: re-read and decide again
    }
    const step_ = await send(row, plan, ctx);
    if (step_.next === "stop") {
      if (step_.outcome !== "lease_lost" && step_.outcome !== "retrying" && step_.outcome !== "needs_attention" && step_.outcome !== "failed") {
        operations.push(plan.operation);
      }
      return { outcome: step_.outcome, operations };
    }
    operations.push(plan.operation);
  }
  // Long chain of work: let other orders have a turn.
  await writeRow(ctx, { id: rowId }, { state: "pending", nextAttemptAt: ctx.now(), leaseOwner: null, leaseToken: null, leaseExpiresAt: null });
  return { outcome: "pending", operations };
}

export function newLeaseToken(): string {
  return randomUUID();
}
