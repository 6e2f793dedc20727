-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL,
    "connectorType" TEXT NOT NULL DEFAULT 'none',
    "connectorConfig" TEXT NOT NULL DEFAULT '{}',
    "connectorSecrets" TEXT,
    "externalIdPrefix" TEXT NOT NULL DEFAULT 'shopify-',
    "syncRules" TEXT NOT NULL DEFAULT '{}',
    "logRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "uninstalledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "webhookId" TEXT,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "orderId" TEXT,
    "payload" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3),
    "processResult" TEXT,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderSync" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "operation" TEXT NOT NULL DEFAULT 'create',
    "snapshot" TEXT NOT NULL,
    "sourceUpdatedAt" TIMESTAMP(3) NOT NULL,
    "sourceTriggeredAt" TIMESTAMP(3),
    "contentHash" TEXT NOT NULL DEFAULT '',
    "syncedHash" TEXT,
    "sentHash" TEXT,
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
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstAttemptAt" TIMESTAMP(3),
    "lastAttemptAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "lastError" TEXT,
    "problems" TEXT NOT NULL DEFAULT '[]',
    "skipReason" TEXT,
    "correlationId" TEXT,
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncAttempt" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderSyncId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "localId" TEXT NOT NULL,
    "erpId" TEXT,
    "direction" TEXT NOT NULL DEFAULT 'shopify_to_erp',
    "operation" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "requestStatus" TEXT,
    "responseSummary" TEXT,
    "errorMessage" TEXT,
    "attemptNumber" INTEGER NOT NULL,
    "idempotencyKey" TEXT,
    "outcome" TEXT NOT NULL,
    "correlationId" TEXT,

    CONSTRAINT "SyncAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderAction" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderSyncId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkuMapping" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "itemNumber" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SkuMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkuMappingChange" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "oldItemNumber" TEXT,
    "newItemNumber" TEXT,
    "version" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SkuMappingChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationState" (
    "shop" TEXT NOT NULL,
    "watermark" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReconciliationState_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "cursor" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "missingFound" INTEGER NOT NULL DEFAULT 0,
    "staleFound" INTEGER NOT NULL DEFAULT 0,
    "enqueued" INTEGER NOT NULL DEFAULT 0,
    "costSpent" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "error" TEXT,

    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillJob" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "rangeStart" TIMESTAMP(3) NOT NULL,
    "rangeEnd" TIMESTAMP(3) NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "cursor" TEXT,
    "bulkOperationId" TEXT,
    "bulkRootsDone" INTEGER NOT NULL DEFAULT 0,
    "estimatedTotal" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "enqueued" INTEGER NOT NULL DEFAULT 0,
    "costSpent" INTEGER NOT NULL DEFAULT 0,
    "requestedBy" TEXT NOT NULL,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BackfillJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertSettings" (
    "shop" TEXT NOT NULL,
    "email" TEXT,
    "webhookUrl" TEXT,
    "attentionThreshold" INTEGER NOT NULL DEFAULT 10,
    "noSyncMinutes" INTEGER,
    "lastAlertAt" TIMESTAMP(3),
    "lastAlertReason" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "workerId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "beatAt" TIMESTAMP(3) NOT NULL,
    "inFlight" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("workerId")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_orderId_idx" ON "WebhookEvent"("shop", "orderId");

-- CreateIndex
CREATE INDEX "WebhookEvent_processedAt_idx" ON "WebhookEvent"("processedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shop_eventId_key" ON "WebhookEvent"("shop", "eventId");

-- CreateIndex
CREATE INDEX "OrderSync_shop_state_updatedAt_idx" ON "OrderSync"("shop", "state", "updatedAt");

-- CreateIndex
CREATE INDEX "OrderSync_shop_updatedAt_idx" ON "OrderSync"("shop", "updatedAt");

-- CreateIndex
CREATE INDEX "OrderSync_state_nextAttemptAt_idx" ON "OrderSync"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OrderSync_state_leaseExpiresAt_idx" ON "OrderSync"("state", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "OrderSync_shop_orderName_idx" ON "OrderSync"("shop", "orderName");

-- CreateIndex
CREATE UNIQUE INDEX "OrderSync_shop_orderId_key" ON "OrderSync"("shop", "orderId");

-- CreateIndex
CREATE INDEX "SyncAttempt_shop_orderSyncId_startedAt_idx" ON "SyncAttempt"("shop", "orderSyncId", "startedAt");

-- CreateIndex
CREATE INDEX "SyncAttempt_startedAt_idx" ON "SyncAttempt"("startedAt");

-- CreateIndex
CREATE INDEX "OrderAction_shop_orderSyncId_idx" ON "OrderAction"("shop", "orderSyncId");

-- CreateIndex
CREATE UNIQUE INDEX "SkuMapping_shop_sku_key" ON "SkuMapping"("shop", "sku");

-- CreateIndex
CREATE INDEX "SkuMappingChange_shop_sku_createdAt_idx" ON "SkuMappingChange"("shop", "sku", "createdAt");

-- CreateIndex
CREATE INDEX "ReconciliationRun_shop_status_idx" ON "ReconciliationRun"("shop", "status");

-- CreateIndex
CREATE INDEX "ReconciliationRun_shop_startedAt_idx" ON "ReconciliationRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "BackfillJob_shop_status_idx" ON "BackfillJob"("shop", "status");

-- CreateIndex
CREATE INDEX "BackfillJob_shop_createdAt_idx" ON "BackfillJob"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "WorkerHeartbeat_beatAt_idx" ON "WorkerHeartbeat"("beatAt");

-- AddForeignKey
ALTER TABLE "SyncAttempt" ADD CONSTRAINT "SyncAttempt_orderSyncId_fkey" FOREIGN KEY ("orderSyncId") REFERENCES "OrderSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderAction" ADD CONSTRAINT "OrderAction_orderSyncId_fkey" FOREIGN KEY ("orderSyncId") REFERENCES "OrderSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

