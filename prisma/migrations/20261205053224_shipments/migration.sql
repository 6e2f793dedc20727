-- CreateTable
CREATE TABLE "ShipmentSync" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "documentNumber" TEXT,
    "externalId" TEXT NOT NULL,
    "orderId" TEXT,
    "orderName" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL DEFAULT 'pending',
    "shipment" TEXT NOT NULL,
    "trackingNumbers" TEXT NOT NULL DEFAULT '',
    "shippedAt" DATETIME,
    "maybeSent" BOOLEAN NOT NULL DEFAULT false,
    "sentAt" DATETIME,
    "sentPlan" TEXT,
    "fulfillmentId" TEXT,
    "fulfillmentName" TEXT,
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstAttemptAt" DATETIME,
    "lastAttemptAt" DATETIME,
    "syncedAt" DATETIME,
    "leaseToken" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShipmentOrderLock" (
    "shop" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "leaseToken" TEXT,
    "leaseExpiresAt" DATETIME,

    PRIMARY KEY ("shop", "externalId")
);

-- CreateTable
CREATE TABLE "ShipmentCursor" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "since" TEXT,
    "lastReadAt" DATETIME,
    "lastRunAt" DATETIME,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL
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
    "shipmentsOwner" TEXT NOT NULL DEFAULT 'shopify',
    "shipmentsNotifyCustomer" BOOLEAN NOT NULL DEFAULT true,
    "uninstalledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("connectorConfig", "connectorSecrets", "connectorType", "createdAt", "externalIdPrefix", "logRetentionDays", "shop", "stockIntervalMinutes", "stockLocationLinks", "stockOwner", "syncRules", "uninstalledAt", "updatedAt") SELECT "connectorConfig", "connectorSecrets", "connectorType", "createdAt", "externalIdPrefix", "logRetentionDays", "shop", "stockIntervalMinutes", "stockLocationLinks", "stockOwner", "syncRules", "uninstalledAt", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ShipmentSync_state_nextAttemptAt_shop_idx" ON "ShipmentSync"("state", "nextAttemptAt", "shop");

-- CreateIndex
CREATE INDEX "ShipmentSync_shop_state_updatedAt_idx" ON "ShipmentSync"("shop", "state", "updatedAt");

-- CreateIndex
CREATE INDEX "ShipmentSync_shop_orderId_idx" ON "ShipmentSync"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "ShipmentSync_shop_shipmentId_key" ON "ShipmentSync"("shop", "shipmentId");

