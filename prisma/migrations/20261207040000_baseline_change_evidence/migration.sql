-- Evidence files on a 项目调整申请 (docs/decisions/0030): an attachment belongs to a monthly return
-- or to a baseline change request; like returnId, the link is cleared if the request goes.

-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN "baselineChangeId" UUID;

-- CreateIndex
CREATE INDEX "Attachment_baselineChangeId_idx" ON "Attachment"("baselineChangeId");

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_baselineChangeId_fkey" FOREIGN KEY ("baselineChangeId") REFERENCES "BaselineChange"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Notifications for 项目调整申请 and new projects (docs/decisions/0030, 0031).
ALTER TYPE "NotificationKind" ADD VALUE 'BASELINE_PROPOSED';
ALTER TYPE "NotificationKind" ADD VALUE 'BASELINE_DECIDED';
ALTER TYPE "NotificationKind" ADD VALUE 'PROJECT_PENDING';
ALTER TYPE "NotificationKind" ADD VALUE 'PROJECT_DECIDED';
