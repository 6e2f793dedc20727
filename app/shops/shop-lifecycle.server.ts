// Install, uninstall and redaction of a whole shop. Plain functions over
// Prisma so webhook routes stay thin and tests can call them directly.
import type { PrismaClient } from "@prisma/client";

/** After (re)install: the shop's settings row exists and its work may run. */
export async function markShopInstalled(prisma: PrismaClient, shop: string): Promise<void> {
  await prisma.shopSettings.upsert({
    where: { shop },
    create: { shop },
    update: { uninstalledAt: null },
  });
}

/**
 * app/uninstalled: the access tokens are dead, so sessions go; the worker
 * stops sending for this shop (it skips shops with uninstalledAt). The ledger
 * and sync log stay until shop/redact (48 h later), so a quick reinstall loses
 * nothing. Idempotent: a second delivery finds nothing left to do.
 */
export async function markShopUninstalled(prisma: PrismaClient, shop: string, at = new Date()): Promise<void> {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shopSettings.updateMany({ where: { shop, uninstalledAt: null }, data: { uninstalledAt: at } }),
  ]);
}

/** shop/redact: Shopify asks us to erase everything we hold for the shop. */
export async function eraseShopData(prisma: PrismaClient, shop: string): Promise<void> {
  await prisma.$transaction([
    prisma.syncAttempt.deleteMany({ where: { shop } }),
    prisma.orderAction.deleteMany({ where: { shop } }),
    prisma.orderSync.deleteMany({ where: { shop } }),
    prisma.webhookEvent.deleteMany({ where: { shop } }),
    prisma.skuMappingChange.deleteMany({ where: { shop } }),
    prisma.skuMapping.deleteMany({ where: { shop } }),
    prisma.reconciliationRun.deleteMany({ where: { shop } }),
    prisma.reconciliationState.deleteMany({ where: { shop } }),
    prisma.backfillJob.deleteMany({ where: { shop } }),
    prisma.erpHealth.deleteMany({ where: { shop } }),
    // Order names and totals of the shop's days.
    prisma.completenessCertificate.deleteMany({ where: { shop } }),
    // Stock runs, levels and notices; shipments with order names and tracking.
    prisma.stockRun.deleteMany({ where: { shop } }),
    prisma.stockLevelChange.deleteMany({ where: { shop } }),
    prisma.stockNotice.deleteMany({ where: { shop } }),
    prisma.shipmentSync.deleteMany({ where: { shop } }),
    prisma.shipmentOrderLock.deleteMany({ where: { shop } }),
    prisma.shipmentCursor.deleteMany({ where: { shop } }),
    // Holds a staff e-mail address: personal data that must go too.
    prisma.alertSettings.deleteMany({ where: { shop } }),
    prisma.shopSettings.deleteMany({ where: { shop } }),
    prisma.session.deleteMany({ where: { shop } }),
  ]);
}
