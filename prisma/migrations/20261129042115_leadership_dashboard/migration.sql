-- CreateEnum
CREATE TYPE "TrafficLightColor" AS ENUM ('RED', 'YELLOW', 'NO_DATA', 'GREEN', 'NOT_APPLICABLE');

-- CreateEnum
CREATE TYPE "SupervisionStatus" AS ENUM ('OPEN', 'ANSWERED', 'CLOSED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationKind" ADD VALUE 'NOTICE_SENT';
ALTER TYPE "NotificationKind" ADD VALUE 'NOTICE_ANSWERED';
ALTER TYPE "NotificationKind" ADD VALUE 'NOTICE_CLOSED';

-- CreateTable
CREATE TABLE "ProjectLight" (
    "projectId" UUID NOT NULL,
    "asOf" DATE NOT NULL,
    "dueDay" INTEGER NOT NULL,
    "planYear" INTEGER NOT NULL,
    "light" "TrafficLightColor" NOT NULL,
    "severity" DOUBLE PRECISION NOT NULL,
    "redRules" INTEGER NOT NULL,
    "yellowRules" INTEGER NOT NULL,
    "reasons" JSONB NOT NULL,
    "missingData" JSONB NOT NULL,
    "confidenceDifference" INTEGER,
    "confidenceFlagged" BOOLEAN NOT NULL DEFAULT false,
    "annualPlan" DECIMAL(18,4),
    "completedThisYear" DECIMAL(18,4) NOT NULL,
    "fundsThisYear" DECIMAL(18,4),
    "paymentsThisYear" DECIMAL(18,4),
    "inAnnualPlan" BOOLEAN NOT NULL,
    "startDue" BOOLEAN NOT NULL,
    "started" BOOLEAN NOT NULL,
    "completionDue" BOOLEAN NOT NULL,
    "completedOnTime" BOOLEAN NOT NULL,
    "completionDateUnknown" BOOLEAN NOT NULL,
    "staleAt" TIMESTAMP(3),
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectLight_pkey" PRIMARY KEY ("projectId")
);

-- CreateTable
CREATE TABLE "SupervisionNotice" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "ownerOrgId" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "deadline" DATE NOT NULL,
    "status" "SupervisionStatus" NOT NULL DEFAULT 'OPEN',
    "lightAtSending" "TrafficLightColor",
    "sentById" UUID NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answer" TEXT,
    "answeredById" UUID,
    "answeredAt" TIMESTAMP(3),
    "closingNote" TEXT,
    "closedById" UUID,
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupervisionNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProjectLight_light_severity_idx" ON "ProjectLight"("light", "severity");

-- CreateIndex
CREATE INDEX "SupervisionNotice_projectId_idx" ON "SupervisionNotice"("projectId");

-- CreateIndex
CREATE INDEX "SupervisionNotice_ownerOrgId_status_idx" ON "SupervisionNotice"("ownerOrgId", "status");

-- CreateIndex
CREATE INDEX "SupervisionNotice_status_deadline_idx" ON "SupervisionNotice"("status", "deadline");

-- AddForeignKey
ALTER TABLE "ProjectLight" ADD CONSTRAINT "ProjectLight_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionNotice" ADD CONSTRAINT "SupervisionNotice_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionNotice" ADD CONSTRAINT "SupervisionNotice_ownerOrgId_fkey" FOREIGN KEY ("ownerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionNotice" ADD CONSTRAINT "SupervisionNotice_sentById_fkey" FOREIGN KEY ("sentById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionNotice" ADD CONSTRAINT "SupervisionNotice_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionNotice" ADD CONSTRAINT "SupervisionNotice_closedById_fkey" FOREIGN KEY ("closedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Stored lights go stale when a figure they depend on changes, whoever writes it (forms, the
-- approval transaction, the Excel import, SQL by hand). lib/data/portfolio.ts recomputes stale
-- rows before reading them. Statement-level triggers with transition tables keep bulk loads cheap.
CREATE FUNCTION "project_light_mark_stale"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nothing stored yet (a fresh install, the seed): nothing to mark.
  PERFORM 1 FROM "ProjectLight" LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'ReturnFunding' THEN
    UPDATE "ProjectLight" l SET "staleAt" = clock_timestamp() AT TIME ZONE 'UTC'
     WHERE l."projectId" IN (SELECT m."projectId" FROM "MonthlyReturn" m WHERE m.id IN (SELECT "returnId" FROM changed_rows));
  ELSE
    UPDATE "ProjectLight" l SET "staleAt" = clock_timestamp() AT TIME ZONE 'UTC' WHERE l."projectId" IN (SELECT "projectId" FROM changed_rows);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "MonthlyReturn_light_ins" AFTER INSERT ON "MonthlyReturn" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "MonthlyReturn_light_upd" AFTER UPDATE ON "MonthlyReturn" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "MonthlyReturn_light_del" AFTER DELETE ON "MonthlyReturn" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "ReturnFunding_light_ins" AFTER INSERT ON "ReturnFunding" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "ReturnFunding_light_upd" AFTER UPDATE ON "ReturnFunding" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "ReturnFunding_light_del" AFTER DELETE ON "ReturnFunding" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "Milestone_light_ins" AFTER INSERT ON "Milestone" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "Milestone_light_upd" AFTER UPDATE ON "Milestone" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "Milestone_light_del" AFTER DELETE ON "Milestone" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "AnnualPlan_light_ins" AFTER INSERT ON "AnnualPlan" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "AnnualPlan_light_upd" AFTER UPDATE ON "AnnualPlan" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();
CREATE TRIGGER "AnnualPlan_light_del" AFTER DELETE ON "AnnualPlan" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_mark_stale"();

-- On the project row only the fields the engine reads matter (not names, codes or updatedAt).
CREATE FUNCTION "project_light_mark_stale_project"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ProjectLight" SET "staleAt" = clock_timestamp() AT TIME ZONE 'UTC' WHERE "projectId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER "Project_light_upd" AFTER UPDATE ON "Project" FOR EACH ROW
  WHEN (OLD."lifecycleStage" IS DISTINCT FROM NEW."lifecycleStage" OR OLD."plannedStart" IS DISTINCT FROM NEW."plannedStart"
     OR OLD."plannedCompletion" IS DISTINCT FROM NEW."plannedCompletion" OR OLD."totalInvestment" IS DISTINCT FROM NEW."totalInvestment"
     OR OLD."completedInvestment" IS DISTINCT FROM NEW."completedInvestment" OR OLD."deliveryConfidence" IS DISTINCT FROM NEW."deliveryConfidence")
  EXECUTE FUNCTION "project_light_mark_stale_project"();
