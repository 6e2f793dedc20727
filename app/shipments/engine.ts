// The shipment engine: ERP shipments in, exactly one Shopify fulfilment per
// shipment out (or a needs-attention item with its reason). I/O around the
// pure planner (plan.ts):
// - recordShipments: a shipment is stored once per (shop, ERP shipment id);
//   repeats are recognised and change nothing once it is on its way;
// - processDueShipments: claims due rows with a lease (a dead worker's row is
//   taken over when the lease runs out), reads the order from Shopify, plans,
//   writes `maybeSent` BEFORE fulfillmentCreate, sends it once, and records
//   the answer. fulfillmentCreate has no idempotency key, so a row whose
//   earlier send may have happened looks for its fulfilment (tracking numbers
//   and quantities, created since the send, not claimed by another shipment)
//   before sending anything again.
// Shipments of one order are worked one at a time (the remaining quantities
// one plan reads are the ones the next plan must see).
import { randomUUID } from "node:crypto";
import type { PrismaClient, ShipmentSync } from "@prisma/client";
import { backoffDelayMs } from "../lib/backoff";
import { isAdminApiError } from "../shopify-admin/errors";
import { gidFor } from "../lib/shopify-gid";
import { findOwnFulfillment, planFulfillment, plannedQuantities, trackingNumbersOf } from "./plan";
import type { FulfillmentPort } from "./shopify-fulfillments";
import type { ShipmentState } from "./states";
import type { ErpShipment } from "./types";

export interface RecordResult {
  added: number;
  duplicates: number;
  updated: number;
}

/** Store shipments read or pushed from the ERP. Idempotent by ERP shipment id. */
export async function recordShipments(prisma: PrismaClient, shop: string, shipments: ErpShipment[], now: Date = new Date()): Promise<RecordResult> {
  const result: RecordResult = { added: 0, duplicates: 0, updated: 0 };
  for (const s of shipments) {
    const json = JSON.stringify(s);
    const existing = await prisma.shipmentSync.findUnique({ where: { shop_shipmentId: { shop, shipmentId: s.shipmentId } } });
    if (existing) {
      // The ERP corrected a shipment that has not reached Shopify: take the
      // correction. Once sending or synced, the first version stands.
      if (existing.shipment !== json && !existing.maybeSent && (existing.state === "pending" || existing.state === "retrying" || existing.state === "needs_attention")) {
        const n = await prisma.shipmentSync.updateMany({
          where: { id: existing.id, state: existing.state, maybeSent: false },
          data: { ...shipmentColumns(s), shipment: json, state: "pending", nextAttemptAt: new Date(0), lastError: null },
        });
        result.updated += n.count;
        if (n.count) continue;
      }
      result.duplicates++;
      continue;
    }
    try {
      await prisma.shipmentSync.create({ data: { shop, shipmentId: s.shipmentId, shipment: json, state: "pending", nextAttemptAt: new Date(0), receivedAt: now, ...shipmentColumns(s) } });
      result.added++;
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") result.duplicates++; // a concurrent copy won the insert
      else throw error;
    }
  }
  return result;
}

function shipmentColumns(s: ErpShipment) {
  const shippedAt = s.shippedAt ? new Date(s.shippedAt) : null;
  return {
    externalId: s.externalId,
    documentNumber: s.documentNumber ?? null,
    trackingNumbers: trackingNumbersOf(s).join(", "),
    shippedAt: shippedAt && !Number.isNaN(shippedAt.getTime()) ? shippedAt : null,
  };
}

export interface ShipmentEngineOptions {
  prisma: PrismaClient;
  shop: string;
  port: FulfillmentPort;
  notifyCustomer: boolean;
  now?: () => Date;
  /** How long a claimed row is ours (a worker that dies loses it after this). */
  leaseMs?: number;
  /** How long a shipment waits for its order to reach the app before staff are told. */
  orderWaitMs?: number;
  /** How long transient failures are retried before staff are told. */
  retryWindowMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  limit?: number;
  random?: () => number;
  /** Test hook: called between steps so a test can "kill the worker" there. */
  checkpoint?: (step: "before-send" | "after-send") => Promise<void> | void;
}

export interface ProcessSummary {
  claimed: number;
  synced: number;
  needsAttention: number;
  retrying: number;
}

const DEFAULTS = {
  leaseMs: 5 * 60_000,
  orderWaitMs: 24 * 3_600_000,
  retryWindowMs: 72 * 3_600_000,
  baseDelayMs: 60_000,
  maxDelayMs: 30 * 60_000,
  limit: 50,
};

interface SentPlan {
  trackingNumbers: string[];
  quantities: Record<string, number>;
}

type Outcome =
  | { state: "synced"; fulfillmentId: string; fulfillmentName: string | null }
  | { state: "retrying"; message: string; maybeSent?: boolean; soon?: boolean }
  | { state: "needs_attention"; message: string; maybeSent?: boolean };

export async function processDueShipments(options: ShipmentEngineOptions): Promise<ProcessSummary> {
  const o = { ...DEFAULTS, ...options };
  const now = o.now ?? (() => new Date());
  const summary: ProcessSummary = { claimed: 0, synced: 0, needsAttention: 0, retrying: 0 };
  const at = now();
  const due = await o.prisma.shipmentSync.findMany({
    where: { shop: o.shop, ...claimableWhere(at) },
    orderBy: [{ nextAttemptAt: "asc" }, { receivedAt: "asc" }],
    take: o.limit,
    select: { id: true },
  });
  for (const { id } of due) {
    const row = await claim(o.prisma, id, now(), o.leaseMs);
    if (!row) continue;
    summary.claimed++;
    const outcome = await work(row, o, now);
    if (!outcome) continue; // lease lost or handed back
    const saved = await settle(o.prisma, row, outcome, now(), o);
    if (!saved) continue;
    if (outcome.state === "synced") summary.synced++;
    else if (outcome.state === "needs_attention") summary.needsAttention++;
    else summary.retrying++;
  }
  return summary;
}

function claimableWhere(at: Date) {
  return {
    OR: [
      { state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: at } },
      { state: "sending", leaseExpiresAt: { lt: at } },
    ],
  };
}

async function claim(prisma: PrismaClient, id: string, at: Date, leaseMs: number): Promise<(ShipmentSync & { leaseToken: string }) | null> {
  const token = randomUUID();
  const n = await prisma.shipmentSync.updateMany({
    where: { id, ...claimableWhere(at) },
    data: { state: "sending", leaseToken: token, leaseExpiresAt: new Date(at.getTime() + leaseMs), attemptCount: { increment: 1 }, lastAttemptAt: at },
  });
  if (n.count !== 1) return null;
  const row = await prisma.shipmentSync.findUnique({ where: { id } });
  if (!row || row.leaseToken !== token) return null;
  if (!row.firstAttemptAt) await prisma.shipmentSync.updateMany({ where: { id, leaseToken: token }, data: { firstAttemptAt: at } });
  return { ...row, leaseToken: token };
}

async function work(row: ShipmentSync & { leaseToken: string }, o: typeof DEFAULTS & ShipmentEngineOptions, now: () => Date): Promise<Outcome | null> {
  const shipment = JSON.parse(row.shipment) as ErpShipment;
  const label = row.documentNumber ?? row.shipmentId;
  const order = await o.prisma.orderSync.findUnique({
    where: { shop_orderId: { shop: o.shop, orderId: orderIdOf(row, shipment) ?? "" } },
    select: { orderId: true, orderGid: true, orderName: true, externalId: true },
  });
  const known = order && order.orderGid && order.externalId === row.externalId ? order : null;
  if (!known) {
    const waited = now().getTime() - row.receivedAt.getTime();
    if (waited < o.orderWaitMs) {
      return { state: "retrying", message: `The ERP shipped order reference ${row.externalId} before the app had recorded that order; the app will try again shortly.` };
    }
    return {
      state: "needs_attention",
      message: `The ERP's shipment ${label} is for order reference ${row.externalId}, which this app never sent to the ERP. Check the shipment's sales order in the ERP; if it is not a Shopify order, mark this shipment resolved.`,
    };
  }
  if (row.orderId !== known.orderId) {
    await o.prisma.shipmentSync.updateMany({ where: { id: row.id, leaseToken: row.leaseToken }, data: { orderId: known.orderId, orderName: known.orderName } });
  }
  // One shipment of an order at a time, across workers (ShipmentOrderLock).
  if (!(await lockOrder(o.prisma, o.shop, row.externalId, row.leaseToken, now(), o.leaseMs))) {
    return { state: "retrying", message: "Another shipment of this order is being sent to Shopify; this one follows it.", maybeSent: row.maybeSent, soon: true };
  }
  try {
    return await workLocked(row, shipment, known, label, o, now);
  } finally {
    await unlockOrder(o.prisma, o.shop, row.externalId, row.leaseToken);
  }
}

async function workLocked(
  row: ShipmentSync & { leaseToken: string },
  shipment: ErpShipment,
  known: { orderId: string; orderGid: string; orderName: string },
  label: string,
  o: typeof DEFAULTS & ShipmentEngineOptions,
  now: () => Date,
): Promise<Outcome | null> {
  try {
    const view = await o.port.readOrder(known.orderGid || gidFor("Order", known.orderId));
    if (!view) {
      return { state: "needs_attention", message: `Shopify no longer shows order ${known.orderName}, so the ERP's shipment ${label} could not be recorded there. If the order was deleted, mark this shipment resolved.`, maybeSent: row.maybeSent };
    }
    if (row.maybeSent && row.sentPlan) {
      const claimed = new Set(
        (
          await o.prisma.shipmentSync.findMany({
            where: { shop: o.shop, externalId: row.externalId, id: { not: row.id }, fulfillmentId: { not: null } },
            select: { fulfillmentId: true },
          })
        ).map((r) => r.fulfillmentId!),
      );
      const found = findOwnFulfillment(view, JSON.parse(row.sentPlan) as SentPlan, { sentAt: row.sentAt, claimed });
      if (found) return { state: "synced", fulfillmentId: found, fulfillmentName: view.fulfillments.find((f) => f.id === found)?.name ?? null };
    }
    const plan = planFulfillment(shipment, view, { notifyCustomer: o.notifyCustomer });
    if (plan.kind === "problem") return { state: "needs_attention", message: plan.message, maybeSent: false };
    const sentPlan: SentPlan = { trackingNumbers: plan.input.trackingInfo?.numbers ?? [], quantities: plannedQuantities(plan.input, view) };
    const marked = await o.prisma.shipmentSync.updateMany({
      where: { id: row.id, leaseToken: row.leaseToken },
      data: { maybeSent: true, sentAt: row.sentAt ?? now(), sentPlan: JSON.stringify(sentPlan) },
    });
    if (marked.count !== 1) return null;
    await stopAt(o, "before-send");
    const result = await o.port.createFulfillment(plan.input);
    await stopAt(o, "after-send");
    if (result.ok) return { state: "synced", fulfillmentId: result.fulfillmentId, fulfillmentName: result.fulfillmentName };
    return {
      state: "needs_attention",
      message: `Shopify refused to record the ERP's shipment ${label} on order ${view.orderName}: ${result.userErrors.join("; ")}. Fix it in Shopify, then choose "Retry" here.`,
      maybeSent: false,
    };
  } catch (error) {
    if (error instanceof WorkerStopped) throw error.cause;
    if (isAdminApiError(error)) {
      if (error.kind === "permanent") return { state: "needs_attention", message: error.userMessage, maybeSent: row.maybeSent || error.outcomeUnknown };
      return { state: "retrying", message: error.userMessage, maybeSent: error.outcomeUnknown ? true : undefined };
    }
    // Anything else (a bug, a dropped connection mid-call): assume it may have run.
    return { state: "retrying", message: "Something went wrong while recording the shipment in Shopify; the app will check and try again.", maybeSent: true };
  }
}

/** Take the order's shipment lock (a row per shop and external id), or false while another worker holds it. */
async function lockOrder(prisma: PrismaClient, shop: string, externalId: string, token: string, at: Date, leaseMs: number): Promise<boolean> {
  const data = { leaseToken: token, leaseExpiresAt: new Date(at.getTime() + leaseMs) };
  const taken = await prisma.shipmentOrderLock.updateMany({
    where: { shop, externalId, OR: [{ leaseToken: null }, { leaseExpiresAt: { lt: at } }, { leaseToken: token }] },
    data,
  });
  if (taken.count === 1) return true;
  try {
    await prisma.shipmentOrderLock.create({ data: { shop, externalId, ...data } });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return false; // exists and is held
    throw error;
  }
}

async function unlockOrder(prisma: PrismaClient, shop: string, externalId: string, token: string): Promise<void> {
  await prisma.shipmentOrderLock.updateMany({ where: { shop, externalId, leaseToken: token }, data: { leaseToken: null, leaseExpiresAt: null } });
}

/** A test's checkpoint stopped the worker: the failure escapes like a killed process, leaving the row as it is. */
class WorkerStopped extends Error {}

async function stopAt(o: ShipmentEngineOptions, step: "before-send" | "after-send"): Promise<void> {
  try {
    await o.checkpoint?.(step);
  } catch (error) {
    throw new WorkerStopped("stopped", { cause: error });
  }
}

/** The Shopify order id of a shipment: its external id without the shop's prefix (digits at the end). */
function orderIdOf(row: ShipmentSync, shipment: ErpShipment): string | null {
  if (row.orderId) return row.orderId;
  return /(\d+)$/.exec(shipment.externalId.trim())?.[1] ?? null;
}

async function settle(
  prisma: PrismaClient,
  row: ShipmentSync & { leaseToken: string },
  outcome: Outcome,
  at: Date,
  o: typeof DEFAULTS & ShipmentEngineOptions,
): Promise<boolean> {
  const where = { id: row.id, leaseToken: row.leaseToken };
  const release = { leaseToken: null, leaseExpiresAt: null };
  if (outcome.state === "synced") {
    const n = await prisma.shipmentSync.updateMany({
      where,
      data: { ...release, state: "synced" satisfies ShipmentState, fulfillmentId: outcome.fulfillmentId, fulfillmentName: outcome.fulfillmentName, maybeSent: false, syncedAt: at, lastError: null },
    });
    return n.count === 1;
  }
  const maybeSent = outcome.maybeSent ?? row.maybeSent;
  if (outcome.state === "retrying") {
    const first = row.firstAttemptAt ?? at;
    if (at.getTime() - first.getTime() >= o.retryWindowMs) {
      const hours = Math.round(o.retryWindowMs / 3_600_000);
      const n = await prisma.shipmentSync.updateMany({
        where,
        data: { ...release, state: "needs_attention", maybeSent, lastError: `${outcome.message} The app kept trying for ${hours} hours (${row.attemptCount} attempts) and has stopped; choose "Retry" once the cause is fixed.` },
      });
      return n.count === 1;
    }
    // Waiting behind a sibling shipment is no failure: try again shortly.
    const delay = outcome.soon ? 15_000 : backoffDelayMs(row.attemptCount, { baseMs: o.baseDelayMs, maxMs: o.maxDelayMs }, o.random ?? Math.random);
    const n = await prisma.shipmentSync.updateMany({
      where,
      data: { ...release, state: "retrying", maybeSent, lastError: outcome.message, nextAttemptAt: new Date(at.getTime() + delay) },
    });
    return n.count === 1;
  }
  const n = await prisma.shipmentSync.updateMany({ where, data: { ...release, state: "needs_attention", maybeSent, lastError: outcome.message } });
  return n.count === 1;
}

/** Staff chose "Retry" on a shipment that needs attention: it is sent (or looked up) again now. */
export async function retryShipment(prisma: PrismaClient, shop: string, id: string): Promise<boolean> {
  const n = await prisma.shipmentSync.updateMany({
    where: { id, shop, state: { in: ["needs_attention", "retrying"] } },
    data: { state: "retrying", nextAttemptAt: new Date(0), firstAttemptAt: null },
  });
  return n.count === 1;
}
