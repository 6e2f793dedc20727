// Differences the optional ERP-side check found (app/reconciliation/erp-check.ts)
// become "needs attention" items staff can see and fix like any other: the
// message says what differs and what to do, and the row is set up so that
// "Retry" does the right ERP write:
//  - missing in the ERP: the document link is dropped and the create is
//    marked "maybe sent", so a retry looks the order up by its external id
//    first and creates it only if it really is not there;
//  - different total: the ERP's version no longer counts as in step, so a
//    retry sends Shopify's version as an update.
// A row a worker holds, or that changed since it was synced, is left alone
// (compare-and-set on state and lease): the next check will look again.
// The message quotes the order's name, so it is stored through storableColumns.
import type { PrismaClient } from "@prisma/client";
import { storableColumns } from "../../lib/storable-text";

export interface ErpDifferenceInput {
  shop: string;
  orderId: string;
  kind: "missing_in_erp" | "total_mismatch";
  erpTotal: string | null;
  /** What staff see, with what to do next. */
  message: string;
}

export const ERP_CHECK_ACTOR = "ERP check";

export async function recordErpDifference(prisma: PrismaClient, input: ErpDifferenceInput, now: Date = new Date()): Promise<boolean> {
  const row = await prisma.orderSync.findUnique({
    where: { shop_orderId: { shop: input.shop, orderId: input.orderId } },
    select: { id: true, state: true, leaseToken: true },
  });
  if (!row || row.state !== "synced" || row.leaseToken !== null) return false;
  const change =
    input.kind === "missing_in_erp"
      ? { erpDocumentId: null, erpDocumentNumber: null, erpDocumentUrl: null, erpTotal: null, syncedHash: null, createMaybeSent: true, operation: "create" }
      : { erpTotal: input.erpTotal, syncedHash: null, operation: "update" };
  return prisma.$transaction(async (tx) => {
    const updated = await tx.orderSync.updateMany({
      where: { id: row.id, state: "synced", leaseToken: null },
      data: storableColumns({ ...change, state: "needs_attention", problems: JSON.stringify([input.message]), lastError: input.message, attemptCount: 0, firstAttemptAt: null }),
    });
    if (updated.count === 0) return false;
    await tx.orderAction.create({
      data: storableColumns({ shop: input.shop, orderSyncId: row.id, action: `erp_check_${input.kind}`, actor: ERP_CHECK_ACTOR, note: input.message, createdAt: now }),
    });
    return true;
  });
}
