-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "processVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ProcessFile" (
    "workspaceId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "text" TEXT,
    "source" TEXT NOT NULL DEFAULT '',
    "loadedById" UUID NOT NULL,
    "loadedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ProcessFile_pkey" PRIMARY KEY ("workspaceId","version")
);

-- AddForeignKey
ALTER TABLE "ProcessFile" ADD CONSTRAINT "ProcessFile_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
