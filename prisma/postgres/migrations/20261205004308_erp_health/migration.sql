-- CreateTable
CREATE TABLE "ErpHealth" (
    "shop" TEXT NOT NULL,
    "failureStreak" INTEGER NOT NULL DEFAULT 0,
    "lastFailedOrderId" TEXT,
    "failingSince" TIMESTAMP(3),
    "openedAt" TIMESTAMP(3),
    "nextProbeAt" TIMESTAMP(3),
    "probes" INTEGER NOT NULL DEFAULT 0,
    "probeToken" TEXT,
    "probeExpiresAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "outageAlertedAt" TIMESTAMP(3),
    "recoveryAlertedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ErpHealth_pkey" PRIMARY KEY ("shop")
);

