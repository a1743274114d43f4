/*
  Warnings:

  - You are about to drop the column `annualPlan` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `completedOnTime` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `completedThisYear` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `completionDateUnknown` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `completionDue` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `fundsThisYear` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `inAnnualPlan` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `paymentsThisYear` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `startDue` on the `ProjectLight` table. All the data in the column will be lost.
  - You are about to drop the column `started` on the `ProjectLight` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "ProjectLight" DROP COLUMN "annualPlan",
DROP COLUMN "completedOnTime",
DROP COLUMN "completedThisYear",
DROP COLUMN "completionDateUnknown",
DROP COLUMN "completionDue",
DROP COLUMN "fundsThisYear",
DROP COLUMN "inAnnualPlan",
DROP COLUMN "paymentsThisYear",
DROP COLUMN "startDue",
DROP COLUMN "started";

-- CreateTable
CREATE TABLE "PortfolioFact" (
    "id" UUID NOT NULL,
    "asOf" DATE NOT NULL,
    "planYear" INTEGER NOT NULL,
    "light" "TrafficLightColor" NOT NULL,
    "confidenceFlagged" BOOLEAN NOT NULL,
    "plannedInvestment" DECIMAL(18,4),
    "totalInvestment" DECIMAL(18,4),
    "completedInvestment" DECIMAL(18,4) NOT NULL,
    "lifecycleStage" "LifecycleStage" NOT NULL,
    "columnId" UUID NOT NULL,
    "sectorCode" TEXT,
    "ownerOrgId" UUID,
    "reviewDivisionCode" TEXT,
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

    CONSTRAINT "PortfolioFact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortfolioFactFunds" (
    "projectId" UUID NOT NULL,
    "sourceCode" TEXT NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,

    CONSTRAINT "PortfolioFactFunds_pkey" PRIMARY KEY ("projectId","sourceCode")
);

-- CreateTable
CREATE TABLE "PortfolioMonth" (
    "period" DATE NOT NULL,
    "completed" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "payments" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "returns" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PortfolioMonth_pkey" PRIMARY KEY ("period")
);

-- AddForeignKey
ALTER TABLE "PortfolioFact" ADD CONSTRAINT "PortfolioFact_id_fkey" FOREIGN KEY ("id") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortfolioFactFunds" ADD CONSTRAINT "PortfolioFactFunds_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "PortfolioFact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The whole library's approved figures per month, kept by delta on every change to a return,
-- whoever writes it (forms, approval, corrections, import, SQL by hand, a project's deletion
-- cascading to its returns). Rows are locked in period order, so concurrent writers cannot
-- deadlock on them. A narrower scope's sums are computed live (lib/data/portfolio.ts).
CREATE FUNCTION "portfolio_month_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its event has (plpgsql plans a statement when
  -- it first runs).
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "PortfolioMonth";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "PortfolioMonth" AS t (period, completed, payments, returns)
      SELECT period, sum("completedInvestment"), sum(coalesce(payments, 0)), count(*) FROM new_rows WHERE status = 'APPROVED' GROUP BY period ORDER BY period
    ON CONFLICT (period) DO UPDATE SET completed = t.completed + EXCLUDED.completed, payments = t.payments + EXCLUDED.payments, returns = t.returns + EXCLUDED.returns;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "PortfolioMonth" AS t (period, completed, payments, returns)
      SELECT period, -sum("completedInvestment"), -sum(coalesce(payments, 0)), -count(*) FROM old_rows WHERE status = 'APPROVED' GROUP BY period ORDER BY period
    ON CONFLICT (period) DO UPDATE SET completed = t.completed + EXCLUDED.completed, payments = t.payments + EXCLUDED.payments, returns = t.returns + EXCLUDED.returns;
  ELSE
    INSERT INTO "PortfolioMonth" AS t (period, completed, payments, returns)
      SELECT period, sum(c), sum(pay), sum(n) FROM (
        SELECT period, "completedInvestment" AS c, coalesce(payments, 0) AS pay, 1 AS n FROM new_rows WHERE status = 'APPROVED'
        UNION ALL
        SELECT period, -"completedInvestment", -coalesce(payments, 0), -1 FROM old_rows WHERE status = 'APPROVED') d
       GROUP BY period HAVING sum(c) <> 0 OR sum(pay) <> 0 OR sum(n) <> 0 ORDER BY period
    ON CONFLICT (period) DO UPDATE SET completed = t.completed + EXCLUDED.completed, payments = t.payments + EXCLUDED.payments, returns = t.returns + EXCLUDED.returns;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "MonthlyReturn_portfolio_ins" AFTER INSERT ON "MonthlyReturn" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_month_apply"();
CREATE TRIGGER "MonthlyReturn_portfolio_upd" AFTER UPDATE ON "MonthlyReturn" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_month_apply"();
CREATE TRIGGER "MonthlyReturn_portfolio_del" AFTER DELETE ON "MonthlyReturn" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_month_apply"();
CREATE TRIGGER "MonthlyReturn_portfolio_truncate" AFTER TRUNCATE ON "MonthlyReturn" FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_month_apply"();

INSERT INTO "PortfolioMonth" (period, completed, payments, returns)
  SELECT period, sum("completedInvestment"), sum(coalesce(payments, 0)), count(*) FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY period;

-- Every project has its light row from the moment it exists: a placeholder marked stale, which
-- the next reader computes. The freshness check before each read is then two index lookups
-- ("staleAt", "asOf") instead of counting both tables to find projects without a light.
CREATE FUNCTION "project_light_placeholder"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ProjectLight" ("projectId", "asOf", "dueDay", "planYear", light, severity, "redRules", "yellowRules", reasons, "missingData", "staleAt", "computedAt")
    SELECT id, DATE '2000-01-01', 0, 0, 'NO_DATA', 0, 0, 0, '[]', '[]', clock_timestamp() AT TIME ZONE 'UTC', clock_timestamp() AT TIME ZONE 'UTC'
      FROM new_rows ORDER BY id
  ON CONFLICT ("projectId") DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER "Project_light_placeholder" AFTER INSERT ON "Project" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_light_placeholder"();

INSERT INTO "ProjectLight" ("projectId", "asOf", "dueDay", "planYear", light, severity, "redRules", "yellowRules", reasons, "missingData", "staleAt", "computedAt")
  SELECT p.id, DATE '2000-01-01', 0, 0, 'NO_DATA', 0, 0, 0, '[]', '[]', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM "Project" p WHERE NOT EXISTS (SELECT 1 FROM "ProjectLight" l WHERE l."projectId" = p.id);

-- The facts of every existing light are computed on the next read.
UPDATE "ProjectLight" SET "staleAt" = now() AT TIME ZONE 'UTC';

-- The copies in PortfolioFact (amounts, column, sector, owner, review office) go stale with the
-- project too, besides the fields the engine reads.
DROP TRIGGER "Project_light_upd" ON "Project";
CREATE TRIGGER "Project_light_upd" AFTER UPDATE ON "Project" FOR EACH ROW
  WHEN (OLD."lifecycleStage" IS DISTINCT FROM NEW."lifecycleStage" OR OLD."plannedStart" IS DISTINCT FROM NEW."plannedStart"
     OR OLD."plannedCompletion" IS DISTINCT FROM NEW."plannedCompletion" OR OLD."totalInvestment" IS DISTINCT FROM NEW."totalInvestment"
     OR OLD."completedInvestment" IS DISTINCT FROM NEW."completedInvestment" OR OLD."deliveryConfidence" IS DISTINCT FROM NEW."deliveryConfidence"
     OR OLD."plannedInvestment" IS DISTINCT FROM NEW."plannedInvestment" OR OLD."columnId" IS DISTINCT FROM NEW."columnId"
     OR OLD."sectorCode" IS DISTINCT FROM NEW."sectorCode" OR OLD."ownerOrgId" IS DISTINCT FROM NEW."ownerOrgId"
     OR OLD."reviewDivisionCode" IS DISTINCT FROM NEW."reviewDivisionCode")
  EXECUTE FUNCTION "project_light_mark_stale_project"();

-- The delay review reads RED then YELLOW, worst first, straight off this index (lib/data/portfolio.ts).
DROP INDEX "ProjectLight_light_severity_idx";
CREATE INDEX "ProjectLight_worst_first_idx" ON "ProjectLight"("light", "severity" DESC, "redRules" DESC, "yellowRules" DESC, "projectId");
