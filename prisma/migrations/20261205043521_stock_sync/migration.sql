-- CreateTable
CREATE TABLE "StockRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "heartbeatAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "StockLevelChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "erpQuantity" INTEGER NOT NULL,
    "unsyncedSold" INTEGER NOT NULL,
    "fromQuantity" INTEGER NOT NULL,
    "toQuantity" INTEGER NOT NULL,
    "runId" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "StockNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "items" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "connectorType" TEXT NOT NULL DEFAULT 'none',
    "connectorConfig" TEXT NOT NULL DEFAULT '{}',
    "connectorSecrets" TEXT,
    "externalIdPrefix" TEXT NOT NULL DEFAULT 'shopify-',
    "syncRules" TEXT NOT NULL DEFAULT '{}',
    "logRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "stockOwner" TEXT NOT NULL DEFAULT 'shopify',
    "stockIntervalMinutes" INTEGER NOT NULL DEFAULT 15,
    "stockLocationLinks" TEXT NOT NULL DEFAULT '[]',
    "uninstalledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("connectorConfig", "connectorSecrets", "connectorType", "createdAt", "externalIdPrefix", "logRetentionDays", "shop", "syncRules", "uninstalledAt", "updatedAt") SELECT "connectorConfig", "connectorSecrets", "connectorType", "createdAt", "externalIdPrefix", "logRetentionDays", "shop", "syncRules", "uninstalledAt", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

