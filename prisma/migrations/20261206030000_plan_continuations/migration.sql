-- More than one plan (issue 20 item 2, docs/decisions/0028-more-than-one-plan.md): a project's key is unique
-- within its home plan, and PlanContinuation records a project that continues (续建) in a later plan.
-- zunyi_app gets the new table through the default privileges of migration audit_integrity.

-- DropIndex
DROP INDEX "Project_planKey_key";

-- CreateTable
CREATE TABLE "PlanContinuation" (
    "planId" TEXT NOT NULL,
    "projectId" UUID NOT NULL,
    "planKey" TEXT NOT NULL,
    "planName" TEXT NOT NULL,
    "columnId" UUID NOT NULL,
    "programmeId" UUID NOT NULL,
    "plannedInvestment" DECIMAL(18,4),
    "targetStage" "TargetStage" NOT NULL,
    "sourcePhrase" TEXT NOT NULL,
    "sourceLine" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanContinuation_pkey" PRIMARY KEY ("planId","projectId")
);

-- CreateIndex
CREATE INDEX "PlanContinuation_projectId_idx" ON "PlanContinuation"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "PlanContinuation_planId_planKey_key" ON "PlanContinuation"("planId", "planKey");

-- CreateIndex
CREATE UNIQUE INDEX "Project_planId_planKey_key" ON "Project"("planId", "planKey");

-- AddForeignKey
ALTER TABLE "PlanContinuation" ADD CONSTRAINT "PlanContinuation_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanContinuation" ADD CONSTRAINT "PlanContinuation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanContinuation" ADD CONSTRAINT "PlanContinuation_columnId_fkey" FOREIGN KEY ("columnId") REFERENCES "PlanColumn"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanContinuation" ADD CONSTRAINT "PlanContinuation_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

