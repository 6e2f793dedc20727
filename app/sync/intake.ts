// Intake: the only thing the webhook routes (and reconciliation / backfill /
// staff re-fetch) call. It records the event in the durable inbox and folds
// it into the order's ledger row in ONE transaction, and never talks to the
// ERP, so it fits comfortably in Shopify's 5-second webhook window.
import { createHash } from "node:crypto";
import { Prisma, type PrismaClient, type OrderSync } from "@prisma/client";
import type { CanonicalRefund } from "./canonical-order";
import { contentHashOf } from "./content-hash";
import { exactId, parseJsonExact } from "./exact-json";
import {
  compareVersions,
  dueOperation,
  mergeRefunds,
  stateAfterNews,
  type SnapshotVersion,
} from "./ledger-fold";
import { mapOrder, mapRefund } from "./order-mapper";
import { shopifyRestOrderSchema, shopifyRestRefundSchema, type ShopifyRestOrder } from "./shopify-rest-order";
import { jsonArray } from "./stored-json";

export interface WebhookIntakeInput {
  shop: string;
  /** "ORDERS_CREATE" or "orders/create" */
  topic: string;
  /** X-Shopify-Event-Id */
  eventId: string | null;
  webhookId: string | null;
  /** X-Shopify-Triggered-At */
  triggeredAt: string | null;
  apiVersion: string | null;
  /** Exact body text: 64-bit ids survive. */
  rawBody: string;
}

export interface IntakeResult {
  status: "recorded" | "duplicate" | "ignored";
  orderSyncId?: string;
  message?: string;
}

export const ORDER_TOPICS = ["orders/create", "orders/updated", "orders/cancelled"] as const;
export const REFUND_TOPIC = "refunds/create";

/** "ORDERS_CREATE" -> "orders/create"; "orders/create" stays. */
export function normalizeTopic(topic: string): string {
  const t = topic.trim();
  if (t.includes("/")) return t.toLowerCase();
  const lower = t.toLowerCase();
  const underscore = lower.indexOf("_");
  return underscore === -1 ? lower : `${lower.slice(0, underscore)}/${lower.slice(underscore + 1)}`;
}

const DEFAULT_EXTERNAL_ID_PREFIX = "shopify-";
// A refund can arrive before its order; give the order's own webhook a moment
// before the worker reports the order as missing.
const WAIT_FOR_ORDER_MS = 5 * 60_000;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** What one piece of news about an order looks like once parsed. */
type OrderNews =
  | {
      kind: "order";
      orderId: string;
      order: ShopifyRestOrder;
      /** Exact JSON text stored as the snapshot (ids as exact digits). */
      snapshotText: string;
      version: SnapshotVersion;
    }
  | { kind: "refund"; orderId: string; refund: CanonicalRefund };

type Parsed = { ok: true; news: OrderNews } | { ok: false; message: string };

function parseOrderBody(body: unknown, triggeredAt: number | null, snapshotText: string): Parsed {
  const parsed = shopifyRestOrderSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: "ignored: payload is not a Shopify order" };
  const order = parsed.data;
  const orderId = exactId(order.admin_graphql_api_id, order.id);
  if (!orderId) return { ok: false, message: "ignored: order has no usable id" };
  const updatedAt = parseTime(order.updated_at) ?? parseTime(order.created_at) ?? 0;
  return {
    ok: true,
    news: { kind: "order", orderId, order, snapshotText, version: { updatedAt, triggeredAt } },
  };
}

function parseRefundBody(body: unknown): Parsed {
  const parsed = shopifyRestRefundSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: "ignored: payload is not a Shopify refund" };
  const orderId = exactId(null, parsed.data.order_id);
  if (!orderId) return { ok: false, message: "ignored: refund has no usable order id" };
  return { ok: true, news: { kind: "refund", orderId, refund: mapRefund(parsed.data) } };
}

function searchTextOf(order: ShopifyRestOrder): string {
  const parts = [order.name ?? "", ...order.line_items.flatMap((l) => [l.sku ?? "", l.title ?? "", l.variant_title ?? ""])];
  return parts.filter(Boolean).join(" ").toLowerCase().slice(0, 4000);
}

type Tx = Prisma.TransactionClient;

async function externalIdPrefixFor(tx: Tx, shop: string): Promise<string> {
  const settings = await tx.shopSettings.findUnique({ where: { shop }, select: { externalIdPrefix: true } });
  return settings?.externalIdPrefix ?? DEFAULT_EXTERNAL_ID_PREFIX;
}

type Folded = { orderSyncId: string; result: string };

// How often a fold re-reads a row that a worker changed between our read and
// our write before giving up (the webhook then gets a 500 and Shopify retries).
const MAX_FOLD_TRIES = 5;

/**
 * Compare-and-set condition for writing a row folded from `row`: what the
 * decision depended on (revision, and whether and until when a worker holds
 * the row) must be unchanged. Without it, on PostgreSQL, intake could read the
 * row while a worker held it ("the worker will notice the new revision"), the
 * worker could then finish and release it, and intake would write the new
 * content without making the order due again: the update never reached the
 * ERP (found by the chaos run).
 */
function unchangedSince(row: OrderSync): Prisma.OrderSyncWhereInput {
  return {
    id: row.id,
    revision: row.revision,
    state: row.state,
    leaseToken: row.leaseToken,
    leaseExpiresAt: row.leaseExpiresAt,
    manualSkip: row.manualSkip,
  };
}

/** Fold the news into the ledger. Returns the row id and what folding decided. */
async function foldIntoLedger(tx: Tx, shop: string, news: OrderNews, correlationId: string, now: Date): Promise<Folded> {
  for (let tries = 1; ; tries++) {
    const row = await tx.orderSync.findUnique({ where: { shop_orderId: { shop, orderId: news.orderId } } });
    const folded =
      news.kind === "refund" ? await foldRefund(tx, shop, row, news, correlationId, now) : await foldOrder(tx, shop, row, news, correlationId, now);
    if (folded) return folded;
    // A worker changed the row after we read it: decide again on what it wrote.
    if (tries >= MAX_FOLD_TRIES) throw new Error(`order row ${row?.id} kept changing while intake folded news into it`);
  }
}

/** Null when the row changed since it was read (the caller reads it again). */
async function foldOrder(
  tx: Tx,
  shop: string,
  row: OrderSync | null,
  news: Extract<OrderNews, { kind: "order" }>,
  correlationId: string,
  now: Date,
): Promise<Folded | null> {
  const canonical = mapOrder(news.order, { shop, externalIdPrefix: "" });
  const contentHash = contentHashOf(canonical);
  const cancelled = canonical.cancelledAt !== null;
  const snapshotData = {
    orderGid: canonical.shopifyOrderGid,
    orderName: canonical.name,
    snapshot: news.snapshotText,
    sourceUpdatedAt: new Date(news.version.updatedAt),
    sourceTriggeredAt: news.version.triggeredAt === null ? null : new Date(news.version.triggeredAt),
    contentHash,
    cancelledInShopify: cancelled,
    shopifyTotal: canonical.totals.total || null,
    currency: canonical.currency || null,
    searchText: searchTextOf(news.order),
    correlationId,
  };

  if (!row) {
    const prefix = await externalIdPrefixFor(tx, shop);
    const created = await tx.orderSync.create({
      data: {
        shop,
        orderId: news.orderId,
        externalId: `${prefix}${news.orderId}`,
        state: "pending",
        operation: cancelled ? "cancel" : "create",
        nextAttemptAt: now,
        ...snapshotData,
      },
    });
    return { orderSyncId: created.id, result: "applied" };
  }

  const hasSnapshot = row.snapshot !== "";
  if (hasSnapshot) {
    const order = compareVersions(news.version, {
      updatedAt: row.sourceUpdatedAt.getTime(),
      triggeredAt: row.sourceTriggeredAt?.getTime() ?? null,
    });
    if (order < 0) return { orderSyncId: row.id, result: "stale" };
    if (order === 0 && row.contentHash === contentHash && row.cancelledInShopify === cancelled) {
      return { orderSyncId: row.id, result: "duplicate-version" };
    }
  }

  const refunds = mergeRefunds(jsonArray<CanonicalRefund>(row.refunds), canonical.refunds);
  const matters =
    !hasSnapshot ||
    row.contentHash !== contentHash ||
    row.cancelledInShopify !== cancelled ||
    refunds.length !== jsonArray(row.refunds).length;
  const facts = {
    hasSnapshot: true,
    cancelled,
    contentHash,
    syncedHash: row.syncedHash,
    erpDocumentId: row.erpDocumentId,
    createMaybeSent: row.createMaybeSent,
    cancelSynced: row.cancelSynced,
    refundIds: refunds.map((r) => r.refundId),
    refundsSynced: jsonArray<string>(row.refundsSynced),
  };
  const nextState = matters ? stateAfterNews(row, now) : null;
  const written = await tx.orderSync.updateMany({
    where: unchangedSince(row),
    data: {
      ...snapshotData,
      refunds: JSON.stringify(refunds),
      revision: { increment: 1 },
      ...(nextState ? requeued(nextState, dueOperation(facts), now) : {}),
    },
  });
  if (written.count === 0) return null;
  return { orderSyncId: row.id, result: matters ? "applied" : "applied: nothing the ERP cares about changed" };
}


/**
 * News that needs an ERP write puts the row back in the queue as a fresh
 * piece of work: due now, attempt count and problems reset. Only rows no
 * worker holds get here (stateAfterNews returns null for a live lease: that
 * worker sees the new revision itself), so clearing an expired claim is safe.
 */
function requeued(state: string, operation: string, now: Date) {
  return {
    state,
    operation,
    nextAttemptAt: now,
    attemptCount: 0,
    firstAttemptAt: null,
    problems: "[]",
    skipReason: null,
    leaseOwner: null,
    leaseToken: null,
    leaseExpiresAt: null,
  };
}

async function foldRefund(
  tx: Tx,
  shop: string,
  row: OrderSync | null,
  news: Extract<OrderNews, { kind: "refund" }>,
  correlationId: string,
  now: Date,
): Promise<Folded | null> {
  if (!row) {
    const prefix = await externalIdPrefixFor(tx, shop);
    const created = await tx.orderSync.create({
      data: {
        shop,
        orderId: news.orderId,
        orderGid: `gid://shopify/Order/${news.orderId}`,
        orderName: `order ${news.orderId}`,
        externalId: `${prefix}${news.orderId}`,
        state: "pending",
        operation: "refund",
        snapshot: "",
        sourceUpdatedAt: new Date(0),
        refunds: JSON.stringify([news.refund]),
        nextAttemptAt: new Date(now.getTime() + WAIT_FOR_ORDER_MS),
        correlationId,
      },
    });
    return { orderSyncId: created.id, result: "refund recorded; waiting for the order" };
  }
  const known = jsonArray<CanonicalRefund>(row.refunds);
  if (known.some((r) => r.refundId === news.refund.refundId)) {
    return { orderSyncId: row.id, result: "duplicate-version" };
  }
  const nextState = row.snapshot === "" ? null : stateAfterNews(row, now);
  const written = await tx.orderSync.updateMany({
    where: unchangedSince(row),
    data: {
      refunds: JSON.stringify([...known, news.refund]),
      revision: { increment: 1 },
      correlationId,
      ...(nextState ? requeued(nextState, "refund", now) : {}),
    },
  });
  if (written.count === 0) return null;
  return { orderSyncId: row.id, result: "applied" };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

interface InboxEntry {
  shop: string;
  eventId: string;
  webhookId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: string;
}

async function recordAndFold(
  prisma: PrismaClient,
  entry: InboxEntry,
  parsed: Parsed,
  now: Date,
): Promise<IntakeResult> {
  // A unique-index violation means another delivery won a race: the same
  // event (the inbox index), or another event about the same NEW order (the
  // ledger's (shop, orderId) index), e.g. orders/updated and orders/create
  // arriving together. Run the transaction again: it then finds the event
  // (a duplicate) or the order's row (and folds into it). Answering
  // "duplicate" straight away dropped the newer content of the second case.
  for (let tries = 1; ; tries++) {
    try {
      return await recordAndFoldOnce(prisma, entry, parsed, now);
    } catch (error) {
      if (!isUniqueViolation(error) || tries >= 3) throw error;
    }
  }
}

async function recordAndFoldOnce(prisma: PrismaClient, entry: InboxEntry, parsed: Parsed, now: Date): Promise<IntakeResult> {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.webhookEvent.findUnique({
      where: { shop_eventId: { shop: entry.shop, eventId: entry.eventId } },
      select: { id: true },
    });
    if (existing) return { status: "duplicate", message: "already received" } satisfies IntakeResult;
    if (!parsed.ok) {
      await tx.webhookEvent.create({
        data: { ...entry, processedAt: now, processResult: parsed.message },
      });
      return { status: "ignored", message: parsed.message } satisfies IntakeResult;
    }
    const folded = await foldIntoLedger(tx, entry.shop, parsed.news, entry.eventId, now);
    await tx.webhookEvent.create({
      data: { ...entry, orderId: parsed.news.orderId, processedAt: now, processResult: folded.result },
    });
    return { status: "recorded", orderSyncId: folded.orderSyncId, message: folded.result } satisfies IntakeResult;
  });
}

export async function recordWebhookEvent(prisma: PrismaClient, input: WebhookIntakeInput): Promise<IntakeResult> {
  const topic = normalizeTopic(input.topic);
  const isOrderTopic = (ORDER_TOPICS as readonly string[]).includes(topic);
  if (!isOrderTopic && topic !== REFUND_TOPIC) {
    return { status: "ignored", message: `ignored: topic ${topic} is not synced` };
  }
  const now = new Date();
  const triggeredAt = parseTime(input.triggeredAt);
  // Shopify always sends an event id; the fallbacks keep redeliveries
  // recognisable if a proxy strips headers.
  const eventId = input.eventId || input.webhookId || `body-sha256:${sha256(`${topic}\n${input.rawBody}`)}`;

  let body: unknown;
  let parsed: Parsed;
  try {
    body = parseJsonExact(input.rawBody);
    parsed = isOrderTopic ? parseOrderBody(body, triggeredAt, input.rawBody) : parseRefundBody(body);
  } catch {
    parsed = { ok: false, message: "ignored: body is not JSON" };
  }
  return recordAndFold(
    prisma,
    {
      shop: input.shop,
      eventId,
      webhookId: input.webhookId,
      topic,
      apiVersion: input.apiVersion,
      triggeredAt: triggeredAt === null ? null : new Date(triggeredAt),
      payload: input.rawBody,
    },
    parsed,
    now,
  );
}

export interface OrderSnapshotInput {
  shop: string;
  source: "reconciliation" | "backfill" | "refetch";
  /** Exact JSON text of a REST-shaped order (preferred: ids stay exact). */
  rawBody?: string;
  /** Or the parsed order; ids must already be strings or gids. */
  payload?: unknown;
  observedAt: Date | string;
}

/**
 * Reconciliation, backfill and staff re-fetch hand in REST-shaped orders
 * here: same fold, same staleness rules, deduplicated on (order, version,
 * content) so running reconciliation twice changes nothing.
 */
export async function recordOrderSnapshot(prisma: PrismaClient, input: OrderSnapshotInput): Promise<IntakeResult> {
  const observedAt = new Date(input.observedAt).getTime();
  let text: string;
  let body: unknown;
  try {
    if (input.rawBody !== undefined) {
      text = input.rawBody;
      body = parseJsonExact(text);
    } else {
      body = input.payload;
      text = JSON.stringify(body);
    }
  } catch {
    return { status: "ignored", message: "ignored: body is not JSON" };
  }
  const parsed = parseOrderBody(body, Number.isNaN(observedAt) ? null : observedAt, text);
  const topic = `snapshot/${input.source}`;
  const eventId = parsed.ok
    ? `${input.source}:${parsed.news.orderId}:${(parsed.news.kind === "order" && parsed.news.order.updated_at) || ""}:${sha256(text).slice(0, 16)}`
    : `${input.source}:invalid:${sha256(text).slice(0, 16)}`;
  return recordAndFold(
    prisma,
    {
      shop: input.shop,
      eventId,
      webhookId: null,
      topic,
      apiVersion: null,
      triggeredAt: Number.isNaN(observedAt) ? null : new Date(observedAt),
      payload: text,
    },
    parsed,
    new Date(),
  );
}
