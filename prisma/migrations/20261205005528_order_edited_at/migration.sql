-- AlterTable
ALTER TABLE "OrderSync" ADD COLUMN "editedAt" DATETIME;

-- CreateIndex
CREATE INDEX "OrderSync_shop_editedAt_idx" ON "OrderSync"("shop", "editedAt");

