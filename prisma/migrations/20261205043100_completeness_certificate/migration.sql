-- CreateTable
CREATE TABLE "CompletenessCertificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "windowEnd" DATETIME NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "erpReadBack" BOOLEAN NOT NULL DEFAULT false,
    "shopifyReported" INTEGER,
    "shopifyCount" INTEGER NOT NULL DEFAULT 0,
    "ledgerCount" INTEGER NOT NULL DEFAULT 0,
    "skippedCount" INTEGER NOT NULL DEFAULT 0,
    "expectedInErp" INTEGER NOT NULL DEFAULT 0,
    "erpCount" INTEGER NOT NULL DEFAULT 0,
    "erpDocuments" INTEGER NOT NULL DEFAULT 0,
    "missingInErp" INTEGER NOT NULL DEFAULT 0,
    "duplicated" INTEGER NOT NULL DEFAULT 0,
    "totalMismatch" INTEGER NOT NULL DEFAULT 0,
    "missingInLedger" INTEGER NOT NULL DEFAULT 0,
    "exceptions" TEXT NOT NULL DEFAULT '[]',
    "message" TEXT,
    "alertedAt" DATETIME,
    "requestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "CompletenessCertificate_shop_windowStart_idx" ON "CompletenessCertificate"("shop", "windowStart");

-- CreateIndex
CREATE INDEX "CompletenessCertificate_status_requestedAt_idx" ON "CompletenessCertificate"("status", "requestedAt");

