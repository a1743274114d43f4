-- The approved-return lock (migration approved_return_lock) guarded UPDATE only. An approved
-- month could still be deleted, and its funds in place by source (ReturnFunding) changed, added or
-- removed, with no correction on record. Both are now refused unless the transaction declared it
-- is applying an approved correction (zunyi.correction = 'on', set only by decideCorrection).
-- Writers that build an approved month set its funds while it is still SUBMITTED and approve it
-- afterwards (the approval transaction, the import, the demo seed).
CREATE OR REPLACE FUNCTION monthly_return_lock() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'APPROVED' AND coalesce(current_setting('zunyi.correction', true), '') <> 'on' THEN
      RAISE EXCEPTION 'APPROVED_RETURN_LOCKED: return % is approved and cannot be deleted', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'APPROVED'
     AND coalesce(current_setting('zunyi.correction', true), '') <> 'on'
     AND (NEW."completedInvestment" IS DISTINCT FROM OLD."completedInvestment"
       OR NEW."payments" IS DISTINCT FROM OLD."payments"
       OR NEW."progressPercent" IS DISTINCT FROM OLD."progressPercent"
       OR NEW."progressText" IS DISTINCT FROM OLD."progressText"
       OR NEW."period" IS DISTINCT FROM OLD."period"
       OR NEW."projectId" IS DISTINCT FROM OLD."projectId"
       OR NEW."status" IS DISTINCT FROM OLD."status") THEN
    RAISE EXCEPTION 'APPROVED_RETURN_LOCKED: return % is approved; change it through a correction request', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER monthly_return_lock_delete BEFORE DELETE ON "MonthlyReturn"
  FOR EACH ROW EXECUTE FUNCTION monthly_return_lock();

-- A funding row of an approved return: no insert, change or delete outside a correction. When the
-- return itself is being deleted (a cascade), its row is already gone and nothing is checked
-- here: the DELETE trigger above has decided.
CREATE FUNCTION return_funding_lock() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('zunyi.correction', true), '') = 'on' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  -- Plain equality on the primary key in each branch, so each check is one index probe.
  IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (SELECT 1 FROM "MonthlyReturn" m WHERE m.id = NEW."returnId" AND m.status = 'APPROVED') THEN
    RAISE EXCEPTION 'APPROVED_RETURN_LOCKED: the funds of an approved return change only through a correction request'
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (SELECT 1 FROM "MonthlyReturn" m WHERE m.id = OLD."returnId" AND m.status = 'APPROVED') THEN
    RAISE EXCEPTION 'APPROVED_RETURN_LOCKED: the funds of an approved return change only through a correction request'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER return_funding_lock BEFORE INSERT OR UPDATE OR DELETE ON "ReturnFunding"
  FOR EACH ROW EXECUTE FUNCTION return_funding_lock();
