-- AlterTable
ALTER TABLE "OrderSync" ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedBy" TEXT;

