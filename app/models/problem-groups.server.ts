// "14 orders: Tryton has no item for … (item number OLD-TEE-M)": the orders
// that need a person, grouped by the reason they stopped, so staff fix one
// cause once and retry the whole group with one click. The reason is the
// order's message without its order-specific start ("Cannot sync order
// #1042: "); an item or SKU named in it makes the group's fix "map this SKU".
import type { PrismaClient } from "@prisma/client";
import { firstProblem } from "./order-log.server";

/** At most this many orders needing attention are grouped (newest first). */
export const GROUPED_ROWS_LIMIT = 5_000;
export const MAX_GROUPS = 10;

export interface ProblemGroup {
  /** Stable key of the reason (the normalised text), used to act on the group. */
  key: string;
  reason: string;
  count: number;
  /** The SKU or item number the reason names, when it is about an item. */
  sku: string | null;
  /** An order of the group, where the fix can be made in place. */
  exampleId: string;
  exampleName: string;
}

/** The reason without the order it was said about, so equal causes group together. */
export function normaliseReason(message: string): string {
  return message
    .replace(/^Cannot (sync|send|update|cancel|refund) order [^:]{1,60}:\s*/i, "")
    .replace(/\border #?\d{1,20}\b/gi, "the order")
    .trim();
}

export function skuOfReason(reason: string): string | null {
  const m = /item number ([^)\s,;]+)\)/.exec(reason) ?? /SKU "([^"]+)"/.exec(reason);
  return m ? m[1] : null;
}

async function attentionRows(prisma: PrismaClient, shop: string) {
  const rows = await prisma.orderSync.findMany({
    where: { shop, state: { in: ["needs_attention", "failed"] } },
    select: { id: true, orderName: true, lastError: true, problems: true },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: GROUPED_ROWS_LIMIT,
  });
  return rows.map((r) => ({ id: r.id, orderName: r.orderName, reason: normaliseReason(firstProblem(r.problems) ?? r.lastError ?? "No message recorded") }));
}

export async function problemGroups(prisma: PrismaClient, shop: string): Promise<ProblemGroup[]> {
  const groups = new Map<string, ProblemGroup>();
  for (const row of await attentionRows(prisma, shop)) {
    const group = groups.get(row.reason);
    if (group) group.count += 1;
    else groups.set(row.reason, { key: row.reason, reason: row.reason, count: 1, sku: skuOfReason(row.reason), exampleId: row.id, exampleName: row.orderName });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, MAX_GROUPS);
}

/** The ids of one group (for "Retry these N orders"), read again so the action acts on what is true now. */
export async function problemGroupIds(prisma: PrismaClient, shop: string, key: string): Promise<string[]> {
  return (await attentionRows(prisma, shop)).filter((r) => r.reason === key).map((r) => r.id);
}
