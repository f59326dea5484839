-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "language" TEXT;
