-- CreateTable
CREATE TABLE "RequestReceipt" (
    "workspaceId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RequestReceipt_pkey" PRIMARY KEY ("workspaceId","key")
);
