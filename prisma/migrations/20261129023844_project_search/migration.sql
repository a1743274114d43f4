-- Trigram search for Chinese substrings in project names (ILIKE %…%).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Project_name_trgm_idx" ON "Project" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Project_plannedInvestment_idx" ON "Project"("plannedInvestment");
