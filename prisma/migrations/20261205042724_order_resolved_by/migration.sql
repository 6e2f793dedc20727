-- AlterTable
ALTER TABLE "OrderSync" ADD COLUMN "resolvedAt" DATETIME;
ALTER TABLE "OrderSync" ADD COLUMN "resolvedBy" TEXT;

