// Shared helpers for the hostile-input tests: count every table so each test
// can prove that nothing already stored was lost or changed (routes are called
// with test/support/route-calls.ts).
import type { PrismaClient } from "@prisma/client";

export interface StoredCounts {
  webhookEvents: number;
  orders: number;
  attempts: number;
  actions: number;
  settings: number;
  sessions: number;
}

export async function storedCounts(prisma: PrismaClient): Promise<StoredCounts> {
  const [webhookEvents, orders, attempts, actions, settings, sessions] = await Promise.all([
    prisma.webhookEvent.count(),
    prisma.orderSync.count(),
    prisma.syncAttempt.count(),
    prisma.orderAction.count(),
    prisma.shopSettings.count(),
    prisma.session.count(),
  ]);
  return { webhookEvents, orders, attempts, actions, settings, sessions };
}

/** Ledger rows as comparable plain data (what "nothing changed" means). */
export async function ledgerFingerprint(prisma: PrismaClient): Promise<string> {
  const rows = await prisma.orderSync.findMany({ orderBy: { id: "asc" } });
  return JSON.stringify(rows);
}
