-- CreateIndex
CREATE INDEX "Project_totals_idx" ON "Project"("id", "plannedInvestment", "totalInvestment", "completedInvestment");

-- Sorting the table by 十四五计划投资 descending with blanks (未填报) last, ties by id: the order
-- of this index, so the first page is an index-only read. Prisma's schema cannot express NULLS
-- LAST; see the note on Project in schema.prisma.
CREATE INDEX "Project_plannedInvestment_desc_idx" ON "Project"("plannedInvestment" DESC NULLS LAST, "id");

-- Search is "name or 项目代码 contains …": with a trigram index on both the planner combines them
-- (BitmapOr); with one only it scans the whole table.
CREATE INDEX "Project_projectCode_trgm_idx" ON "Project" USING GIN ("projectCode" gin_trgm_ops);
