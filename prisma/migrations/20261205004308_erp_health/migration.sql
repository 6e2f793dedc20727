-- CreateTable
CREATE TABLE "ErpHealth" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "failureStreak" INTEGER NOT NULL DEFAULT 0,
    "lastFailedOrderId" TEXT,
    "failingSince" DATETIME,
    "openedAt" DATETIME,
    "nextProbeAt" DATETIME,
    "probes" INTEGER NOT NULL DEFAULT 0,
    "probeToken" TEXT,
    "probeExpiresAt" DATETIME,
    "closedAt" DATETIME,
    "outageAlertedAt" DATETIME,
    "recoveryAlertedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

