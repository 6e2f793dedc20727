-- AlterTable
ALTER TABLE "OrderSync" ADD COLUMN     "editedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "OrderSync_shop_editedAt_idx" ON "OrderSync"("shop", "editedAt");

