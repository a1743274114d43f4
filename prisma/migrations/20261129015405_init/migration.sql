-- CreateEnum
CREATE TYPE "DivisionKind" AS ENUM ('CITY', 'DISTRICT', 'COUNTY', 'COUNTY_CITY', 'NEW_DISTRICT');

-- CreateEnum
CREATE TYPE "OrganizationKind" AS ENUM ('CITY_GOVERNMENT', 'CITY_DEPARTMENT', 'COUNTY_GOVERNMENT', 'COUNTY_DEPARTMENT', 'ENTERPRISE', 'LEADERSHIP_OFFICE', 'AUDIT_OFFICE');

-- CreateEnum
CREATE TYPE "TargetStage" AS ENUM ('COMPLETE', 'START', 'CONSTRUCT', 'PREPARE', 'RELOCATE');

-- CreateEnum
CREATE TYPE "LifecycleStage" AS ENUM ('PREPARATION', 'CONSTRUCTION', 'COMPLETED', 'SUSPENDED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ProjectType" AS ENUM ('NEW_BUILD', 'EXPANSION', 'REHABILITATION', 'RELOCATION', 'DECOMMISSIONING');

-- CreateEnum
CREATE TYPE "ProjectNature" AS ENUM ('PUBLIC_WELFARE', 'QUASI_PUBLIC', 'COMMERCIAL');

-- CreateEnum
CREATE TYPE "DeliveryConfidence" AS ENUM ('GREEN', 'AMBER_GREEN', 'AMBER', 'AMBER_RED', 'RED');

-- CreateEnum
CREATE TYPE "MilestoneKind" AS ENUM ('APPROVAL', 'FEASIBILITY', 'LAND_PRE_APPROVAL', 'EIA_APPROVAL', 'PRELIMINARY_DESIGN', 'CONSTRUCTION_PERMIT', 'START', 'MAIN_WORKS_DONE', 'ACCEPTANCE', 'IN_SERVICE');

-- CreateEnum
CREATE TYPE "MilestoneStatus" AS ENUM ('SCHEDULED', 'MET', 'NOT_MET', 'PARTIALLY_MET');

-- CreateEnum
CREATE TYPE "ReturnStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED');

-- CreateEnum
CREATE TYPE "IndicatorComparator" AS ENUM ('ABOUT', 'AT_LEAST', 'AT_MOST', 'EXACT');

-- CreateEnum
CREATE TYPE "IndicatorDirection" AS ENUM ('UP', 'DOWN');

-- CreateTable
CREATE TABLE "SeedRun" (
    "id" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeedRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "periodStart" INTEGER NOT NULL,
    "periodEnd" INTEGER NOT NULL,
    "keyInvestmentTarget" DECIMAL(18,4) NOT NULL,
    "keyInvestmentTargetText" TEXT NOT NULL,
    "sourceFile" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanColumn" (
    "id" UUID NOT NULL,
    "planId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "hasProjects" BOOLEAN NOT NULL,

    CONSTRAINT "PlanColumn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Programme" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "columnId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Programme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminDivision" (
    "code" TEXT NOT NULL,
    "gbCode" TEXT,
    "name" TEXT NOT NULL,
    "kind" "DivisionKind" NOT NULL,
    "sortOrder" INTEGER NOT NULL,

    CONSTRAINT "AdminDivision_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OrganizationKind" NOT NULL,
    "parentId" UUID,
    "divisionCode" TEXT,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "organizationId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sector" (
    "code" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL,

    CONSTRAINT "Sector_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" UUID NOT NULL,
    "planId" TEXT NOT NULL,
    "planKey" TEXT,
    "projectCode" TEXT,
    "name" TEXT NOT NULL,
    "columnId" UUID NOT NULL,
    "programmeId" UUID NOT NULL,
    "sectorCode" TEXT,
    "projectType" "ProjectType",
    "nature" "ProjectNature",
    "ownerOrgId" UUID,
    "targetStage2025" "TargetStage" NOT NULL,
    "sourcePhrase" TEXT NOT NULL,
    "sourceLine" INTEGER,
    "lifecycleStage" "LifecycleStage" NOT NULL DEFAULT 'PREPARATION',
    "plannedStart" DATE,
    "plannedCompletion" DATE,
    "totalInvestment" DECIMAL(18,4),
    "plannedInvestment" DECIMAL(18,4),
    "deliveryConfidence" "DeliveryConfidence",
    "demoFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectLocation" (
    "projectId" UUID NOT NULL,
    "divisionCode" TEXT NOT NULL,

    CONSTRAINT "ProjectLocation_pkey" PRIMARY KEY ("projectId","divisionCode")
);

-- CreateTable
CREATE TABLE "AnnualPlan" (
    "projectId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "AnnualPlan_pkey" PRIMARY KEY ("projectId","year")
);

-- CreateTable
CREATE TABLE "FundingSource" (
    "code" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL,

    CONSTRAINT "FundingSource_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "ProjectFunding" (
    "projectId" UUID NOT NULL,
    "sourceCode" TEXT NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ProjectFunding_pkey" PRIMARY KEY ("projectId","sourceCode")
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "kind" "MilestoneKind" NOT NULL,
    "baselineDate" DATE,
    "forecastDate" DATE,
    "actualDate" DATE,
    "status" "MilestoneStatus" NOT NULL DEFAULT 'SCHEDULED',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyReturn" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "period" DATE NOT NULL,
    "completedInvestment" DECIMAL(18,4) NOT NULL,
    "payments" DECIMAL(18,4),
    "progressPercent" DECIMAL(5,2),
    "progressText" TEXT,
    "status" "ReturnStatus" NOT NULL DEFAULT 'DRAFT',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonthlyReturn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnFunding" (
    "returnId" UUID NOT NULL,
    "sourceCode" TEXT NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,

    CONSTRAINT "ReturnFunding_pkey" PRIMARY KEY ("returnId","sourceCode")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "id" UUID NOT NULL,
    "planId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "baseline2020" DECIMAL(18,4),
    "baselineText" TEXT,
    "target2025" DECIMAL(18,4),
    "targetText" TEXT NOT NULL,
    "cumulative" BOOLEAN NOT NULL,
    "comparator" "IndicatorComparator" NOT NULL,
    "direction" "IndicatorDirection" NOT NULL,
    "note" TEXT,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IndicatorValue" (
    "id" UUID NOT NULL,
    "indicatorId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "value" DECIMAL(18,4) NOT NULL,
    "sourceNote" TEXT,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "enteredById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IndicatorValue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlanColumn_planId_number_key" ON "PlanColumn"("planId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Programme_key_key" ON "Programme"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Programme_columnId_seq_key" ON "Programme"("columnId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "AdminDivision_gbCode_key" ON "AdminDivision"("gbCode");

-- CreateIndex
CREATE UNIQUE INDEX "AdminDivision_name_key" ON "AdminDivision"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_name_key" ON "Organization"("name");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Project_planKey_key" ON "Project"("planKey");

-- CreateIndex
CREATE UNIQUE INDEX "Project_projectCode_key" ON "Project"("projectCode");

-- CreateIndex
CREATE INDEX "Project_columnId_idx" ON "Project"("columnId");

-- CreateIndex
CREATE INDEX "Project_programmeId_idx" ON "Project"("programmeId");

-- CreateIndex
CREATE INDEX "Project_ownerOrgId_idx" ON "Project"("ownerOrgId");

-- CreateIndex
CREATE INDEX "Project_sectorCode_idx" ON "Project"("sectorCode");

-- CreateIndex
CREATE INDEX "ProjectLocation_divisionCode_idx" ON "ProjectLocation"("divisionCode");

-- CreateIndex
CREATE UNIQUE INDEX "FundingSource_nameZh_key" ON "FundingSource"("nameZh");

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_projectId_kind_key" ON "Milestone"("projectId", "kind");

-- CreateIndex
CREATE INDEX "MonthlyReturn_period_idx" ON "MonthlyReturn"("period");

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyReturn_projectId_period_key" ON "MonthlyReturn"("projectId", "period");

-- CreateIndex
CREATE UNIQUE INDEX "Indicator_planId_number_key" ON "Indicator"("planId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "IndicatorValue_indicatorId_year_key" ON "IndicatorValue"("indicatorId", "year");

-- AddForeignKey
ALTER TABLE "PlanColumn" ADD CONSTRAINT "PlanColumn_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Programme" ADD CONSTRAINT "Programme_columnId_fkey" FOREIGN KEY ("columnId") REFERENCES "PlanColumn"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_divisionCode_fkey" FOREIGN KEY ("divisionCode") REFERENCES "AdminDivision"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_columnId_fkey" FOREIGN KEY ("columnId") REFERENCES "PlanColumn"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_sectorCode_fkey" FOREIGN KEY ("sectorCode") REFERENCES "Sector"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_ownerOrgId_fkey" FOREIGN KEY ("ownerOrgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectLocation" ADD CONSTRAINT "ProjectLocation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectLocation" ADD CONSTRAINT "ProjectLocation_divisionCode_fkey" FOREIGN KEY ("divisionCode") REFERENCES "AdminDivision"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnualPlan" ADD CONSTRAINT "AnnualPlan_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectFunding" ADD CONSTRAINT "ProjectFunding_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectFunding" ADD CONSTRAINT "ProjectFunding_sourceCode_fkey" FOREIGN KEY ("sourceCode") REFERENCES "FundingSource"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReturn" ADD CONSTRAINT "MonthlyReturn_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnFunding" ADD CONSTRAINT "ReturnFunding_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "MonthlyReturn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnFunding" ADD CONSTRAINT "ReturnFunding_sourceCode_fkey" FOREIGN KEY ("sourceCode") REFERENCES "FundingSource"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Indicator" ADD CONSTRAINT "Indicator_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IndicatorValue" ADD CONSTRAINT "IndicatorValue_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IndicatorValue" ADD CONSTRAINT "IndicatorValue_enteredById_fkey" FOREIGN KEY ("enteredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
