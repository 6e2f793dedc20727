// Problems that fix themselves: an order in needs_attention records what it
// waits for (OrderSync.waitingOn: "sku:ABC" = a SKU mapping, "item:1001" = an
// item the ERP did not have). When that changes (a mapping saved, by form or
// CSV; the ERP accepting another order with that item) the orders waiting on
// it go back in the queue by themselves, with a line in their history, and
// leave needs_attention, so the alerts counting them close.
import type { PrismaClient } from "@prisma/client";

/** Rows re-queued per statement (an IN list); a large backlog is done in several. */
const CHUNK = 500;

export const AUTO_RETRY_ACTOR = "app (automatic)";

export function skuToken(sku: string): string {
  return `sku:${sku.trim()}`;
}

export function parseWaitingOn(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Puts the shop's orders waiting on these tokens back in the queue, due now,
 * and notes why in each order's history. Returns how many were re-queued.
 * The waiting rows are read page by page (needs_attention with a waitingOn,
 * by id) and matched here, so a CSV import of 20,000 SKUs is not a 20,000-way
 * OR. The state in the UPDATE's WHERE makes it safe against a worker or staff
 * acting on the same row meanwhile: a row that left needs_attention is left alone.
 */
export async function requeueWaitingOn(
  prisma: PrismaClient,
  shop: string,
  tokens: string[],
  note: string,
  now = new Date(),
): Promise<number> {
  const wanted = new Set(tokens.filter(Boolean));
  if (wanted.size === 0) return 0;
  let requeued = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await prisma.orderSync.findMany({
      where: { shop, state: "needs_attention", waitingOn: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, waitingOn: true },
      orderBy: { id: "asc" },
      take: CHUNK,
    });
    if (rows.length === 0) return requeued;
    after = rows[rows.length - 1].id;
    const ids = rows.filter((r) => parseWaitingOn(r.waitingOn).some((t) => wanted.has(t))).map((r) => r.id);
    if (ids.length > 0) {
      requeued += await prisma.$transaction(async (tx) => {
        const written = await tx.orderSync.updateMany({
          where: { shop, id: { in: ids }, state: "needs_attention" },
          data: {
            state: "pending",
            nextAttemptAt: now,
            attemptCount: 0,
            firstAttemptAt: null,
            problems: "[]",
            lastError: null,
            waitingOn: null,
            leaseOwner: null,
            leaseToken: null,
            leaseExpiresAt: null,
          },
        });
        await tx.orderAction.createMany({
          data: ids.map((orderSyncId) => ({ shop, orderSyncId, action: "auto_retry", actor: AUTO_RETRY_ACTOR, note })),
        });
        return written.count;
      });
    }
    if (rows.length < CHUNK) return requeued;
  }
}

/** After a SKU mapping was created or changed: the orders waiting on those SKUs retry. */
export function requeueForSkus(prisma: PrismaClient, shop: string, skus: string[], now = new Date()): Promise<number> {
  const list = skus.length === 1 ? `"${skus[0]}"` : `${skus.length} SKUs`;
  return requeueWaitingOn(prisma, shop, skus.map(skuToken), `Retried automatically: a SKU mapping for ${list} was saved.`, now);
}

/**
 * After the ERP accepted an order that had waited on an item (or a SKU): the
 * item exists now, so every other order waiting on it retries too.
 */
export function requeueAfterSuccess(prisma: PrismaClient, shop: string, waitingOn: string | null, orderName: string, now = new Date()): Promise<number> {
  const tokens = parseWaitingOn(waitingOn);
  return requeueWaitingOn(prisma, shop, tokens, `Retried automatically: order ${orderName}, which waited on the same item, reached the ERP.`, now);
}

/** Minutes between two automatic probes of an item the ERP did not have. */
export const ITEM_PROBE_INTERVAL_MS = 30 * 60_000;

/**
 * Whether the ERP has an item now is found by sending again the ONE order
 * that has waited longest for it, at most every ITEM_PROBE_INTERVAL_MS; when
 * it goes through, requeueAfterSuccess brings the others. Returns the orders
 * re-queued as probes.
 */
export async function probeWaitingItems(prisma: PrismaClient, shop: string, now = new Date()): Promise<number> {
  const rows = await prisma.orderSync.findMany({
    where: { shop, state: "needs_attention", waitingOn: { contains: '"item:' } },
    select: { id: true, waitingOn: true, lastAttemptAt: true },
    orderBy: { lastAttemptAt: "asc" },
    take: 5_000,
  });
  // Per item: when an order waiting on it was last sent (any of them), and the one sent longest ago.
  const lastTried = new Map<string, number>();
  const oldest = new Map<string, string>();
  for (const row of rows) {
    for (const token of parseWaitingOn(row.waitingOn).filter((t) => t.startsWith("item:"))) {
      lastTried.set(token, Math.max(lastTried.get(token) ?? 0, row.lastAttemptAt?.getTime() ?? 0));
      if (!oldest.has(token)) oldest.set(token, row.id);
    }
  }
  const picks = [
    ...new Set([...oldest].filter(([token]) => now.getTime() - lastTried.get(token)! >= ITEM_PROBE_INTERVAL_MS).map(([, id]) => id)),
  ];
  if (picks.length === 0) return 0;
  const written = await prisma.orderSync.updateMany({
    where: { shop, id: { in: picks }, state: "needs_attention" },
    // waitingOn stays: the probe's success tells the others.
    data: { state: "pending", nextAttemptAt: now, attemptCount: 0, firstAttemptAt: null },
  });
  return written.count;
}
