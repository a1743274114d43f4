-- The audit chain linked after commit, in batches (docs/decisions/0033): a business transaction
-- writes its audit events into "AuditPending" (every column and the content hash, computed by
-- lib/audit/log.ts), so the change and its audit record commit together or not at all, without
-- taking the chain's lock. Right after the commit the same caller runs audit_link_pending(),
-- which takes the chain lock and links every committed pending event, in one short transaction:
-- one WAL flush under the lock links a whole batch, and the business commits group-commit freely.

-- AlterTable: version-4 rows keep their content hash beside the link.
ALTER TABLE "AuditEvent" ADD COLUMN     "contentHash" TEXT;

-- CreateTable
CREATE TABLE "AuditPending" (
    "id" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" UUID,
    "actorName" TEXT,
    "actorOrganizationId" UUID,
    "actorOrganizationName" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT,
    "entityId" TEXT,
    "ip" TEXT,
    "requestId" TEXT,
    "reason" TEXT,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "approverId" UUID,
    "approverName" TEXT,
    "details" JSONB NOT NULL,
    "hashVersion" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,

    CONSTRAINT "AuditPending_pkey" PRIMARY KEY ("id")
);

-- Pending events are append-only too: only audit_link_pending() removes them (as it links them).
ALTER TABLE "AuditPending" ADD CONSTRAINT "AuditPending_hash_check" CHECK ("hashVersion" = 4 AND "contentHash" ~ '^[0-9a-f]{64}$');

CREATE OR REPLACE FUNCTION audit_pending_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('zunyi.audit_link', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AUDIT_APPEND_ONLY: pending audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_pending_no_update_delete
  BEFORE UPDATE OR DELETE ON "AuditPending"
  FOR EACH ROW EXECUTE FUNCTION audit_pending_append_only();

CREATE TRIGGER audit_pending_no_truncate
  BEFORE TRUNCATE ON "AuditPending"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_pending_append_only();

-- The link, as linkHash() in lib/audit/log.ts computes it: seq = head + 1, prevHash = the head's
-- hash (64 zeros for the first event), hash = SHA-256 hex of 'seq:prevHash:contentHash'; pending
-- events in order of (at, id). The lock is the one every chain writer takes (AUDIT_CHAIN_LOCK =
-- 7311, 1) and is held until this transaction commits, so the next linker reads these rows as the
-- head; it sees only committed pending events (another transaction's are invisible until then).
-- SECURITY DEFINER: it runs as the owner, so the app's role needs no DELETE on "AuditPending".
-- Returns how many events it linked.
CREATE OR REPLACE FUNCTION audit_link_pending() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r record;
  head_seq bigint;
  prev text;
  linked integer := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "AuditPending") THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(7311, 1);
  SELECT seq, hash INTO head_seq, prev FROM "AuditEvent" ORDER BY seq DESC LIMIT 1;
  head_seq := coalesce(head_seq, 0);
  prev := coalesce(prev, repeat('0', 64));
  PERFORM set_config('zunyi.audit_link', 'on', true);
  FOR r IN SELECT * FROM "AuditPending" ORDER BY at, id LOOP
    head_seq := head_seq + 1;
    INSERT INTO "AuditEvent" (seq, at, "actorId", "actorName", "actorOrganizationId", "actorOrganizationName", action, "entityType", "entityId",
      ip, "requestId", reason, evidence, "approverId", "approverName", details, "hashVersion", "contentHash", "prevHash", hash)
    VALUES (head_seq, r.at, r."actorId", r."actorName", r."actorOrganizationId", r."actorOrganizationName", r.action, r."entityType", r."entityId",
      r.ip, r."requestId", r.reason, r.evidence, r."approverId", r."approverName", r.details, r."hashVersion", r."contentHash", prev,
      encode(sha256(convert_to(head_seq::text || ':' || prev || ':' || r."contentHash", 'UTF8')), 'hex'))
    RETURNING hash INTO prev;
    DELETE FROM "AuditPending" WHERE id = r.id;
    linked := linked + 1;
  END LOOP;
  PERFORM set_config('zunyi.audit_link', 'off', true);
  RETURN linked;
END;
$$;

-- The app's role: write pending events and read them (the verifier counts those waiting), nothing else.
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'zunyi_app') THEN
    EXECUTE 'REVOKE ALL ON TABLE "AuditPending" FROM zunyi_app';
    EXECUTE 'GRANT SELECT, INSERT ON TABLE "AuditPending" TO zunyi_app';
  END IF;
END $$;
