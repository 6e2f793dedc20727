-- AlterTable
ALTER TABLE "OrderSync" ADD COLUMN     "erpCommittedAt" TIMESTAMP(3),
ADD COLUMN     "firstSeenBy" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "shopifyCreatedAt" TIMESTAMP(3),
ADD COLUMN     "waitingOn" TEXT;

-- AlterTable
ALTER TABLE "AlertSettings" ADD COLUMN     "backlogMinutes" INTEGER,
ADD COLUMN     "healthAlertedAt" TIMESTAMP(3),
ADD COLUMN     "healthRaised" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lagMinutes" INTEGER,
ADD COLUMN     "lostWebhookPercent" INTEGER;

-- CreateIndex
CREATE INDEX "OrderSync_shop_shopifyCreatedAt_idx" ON "OrderSync"("shop", "shopifyCreatedAt");

-- CreateIndex
CREATE INDEX "OrderSync_shop_erpCommittedAt_idx" ON "OrderSync"("shop", "erpCommittedAt");

