-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "stockIntervalMinutes" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "stockLocationLinks" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "stockOwner" TEXT NOT NULL DEFAULT 'shopify';

-- CreateTable
CREATE TABLE "StockRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "openFor" TEXT,
    "full" BOOLEAN NOT NULL DEFAULT true,
    "itemsRead" INTEGER NOT NULL DEFAULT 0,
    "compared" INTEGER NOT NULL DEFAULT 0,
    "differences" INTEGER NOT NULL DEFAULT 0,
    "written" INTEGER NOT NULL DEFAULT 0,
    "conflicts" INTEGER NOT NULL DEFAULT 0,
    "problemCount" INTEGER NOT NULL DEFAULT 0,
    "problems" TEXT NOT NULL DEFAULT '[]',
    "mutationCalls" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "leaseOwner" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "StockRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockLevelChange" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "erpQuantity" INTEGER NOT NULL,
    "unsyncedSold" INTEGER NOT NULL,
    "fromQuantity" INTEGER NOT NULL,
    "toQuantity" INTEGER NOT NULL,
    "runId" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StockLevelChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockNotice" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "items" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "StockNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StockRun_openFor_key" ON "StockRun"("openFor");

-- CreateIndex
CREATE INDEX "StockRun_shop_status_idx" ON "StockRun"("shop", "status");

-- CreateIndex
CREATE INDEX "StockRun_shop_createdAt_idx" ON "StockRun"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "StockLevelChange_shop_sku_idx" ON "StockLevelChange"("shop", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "StockLevelChange_shop_inventoryItemId_locationId_key" ON "StockLevelChange"("shop", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "StockNotice_shop_processedAt_idx" ON "StockNotice"("shop", "processedAt");

-- CreateIndex
CREATE INDEX "StockNotice_shop_issuedAt_idx" ON "StockNotice"("shop", "issuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "StockNotice_shop_noticeId_key" ON "StockNotice"("shop", "noticeId");

