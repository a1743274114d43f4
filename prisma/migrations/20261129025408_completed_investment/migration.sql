-- DropIndex
DROP INDEX "Project_plannedInvestment_idx";

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "completedInvestment" DECIMAL(18,4) NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Project_planKey_id_idx" ON "Project"("planKey", "id");

-- CreateIndex
CREATE INDEX "Project_plannedInvestment_id_idx" ON "Project"("plannedInvestment", "id");

-- Backfill from the approved returns already recorded.
UPDATE "Project" p
   SET "completedInvestment" = s.total
  FROM (SELECT "projectId", sum("completedInvestment") AS total FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY "projectId") s
 WHERE s."projectId" = p.id;
