-- CreateEnum
CREATE TYPE "ProblemCategory" AS ENUM ('LAND', 'FUNDING', 'APPROVAL', 'DEMOLITION', 'DESIGN', 'CONSTRUCTION', 'ENVIRONMENT', 'COORDINATION', 'OTHER');

-- CreateEnum
CREATE TYPE "ProblemLevel" AS ENUM ('COUNTY', 'CITY');

-- CreateEnum
CREATE TYPE "ProblemStatus" AS ENUM ('OPEN', 'RESOLVED');

-- CreateEnum
CREATE TYPE "CorrectionStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('RETURN_SUBMITTED', 'RETURN_RETURNED', 'RETURN_APPROVED', 'RETURN_OVERDUE', 'CORRECTION_REQUESTED', 'CORRECTION_DECIDED');

-- AlterTable
ALTER TABLE "MonthlyReturn" ADD COLUMN     "fundsNote" TEXT,
ADD COLUMN     "overrunNote" TEXT,
ADD COLUMN     "progressNote" TEXT,
ADD COLUMN     "returnReason" TEXT,
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedById" UUID,
ADD COLUMN     "submittedAt" TIMESTAMP(3),
ADD COLUMN     "submittedById" UUID;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "reviewDivisionCode" TEXT;

-- CreateTable
CREATE TABLE "ReturnMilestone" (
    "returnId" UUID NOT NULL,
    "kind" "MilestoneKind" NOT NULL,
    "actualDate" DATE NOT NULL,

    CONSTRAINT "ReturnMilestone_pkey" PRIMARY KEY ("returnId","kind")
);

-- CreateTable
CREATE TABLE "ReturnProblem" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "returnId" UUID NOT NULL,
    "category" "ProblemCategory" NOT NULL,
    "level" "ProblemLevel" NOT NULL,
    "description" TEXT NOT NULL,
    "status" "ProblemStatus" NOT NULL DEFAULT 'OPEN',
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnProblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "returnId" UUID,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "uploadedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CorrectionRequest" (
    "id" UUID NOT NULL,
    "returnId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "previous" JSONB NOT NULL,
    "proposed" JSONB NOT NULL,
    "status" "CorrectionStatus" NOT NULL DEFAULT 'PENDING',
    "requestedById" UUID NOT NULL,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CorrectionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "projectId" UUID,
    "period" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "link" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReturnProblem_projectId_status_idx" ON "ReturnProblem"("projectId", "status");

-- CreateIndex
CREATE INDEX "ReturnProblem_returnId_idx" ON "ReturnProblem"("returnId");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_storageKey_key" ON "Attachment"("storageKey");

-- CreateIndex
CREATE INDEX "Attachment_projectId_idx" ON "Attachment"("projectId");

-- CreateIndex
CREATE INDEX "Attachment_returnId_idx" ON "Attachment"("returnId");

-- CreateIndex
CREATE INDEX "CorrectionRequest_returnId_idx" ON "CorrectionRequest"("returnId");

-- CreateIndex
CREATE INDEX "CorrectionRequest_status_idx" ON "CorrectionRequest"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_organizationId_readAt_idx" ON "Notification"("organizationId", "readAt");

-- CreateIndex
CREATE INDEX "MonthlyReturn_status_period_idx" ON "MonthlyReturn"("status", "period");

-- CreateIndex
CREATE INDEX "Project_reviewDivisionCode_idx" ON "Project"("reviewDivisionCode");

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_reviewDivisionCode_fkey" FOREIGN KEY ("reviewDivisionCode") REFERENCES "AdminDivision"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReturn" ADD CONSTRAINT "MonthlyReturn_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReturn" ADD CONSTRAINT "MonthlyReturn_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnMilestone" ADD CONSTRAINT "ReturnMilestone_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "MonthlyReturn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnProblem" ADD CONSTRAINT "ReturnProblem_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnProblem" ADD CONSTRAINT "ReturnProblem_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "MonthlyReturn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "MonthlyReturn"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CorrectionRequest" ADD CONSTRAINT "CorrectionRequest_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "MonthlyReturn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CorrectionRequest" ADD CONSTRAINT "CorrectionRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CorrectionRequest" ADD CONSTRAINT "CorrectionRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the reviewing 发改 office is the project's county when it lies in exactly one
-- county-level unit, else the city (520300). lib/domain/returns.ts reviewDivisionOf() is the rule.
UPDATE "Project" p SET "reviewDivisionCode" = CASE WHEN l.n = 1 AND l.code <> '520300' THEN l.code ELSE '520300' END
  FROM (SELECT "projectId", count(*) AS n, min("divisionCode") AS code FROM "ProjectLocation" GROUP BY "projectId") l
 WHERE l."projectId" = p.id;
UPDATE "Project" SET "reviewDivisionCode" = '520300' WHERE "reviewDivisionCode" IS NULL AND EXISTS (SELECT 1 FROM "AdminDivision" WHERE code = '520300');
