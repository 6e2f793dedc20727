-- DropIndex
DROP INDEX "OrderSync_state_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "OrderSync_state_nextAttemptAt_shop_idx" ON "OrderSync"("state", "nextAttemptAt", "shop");

-- CreateIndex
CREATE INDEX "OrderSync_shop_state_nextAttemptAt_idx" ON "OrderSync"("shop", "state", "nextAttemptAt");

