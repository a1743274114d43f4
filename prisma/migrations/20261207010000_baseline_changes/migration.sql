-- Baselines that cannot drift quietly (项目调整申请, docs/decisions/0030-baseline-changes.md): the
-- original baseline beside the current one, and the change requests that alone move the current one.
-- zunyi_app gets the new table through the default privileges of migration audit_integrity.

-- CreateEnum
CREATE TYPE "BaselineChangeStatus" AS ENUM ('PENDING', 'APPROVED', 'REFUSED');

-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN "originalBaselineDate" DATE;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN "originalTotalInvestment" DECIMAL(18,4);

-- AlterTable
ALTER TABLE "AnnualPlan" ADD COLUMN "originalAmount" DECIMAL(18,4);

-- CreateTable
CREATE TABLE "BaselineChange" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "status" "BaselineChangeStatus" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT NOT NULL,
    "previous" JSONB NOT NULL,
    "proposed" JSONB NOT NULL,
    "requestedById" UUID NOT NULL,
    "requestedByName" TEXT NOT NULL,
    "decidedById" UUID,
    "decidedByName" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BaselineChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BaselineChange_projectId_idx" ON "BaselineChange"("projectId");

-- CreateIndex
CREATE INDEX "BaselineChange_status_idx" ON "BaselineChange"("status");

-- AddForeignKey
ALTER TABLE "BaselineChange" ADD CONSTRAINT "BaselineChange_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The real (non-demo) baselines already recorded are their own originals.
UPDATE "Milestone" SET "originalBaselineDate" = "baselineDate" WHERE "baselineDate" IS NOT NULL AND NOT "isDemo";
UPDATE "Project" SET "originalTotalInvestment" = "totalInvestment" WHERE "totalInvestment" IS NOT NULL AND NOT ('totalInvestment' = ANY("demoFields"));
UPDATE "AnnualPlan" SET "originalAmount" = "amount" WHERE NOT "isDemo";

-- An original baseline, once set, never changes (it may go from NULL to a value once).
CREATE FUNCTION original_baseline_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_value text := to_jsonb(OLD) ->> TG_ARGV[0];
  new_value text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
  IF old_value IS NOT NULL AND new_value IS DISTINCT FROM old_value THEN
    RAISE EXCEPTION 'ORIGINAL_BASELINE_KEPT: %.% is set once', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER milestone_original_baseline_keep BEFORE UPDATE OF "originalBaselineDate" ON "Milestone"
  FOR EACH ROW EXECUTE FUNCTION original_baseline_keep('originalBaselineDate');
CREATE TRIGGER project_original_baseline_keep BEFORE UPDATE OF "originalTotalInvestment" ON "Project"
  FOR EACH ROW EXECUTE FUNCTION original_baseline_keep('originalTotalInvestment');
CREATE TRIGGER annual_plan_original_baseline_keep BEFORE UPDATE OF "originalAmount" ON "AnnualPlan"
  FOR EACH ROW EXECUTE FUNCTION original_baseline_keep('originalAmount');
