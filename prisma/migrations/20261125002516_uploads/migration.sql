-- CreateTable
CREATE TABLE "Upload" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Upload_workspaceId_memberId_kind_receivedAt_idx" ON "Upload"("workspaceId", "memberId", "kind", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Upload_workspaceId_key_key" ON "Upload"("workspaceId", "key");
