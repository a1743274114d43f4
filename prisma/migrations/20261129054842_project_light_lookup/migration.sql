-- CreateIndex
CREATE INDEX "ProjectLight_asOf_dueDay_idx" ON "ProjectLight"("asOf", "dueDay");

-- CreateIndex
CREATE INDEX "ProjectLight_staleAt_idx" ON "ProjectLight"("staleAt");
