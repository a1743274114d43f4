-- The time step of the last TOTP code accepted per user: a code is refused unless its step is
-- later, so one code cannot sign in twice (issue 14). (`migrate dev` also proposed dropping
-- "Project_plannedInvestment_desc_idx" here: removed, see docs/decisions/0013.)
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "totpLastStep" INTEGER;
