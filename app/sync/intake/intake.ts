// Intake: the only thing the webhook routes (and reconciliation / backfill /
// staff re-fetch) call. It records the event in the durable inbox and folds
// it into the order's ledger row in ONE transaction, and never talks to the
// ERP, so it fits comfortably in Shopify's 5-second webhook window.
//
// This file parses; plan.ts decides the fold; store.ts picks
// who writes it (group commit on SQLite, a Prisma transaction on PostgreSQL).
import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { storableJsonText } from "../../lib/storable-text";
import { exactId, parseJsonExact } from "../order/exact-json";
import type { InboxEntry, ParsedNews } from "./plan";
import type { IntakeResult } from "./result";
import { intakeStoreFor } from "./store";
import { shopifyRestOrderSchema, shopifyRestRefundSchema } from "../order/shopify-rest-order";
import { z } from "zod";

export type { IntakeResult } from "./result";

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
  /** The body already parsed with parseJsonExact (the route did, to answer 400 for bad JSON); parsed here otherwise. */
  body?: unknown;
  /**
   * Store nothing unless the shop has an offline session (it is installed).
   * Webhook routes set it: it is checked in the same transaction, so an
   * uninstall cannot slip in between.
   */
  onlyInstalledShops?: boolean;
}

export const ORDER_TOPICS = ["orders/create", "orders/updated", "orders/cancelled"] as const;
export const REFUND_TOPIC = "refunds/create";
export const EDIT_TOPIC = "orders/edited";

/** "ORDERS_CREATE" -> "orders/create"; "orders/create" stays. */
export function normalizeTopic(topic: string): string {
  const t = topic.trim();
  if (t.includes("/")) return t.toLowerCase();
  const lower = t.toLowerCase();
  const underscore = lower.indexOf("_");
  return underscore === -1 ? lower : `${lower.slice(0, underscore)}/${lower.slice(underscore + 1)}`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

function parseOrderBody(body: unknown, triggeredAt: number | null, snapshotText: string): ParsedNews {
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

const orderEditSchema = z.object({
  order_edit: z
    .object({
      order_id: z.union([z.string(), z.number()]).nullish(),
      committed_at: z.string().nullish(),
      created_at: z.string().nullish(),
    })
    .passthrough(),
});

function parseEditBody(body: unknown): ParsedNews {
  const parsed = orderEditSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: "ignored: payload is not a Shopify order edit" };
  const edit = parsed.data.order_edit;
  const orderId = exactId(null, edit.order_id);
  const editedAt = parseTime(edit.committed_at) ?? parseTime(edit.created_at);
  if (!orderId || editedAt === null) return { ok: false, message: "ignored: order edit without order id or time" };
  return { ok: true, news: { kind: "edit", orderId, editedAt: new Date(editedAt) } };
}

function parseRefundBody(body: unknown): ParsedNews {
  const parsed = shopifyRestRefundSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: "ignored: payload is not a Shopify refund" };
  const orderId = exactId(null, parsed.data.order_id);
  if (!orderId) return { ok: false, message: "ignored: refund has no usable order id" };
  if (!exactId(parsed.data.admin_graphql_api_id, parsed.data.id)) return { ok: false, message: "ignored: refund has no usable id" };
  return { ok: true, news: { kind: "refund", orderId, refund: parsed.data } };
}

function recordAndFold(prisma: PrismaClient, entry: InboxEntry, parsed: ParsedNews, now: Date, onlyInstalled = false): Promise<IntakeResult> {
  return intakeStoreFor(prisma).record(entry, parsed, now, onlyInstalled);
}

export async function recordWebhookEvent(prisma: PrismaClient, input: WebhookIntakeInput): Promise<IntakeResult> {
  const topic = normalizeTopic(input.topic);
  const isOrderTopic = (ORDER_TOPICS as readonly string[]).includes(topic);
  if (!isOrderTopic && topic !== REFUND_TOPIC && topic !== EDIT_TOPIC) {
    return { status: "ignored", message: `ignored: topic ${topic} is not synced` };
  }
  const now = new Date();
  const triggeredAt = parseTime(input.triggeredAt);
  // Shopify always sends an event id; the fallbacks keep redeliveries
  // recognisable if a proxy strips headers.
  const eventId = input.eventId || input.webhookId || `body-sha256:${sha256(`${topic}\n${input.rawBody}`)}`;

  // The received text is what is stored (inbox payload, ledger snapshot);
  // storableJsonText changes nothing in a JSON body decoded from UTF-8.
  const storedText = storableJsonText(input.rawBody);
  let parsed: ParsedNews;
  try {
    const body = input.body !== undefined ? input.body : parseJsonExact(input.rawBody);
    parsed = isOrderTopic
      ? parseOrderBody(body, triggeredAt, storedText)
      : topic === EDIT_TOPIC
        ? parseEditBody(body)
        : parseRefundBody(body);
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
      payload: storedText,
    },
    parsed,
    now,
    input.onlyInstalledShops,
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
      body = parseJsonExact(input.rawBody);
      text = storableJsonText(input.rawBody);
    } else {
      body = input.payload;
      // JSON.stringify already escapes U+0000 and lone surrogates.
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
