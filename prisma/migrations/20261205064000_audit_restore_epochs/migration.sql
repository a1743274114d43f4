-- Restore epochs for audit checkpoints (docs/decisions/0019-backup-and-restore-epochs.md).
ALTER TABLE "AuditCheckpoint" ADD COLUMN "epoch" TEXT,
ADD COLUMN "forkHash" TEXT,
ADD COLUMN "forkSeq" BIGINT,
ADD COLUMN "manifestSha256" TEXT,
ADD COLUMN "parentEpoch" TEXT;

-- A restore starts a new epoch with a signed checkpoint of kind 'restore' (lib/operations/restore.ts).
ALTER TABLE "AuditCheckpoint" DROP CONSTRAINT "AuditCheckpoint_kind_check";
ALTER TABLE "AuditCheckpoint" ADD CONSTRAINT "AuditCheckpoint_kind_check" CHECK ("kind" IN ('checkpoint', 'purge', 'restore'));
ALTER TABLE "AuditCheckpoint" ADD CONSTRAINT "AuditCheckpoint_restore_lineage_check"
  CHECK (("kind" = 'restore') = ("parentEpoch" IS NOT NULL AND "forkSeq" IS NOT NULL AND "forkHash" IS NOT NULL AND "manifestSha256" IS NOT NULL));
