// Ledger rows for the page tests: only the columns the pages read, with
// defaults for the rest, so each test says what matters to it.
import type { PrismaClient, Prisma } from "@prisma/client";

let counter = 0;

export type LedgerSeed = Partial<Prisma.OrderSyncUncheckedCreateInput> & { shop: string };

export function ledgerRow(seed: LedgerSeed): Prisma.OrderSyncUncheckedCreateInput {
  counter += 1;
  const orderId = seed.orderId ?? String(5_000_000_000 + counter);
  return {
    orderId,
    orderGid: `gid://shopify/Order/${orderId}`,
    orderName: `#${1000 + counter}`,
    externalId: `shopify-${orderId}`,
    snapshot: "{}",
    sourceUpdatedAt: new Date(),
    ...seed,
  };
}

export async function seedLedger(prisma: PrismaClient, seeds: LedgerSeed[]) {
  const rows = [];
  for (const seed of seeds) rows.push(await prisma.orderSync.create({ data: ledgerRow(seed) }));
  return rows;
}
