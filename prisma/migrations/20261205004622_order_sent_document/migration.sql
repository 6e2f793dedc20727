-- AlterTable
ALTER TABLE "OrderSync" ADD COLUMN "sentDocument" TEXT;

