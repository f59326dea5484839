-- Time has one source: the app writes every timestamp from its injected clock (see prisma/schema.prisma).
-- AlterTable
ALTER TABLE "Account" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "ActionItem" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Contact" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Deal" ALTER COLUMN "stageEnteredAt" DROP DEFAULT,
ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "DealEvent" ALTER COLUMN "at" DROP DEFAULT;

-- AlterTable
ALTER TABLE "DealMember" ALTER COLUMN "addedAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "DigestDelivery" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Member" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "RequestReceipt" ALTER COLUMN "at" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Workspace" ALTER COLUMN "createdAt" DROP DEFAULT;
