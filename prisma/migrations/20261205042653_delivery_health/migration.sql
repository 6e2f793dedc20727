-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OrderSync" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "operation" TEXT NOT NULL DEFAULT 'create',
    "snapshot" TEXT NOT NULL,
    "sourceUpdatedAt" DATETIME NOT NULL,
    "sourceTriggeredAt" DATETIME,
    "contentHash" TEXT NOT NULL DEFAULT '',
    "syncedHash" TEXT,
    "sentHash" TEXT,
    "sentDocument" TEXT,
    "editedAt" DATETIME,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "refunds" TEXT NOT NULL DEFAULT '[]',
    "refundsSynced" TEXT NOT NULL DEFAULT '[]',
    "cancelledInShopify" BOOLEAN NOT NULL DEFAULT false,
    "cancelSynced" BOOLEAN NOT NULL DEFAULT false,
    "manualSkip" BOOLEAN NOT NULL DEFAULT false,
    "erpDocumentId" TEXT,
    "erpDocumentNumber" TEXT,
    "erpDocumentUrl" TEXT,
    "erpTotal" TEXT,
    "shopifyTotal" TEXT,
    "currency" TEXT,
    "createMaybeSent" BOOLEAN NOT NULL DEFAULT false,
    "refundMaybeSent" TEXT,
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstAttemptAt" DATETIME,
    "lastAttemptAt" DATETIME,
    "syncedAt" DATETIME,
    "leaseOwner" TEXT,
    "leaseToken" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "problems" TEXT NOT NULL DEFAULT '[]',
    "skipReason" TEXT,
    "correlationId" TEXT,
    "searchText" TEXT NOT NULL DEFAULT '',
    "firstSeenBy" TEXT NOT NULL DEFAULT '',
    "shopifyCreatedAt" DATETIME,
    "erpCommittedAt" DATETIME,
    "waitingOn" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_OrderSync" ("attemptCount", "cancelSynced", "cancelledInShopify", "contentHash", "correlationId", "createMaybeSent", "createdAt", "currency", "editedAt", "erpDocumentId", "erpDocumentNumber", "erpDocumentUrl", "erpTotal", "externalId", "firstAttemptAt", "id", "lastAttemptAt", "lastError", "leaseExpiresAt", "leaseOwner", "leaseToken", "manualSkip", "nextAttemptAt", "operation", "orderGid", "orderId", "orderName", "problems", "refundMaybeSent", "refunds", "refundsSynced", "revision", "searchText", "sentDocument", "sentHash", "shop", "shopifyTotal", "skipReason", "snapshot", "sourceTriggeredAt", "sourceUpdatedAt", "state", "syncedAt", "syncedHash", "updatedAt") SELECT "attemptCount", "cancelSynced", "cancelledInShopify", "contentHash", "correlationId", "createMaybeSent", "createdAt", "currency", "editedAt", "erpDocumentId", "erpDocumentNumber", "erpDocumentUrl", "erpTotal", "externalId", "firstAttemptAt", "id", "lastAttemptAt", "lastError", "leaseExpiresAt", "leaseOwner", "leaseToken", "manualSkip", "nextAttemptAt", "operation", "orderGid", "orderId", "orderName", "problems", "refundMaybeSent", "refunds", "refundsSynced", "revision", "searchText", "sentDocument", "sentHash", "shop", "shopifyTotal", "skipReason", "snapshot", "sourceTriggeredAt", "sourceUpdatedAt", "state", "syncedAt", "syncedHash", "updatedAt" FROM "OrderSync";
DROP TABLE "OrderSync";
ALTER TABLE "new_OrderSync" RENAME TO "OrderSync";
CREATE INDEX "OrderSync_shop_state_updatedAt_idx" ON "OrderSync"("shop", "state", "updatedAt");
CREATE INDEX "OrderSync_shop_updatedAt_idx" ON "OrderSync"("shop", "updatedAt");
CREATE INDEX "OrderSync_state_nextAttemptAt_shop_idx" ON "OrderSync"("state", "nextAttemptAt", "shop");
CREATE INDEX "OrderSync_shop_state_nextAttemptAt_idx" ON "OrderSync"("shop", "state", "nextAttemptAt");
CREATE INDEX "OrderSync_state_leaseExpiresAt_idx" ON "OrderSync"("state", "leaseExpiresAt");
CREATE INDEX "OrderSync_shop_orderName_idx" ON "OrderSync"("shop", "orderName");
CREATE INDEX "OrderSync_shop_editedAt_idx" ON "OrderSync"("shop", "editedAt");
CREATE INDEX "OrderSync_shop_shopifyCreatedAt_idx" ON "OrderSync"("shop", "shopifyCreatedAt");
CREATE INDEX "OrderSync_shop_erpCommittedAt_idx" ON "OrderSync"("shop", "erpCommittedAt");
CREATE UNIQUE INDEX "OrderSync_shop_orderId_key" ON "OrderSync"("shop", "orderId");
CREATE TABLE "new_AlertSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT,
    "webhookUrl" TEXT,
    "attentionThreshold" INTEGER NOT NULL DEFAULT 10,
    "noSyncMinutes" INTEGER,
    "lastAlertAt" DATETIME,
    "lastAlertReason" TEXT,
    "lostWebhookPercent" INTEGER,
    "lagMinutes" INTEGER,
    "backlogMinutes" INTEGER,
    "healthRaised" TEXT NOT NULL DEFAULT '',
    "healthAlertedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_AlertSettings" ("attentionThreshold", "email", "lastAlertAt", "lastAlertReason", "noSyncMinutes", "shop", "updatedAt", "webhookUrl") SELECT "attentionThreshold", "email", "lastAlertAt", "lastAlertReason", "noSyncMinutes", "shop", "updatedAt", "webhookUrl" FROM "AlertSettings";
DROP TABLE "AlertSettings";
ALTER TABLE "new_AlertSettings" RENAME TO "AlertSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

