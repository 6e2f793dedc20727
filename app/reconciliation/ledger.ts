// Reads the order ledger (OrderSync) for reconciliation. Read-only: all
// writes go through the engine's intake.
import type { PrismaClient } from "@prisma/client";
import type { LedgerEntry, LedgerReader } from "./ports";

const SELECT = {
  orderId: true,
  orderName: true,
  externalId: true,
  state: true,
  sourceUpdatedAt: true,
  shopifyTotal: true,
  erpTotal: true,
  syncedAt: true,
} as const;

// SQLite caps bound parameters; a reconciliation page is 250 ids at most anyway.
const CHUNK = 250;

export function prismaLedgerReader(prisma: PrismaClient): LedgerReader {
  return {
    async entries(shop, orderIds) {
      const found = new Map<string, LedgerEntry>();
      for (let i = 0; i < orderIds.length; i += CHUNK) {
        const rows = await prisma.orderSync.findMany({
          where: { shop, orderId: { in: orderIds.slice(i, i + CHUNK) } },
          select: SELECT,
        });
        for (const row of rows) found.set(row.orderId, row);
      }
      return found;
    },
    async editedNotArrived(shop, limit) {
      // editedAt is cleared when the edited order arrives, so the rows left are few.
      const rows = await prisma.orderSync.findMany({
        where: { shop, editedAt: { not: null } },
        select: { orderGid: true, editedAt: true, sourceUpdatedAt: true },
        orderBy: { editedAt: "asc" },
        take: limit,
      });
      return rows.filter((r) => r.orderGid && r.editedAt! > r.sourceUpdatedAt).map((r) => ({ orderGid: r.orderGid }));
    },
    async syncedBetween(shop, from, to, limit) {
      return prisma.orderSync.findMany({
        where: { shop, state: "synced", syncedAt: { gte: from, lt: to } },
        orderBy: { syncedAt: "asc" },
        take: limit,
        select: SELECT,
      });
    },
  };
}
