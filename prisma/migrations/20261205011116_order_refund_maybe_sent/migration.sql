-- AlterTable
ALTER TABLE "OrderSync" ADD COLUMN "refundMaybeSent" TEXT;

