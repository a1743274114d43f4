-- Scheduled jobs (lib/jobs, docs/decisions/0020-job-queue.md): one row per (job, slot) so each
-- slot runs exactly once across processes; reminders sent once per project, month and step.
ALTER TYPE "NotificationKind" ADD VALUE 'RETURN_DUE_SOON';
ALTER TYPE "NotificationKind" ADD VALUE 'RETURN_DUE_TODAY';
ALTER TYPE "NotificationKind" ADD VALUE 'RETURN_STILL_OVERDUE';
ALTER TYPE "NotificationKind" ADD VALUE 'AUDIT_VERIFICATION_FAILED';
ALTER TYPE "NotificationKind" ADD VALUE 'JOB_FAILED';

ALTER TABLE "Organization" ADD COLUMN "notifyEmail" TEXT;

CREATE TABLE "JobRun" (
    "id" UUID NOT NULL,
    "job" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "outcome" TEXT NOT NULL DEFAULT 'running',
    "details" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ReminderSent" (
    "projectId" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "ReminderSent_pkey" PRIMARY KEY ("projectId","period","step")
);

CREATE UNIQUE INDEX "JobRun_job_slot_key" ON "JobRun"("job", "slot");
CREATE INDEX "JobRun_job_startedAt_idx" ON "JobRun"("job", "startedAt" DESC);
