-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "shipmentsNotifyCustomer" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "shipmentsOwner" TEXT NOT NULL DEFAULT 'shopify';

-- CreateTable
CREATE TABLE "ShipmentSync" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "documentNumber" TEXT,
    "externalId" TEXT NOT NULL,
    "orderId" TEXT,
    "orderName" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL DEFAULT 'pending',
    "shipment" TEXT NOT NULL,
    "trackingNumbers" TEXT NOT NULL DEFAULT '',
    "shippedAt" TIMESTAMP(3),
    "maybeSent" BOOLEAN NOT NULL DEFAULT false,
    "sentAt" TIMESTAMP(3),
    "sentPlan" TEXT,
    "fulfillmentId" TEXT,
    "fulfillmentName" TEXT,
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstAttemptAt" TIMESTAMP(3),
    "lastAttemptAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3),
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "lastError" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShipmentSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShipmentOrderLock" (
    "shop" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),

    CONSTRAINT "ShipmentOrderLock_pkey" PRIMARY KEY ("shop","externalId")
);

-- CreateTable
CREATE TABLE "ShipmentCursor" (
    "shop" TEXT NOT NULL,
    "since" TEXT,
    "lastReadAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShipmentCursor_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "ShipmentSync_state_nextAttemptAt_shop_idx" ON "ShipmentSync"("state", "nextAttemptAt", "shop");

-- CreateIndex
CREATE INDEX "ShipmentSync_shop_state_updatedAt_idx" ON "ShipmentSync"("shop", "state", "updatedAt");

-- CreateIndex
CREATE INDEX "ShipmentSync_shop_orderId_idx" ON "ShipmentSync"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "ShipmentSync_shop_shipmentId_key" ON "ShipmentSync"("shop", "shipmentId");

