-- Audit log integrity (docs/decisions/0009-audit-log-integrity.md): who/why/evidence/approver
-- columns with a versioned hash, signed checkpoints, a controlled retention purge, and the
-- application's database role that may only INSERT and SELECT audit rows.

-- AlterTable: existing rows keep hash format 1; new rows always say which version they use.
ALTER TABLE "AuditEvent" ADD COLUMN     "actorOrganizationId" UUID,
ADD COLUMN     "actorOrganizationName" TEXT,
ADD COLUMN     "approverId" UUID,
ADD COLUMN     "approverName" TEXT,
ADD COLUMN     "evidence" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "hashVersion" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "reason" TEXT,
ADD COLUMN     "requestId" TEXT;
ALTER TABLE "AuditEvent" ALTER COLUMN "hashVersion" DROP DEFAULT;

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "id" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "chainId" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "headAt" TIMESTAMP(3) NOT NULL,
    "eventCount" BIGINT NOT NULL,
    "fileName" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "createdById" UUID,
    "createdByName" TEXT,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditCheckpoint_kind_seq_idx" ON "AuditCheckpoint"("kind", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

ALTER TABLE "AuditCheckpoint" ADD CONSTRAINT "AuditCheckpoint_kind_check" CHECK ("kind" IN ('checkpoint', 'purge'));

-- The audit log stays append-only for everyone, table owner included. The one exception is the
-- retention purge (lib/audit/purge.ts), and only when all of these hold for the row: the purge
-- announced itself in this transaction (zunyi.audit_purge = on), the event is older than 180
-- days (a floor no configuration lowers), and a purge checkpoint at or after the event was
-- recorded first. Only roles holding DELETE on the table get this far; the app's role does not.
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF current_setting('zunyi.audit_purge', true) = 'on'
       AND OLD."at" < (now() AT TIME ZONE 'UTC') - interval '180 days'
       AND EXISTS (SELECT 1 FROM "AuditCheckpoint" c WHERE c."kind" = 'purge' AND c."seq" >= OLD."seq") THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'AUDIT_APPEND_ONLY: the audit log cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AUDIT_APPEND_ONLY: audit checkpoints cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_checkpoint_no_update_delete
  BEFORE UPDATE OR DELETE ON "AuditCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();

CREATE TRIGGER audit_checkpoint_no_truncate
  BEFORE TRUNCATE ON "AuditCheckpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_append_only();

-- The application's privileges, held by the group role zunyi_app (NOLOGIN). A deployment connects
-- as a login role that is a member of it (README); migrations, the seed and the purge run as the
-- owner. Roles are cluster-wide: created once, tolerated when another database's migration made
-- it at the same moment, and skipped with a notice when this role may not create roles.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zunyi_app') THEN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
      RAISE NOTICE 'zunyi_app not created: % may not create roles. A DBA runs CREATE ROLE zunyi_app NOLOGIN and re-applies the grants of migration audit_integrity.', current_user;
      RETURN;
    END IF;
    BEGIN
      CREATE ROLE zunyi_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;

  EXECUTE 'GRANT USAGE ON SCHEMA public TO zunyi_app';
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zunyi_app';
  EXECUTE 'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO zunyi_app';
  -- Tables created by later migrations (run by the same owner) get the ordinary grants too.
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zunyi_app';
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO zunyi_app';
  -- The audit log and its checkpoints: append and read, nothing else.
  EXECUTE 'REVOKE ALL ON TABLE "AuditEvent", "AuditCheckpoint" FROM zunyi_app';
  EXECUTE 'GRANT SELECT, INSERT ON TABLE "AuditEvent", "AuditCheckpoint" TO zunyi_app';
  EXECUTE 'REVOKE ALL ON SEQUENCE "AuditEvent_seq_seq" FROM zunyi_app';
  EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE "AuditEvent_seq_seq" TO zunyi_app';
  -- Migration history: readable (the health page), written only by the owner.
  IF to_regclass('public._prisma_migrations') IS NOT NULL THEN
    EXECUTE 'REVOKE ALL ON TABLE public._prisma_migrations FROM zunyi_app';
    EXECUTE 'GRANT SELECT ON TABLE public._prisma_migrations TO zunyi_app';
  END IF;
END $$;
