-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Workspace" (
    "id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "defaultCurrency" TEXT NOT NULL DEFAULT 'USD',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "digestTime" TEXT NOT NULL DEFAULT '08:30',
    "digestWeekends" BOOLEAN NOT NULL DEFAULT false,
    "dealSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "role" TEXT NOT NULL DEFAULT 'rep',
    "managerId" UUID,
    "timezone" TEXT,
    "locale" TEXT,
    "digestTime" TEXT,
    "nudgeOptOut" BOOLEAN NOT NULL DEFAULT false,
    "profileAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "industry" TEXT,
    "region" TEXT,
    "address" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "title" TEXT,
    "role" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deal" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "accountId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "process" TEXT NOT NULL DEFAULT 'solution',
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "amount" DECIMAL(16,2),
    "currency" TEXT NOT NULL,
    "closeDate" DATE,
    "competitors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "nextStep" TEXT,
    "lastContactAt" TIMESTAMPTZ(3),
    "nextContactOn" DATE,
    "ownerId" UUID NOT NULL,
    "roomId" TEXT,
    "cardRef" TEXT,
    "roomArchivedAt" TIMESTAMPTZ(3),
    "lostReason" TEXT,
    "actionSeq" INTEGER NOT NULL DEFAULT 0,
    "stageEnteredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),
    "createKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Deal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealMember" (
    "dealId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealMember_pkey" PRIMARY KEY ("dealId","memberId")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" UUID NOT NULL,
    "dealId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "assigneeId" UUID NOT NULL,
    "dueOn" DATE,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" UUID,
    "closedById" UUID,
    "closedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealEvent" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" UUID NOT NULL,
    "dealId" UUID NOT NULL,
    "actorId" UUID,
    "type" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSONB NOT NULL,

    CONSTRAINT "DealEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_platform_externalId_key" ON "Workspace"("platform", "externalId");

-- CreateIndex
CREATE INDEX "Member_workspaceId_name_idx" ON "Member"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "Member_managerId_idx" ON "Member"("managerId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_workspaceId_externalId_key" ON "Member"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_workspaceId_nameKey_key" ON "Account"("workspaceId", "nameKey");

-- CreateIndex
CREATE INDEX "Contact_workspaceId_idx" ON "Contact"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_accountId_nameKey_key" ON "Contact"("accountId", "nameKey");

-- CreateIndex
CREATE INDEX "Deal_workspaceId_status_stage_idx" ON "Deal"("workspaceId", "status", "stage");

-- CreateIndex
CREATE INDEX "Deal_ownerId_status_idx" ON "Deal"("ownerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_workspaceId_number_key" ON "Deal"("workspaceId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_workspaceId_roomId_key" ON "Deal"("workspaceId", "roomId");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_workspaceId_createKey_key" ON "Deal"("workspaceId", "createKey");

-- CreateIndex
CREATE INDEX "DealMember_memberId_idx" ON "DealMember"("memberId");

-- CreateIndex
CREATE INDEX "ActionItem_assigneeId_status_idx" ON "ActionItem"("assigneeId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ActionItem_dealId_number_key" ON "ActionItem"("dealId", "number");

-- CreateIndex
CREATE INDEX "DealEvent_workspaceId_at_idx" ON "DealEvent"("workspaceId", "at");

-- CreateIndex
CREATE INDEX "DealEvent_dealId_at_idx" ON "DealEvent"("dealId", "at");

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealMember" ADD CONSTRAINT "DealMember_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealEvent" ADD CONSTRAINT "DealEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealEvent" ADD CONSTRAINT "DealEvent_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The deal event log is append-only: funnel analytics and digests are computed from it, so a
-- change once recorded is never rewritten or removed (not by the app, not by a stray script).
CREATE FUNCTION "DealEvent_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'DealEvent is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "DealEvent_no_update_delete"
  BEFORE UPDATE OR DELETE ON "DealEvent"
  FOR EACH ROW EXECUTE FUNCTION "DealEvent_append_only"();
