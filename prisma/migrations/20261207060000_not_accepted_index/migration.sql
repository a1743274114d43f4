-- The projects not accepted (待审核 and 退回), indexed apart (docs/decisions/0043). The policy reads
-- "every accepted project" as NOT EXISTS (a row of this project that is not accepted)
-- (lib/policy/queries.ts acceptedProjectSql). `approval <> 'ACCEPTED'` cannot use the btree on
-- approval, so the planner built that anti-join's inner side by scanning the whole library
-- (129 ms at 1,000,000 projects, per query). This partial index holds only the few such rows.
-- Prisma's schema cannot declare a partial index: `prisma migrate dev` will propose dropping it
-- in a new migration; delete that line. tests/integration/project-list.test.ts fails without it.
CREATE INDEX "Project_not_accepted_idx" ON "Project"("id") WHERE "approval" <> 'ACCEPTED';
