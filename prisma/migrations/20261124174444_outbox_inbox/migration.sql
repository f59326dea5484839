-- AlterTable
ALTER TABLE "RequestReceipt" ADD COLUMN     "reply" JSONB;

-- CreateTable
CREATE TABLE "OutboxStep" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" UUID NOT NULL,
    "dealId" UUID,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAfter" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "doneAt" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "OutboxStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxEntry" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "lane" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "doneAt" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "InboxEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxStep_status_runAfter_idx" ON "OutboxStep"("status", "runAfter");

-- CreateIndex
CREATE INDEX "OutboxStep_dealId_status_idx" ON "OutboxStep"("dealId", "status");

-- CreateIndex
CREATE INDEX "InboxEntry_status_id_idx" ON "InboxEntry"("status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboxEntry_platform_key_key" ON "InboxEntry"("platform", "key");

-- Deals the previous, at-most-once room creation left without a room (a `pending:` claim, or none
-- after a failure) get a room step; attempts = 1 makes the step look for a room created before the
-- interruption and adopt it instead of creating a second one. Due at once, whatever the clock.
INSERT INTO "OutboxStep" ("workspaceId", "dealId", "kind", "payload", "attempts", "runAfter", "createdAt")
SELECT "workspaceId", "id", 'room', '{}'::jsonb, 1, TIMESTAMPTZ '1970-01-01 00:00:00+00', "createdAt"
FROM "Deal" WHERE "roomId" LIKE 'pending:%' OR ("roomId" IS NULL AND "status" = 'open');
UPDATE "Deal" SET "roomId" = NULL WHERE "roomId" LIKE 'pending:%';
