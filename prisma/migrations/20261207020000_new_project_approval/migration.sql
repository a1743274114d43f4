-- New projects added by an owner unit wait for approval (待审核), docs/decisions/0031-new-project-approval.md.
-- Every existing project (the plan's, the seed's and those imported before) is ACCEPTED by the default.

-- CreateEnum
CREATE TYPE "ProjectApproval" AS ENUM ('ACCEPTED', 'PENDING', 'REFUSED');

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "approval" "ProjectApproval" NOT NULL DEFAULT 'ACCEPTED',
ADD COLUMN     "approvalReason" TEXT;

-- CreateIndex
CREATE INDEX "Project_approval_idx" ON "Project"("approval");
