// "Retry the 12 orders waiting on OLD-TEE-M": the orders that stopped because
// of one SKU (no ERP item for it, or its item number unknown in the ERP), so
// that mapping the SKU, on the order page or in Settings, fixes them all in
// one click. An order waits on a SKU when it needs a person (needs attention
// or failed), carries that SKU (searchText, lowercased by intake) and its
// problem names the SKU or an item number the SKU was ever mapped to (the
// mapping's history). Everything is scoped to the shop.
import type { PrismaClient } from "@prisma/client";
import { retryNow } from "../sync/delivery/replay";
import { storableText } from "../lib/storable-text";
import { mentions } from "./order-lines.server";

/** More than this many candidates is read in one go at most (a page of fixes, not a migration). */
const CANDIDATE_LIMIT = 5_000;

export async function ordersWaitingOnSku(prisma: PrismaClient, shop: string, rawSku: string): Promise<{ id: string; orderName: string }[]> {
  const sku = storableText(rawSku.trim());
  if (!sku) return [];
  const [candidates, changes] = await Promise.all([
    prisma.orderSync.findMany({
      where: { shop, state: { in: ["needs_attention", "failed"] }, searchText: { contains: sku.toLowerCase() } },
      select: { id: true, orderName: true, problems: true, lastError: true },
      take: CANDIDATE_LIMIT,
    }),
    prisma.skuMappingChange.findMany({ where: { shop, sku }, select: { oldItemNumber: true, newItemNumber: true } }),
  ]);
  const tokens = new Set([sku, ...changes.flatMap((c) => [c.oldItemNumber, c.newItemNumber]).filter((t): t is string => Boolean(t))]);
  return candidates
    .filter((row) => {
      const text = `${row.problems}\n${row.lastError ?? ""}`;
      return [...tokens].some((t) => mentions(text, t));
    })
    .map(({ id, orderName }) => ({ id, orderName }));
}

export async function countOrdersWaitingOnSku(prisma: PrismaClient, shop: string, sku: string): Promise<number> {
  return (await ordersWaitingOnSku(prisma, shop, sku)).length;
}

/** Puts every order waiting on this SKU back in the queue (one "Retry" each in its history). */
export async function retryOrdersWaitingOnSku(
  prisma: PrismaClient,
  shop: string,
  sku: string,
  by: { actor: string; now?: Date } = { actor: "staff" },
): Promise<{ retried: number; busy: number; message: string }> {
  const waiting = await ordersWaitingOnSku(prisma, shop, sku);
  if (waiting.length === 0) return { retried: 0, busy: 0, message: `No order is waiting on ${sku} any more.` };
  const result = await retryNow(prisma, { shop, ids: waiting.map((w) => w.id), actor: by.actor, note: `Retry of the orders waiting on ${sku}`, now: by.now });
  const n = result.done.length;
  const parts = [`${n} order${n === 1 ? "" : "s"} waiting on ${sku} ${n === 1 ? "is" : "are"} back in the queue; the app sends ${n === 1 ? "it" : "them"} within a few seconds.`];
  if (result.busy.length > 0) parts.push(`${result.busy.length} ${result.busy.length === 1 ? "is" : "are"} being sent right now.`);
  return { retried: n, busy: result.busy.length, message: parts.join(" ") };
}
