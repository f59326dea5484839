-- CreateTable
CREATE TABLE "DigestDelivery" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "recipientId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "until" TIMESTAMPTZ(3),
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DigestDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DigestDelivery_status_createdAt_idx" ON "DigestDelivery"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DigestDelivery_recipientId_kind_period_key" ON "DigestDelivery"("recipientId", "kind", "period");
