-- Approved monthly returns are locked in the database too, not only in lib/data/returns.ts: an
-- UPDATE that changes an approved return's figures is refused unless the transaction declared it
-- is applying an approved correction (SET LOCAL zunyi.correction = 'on', done only by
-- decideCorrection). A DBA can still bypass it; the hash-chained audit log and reconciliation
-- (stored cumulative vs approved months) are what catch that.
CREATE OR REPLACE FUNCTION monthly_return_lock() RETURNS trigger AS $$
BEGIN
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

CREATE TRIGGER monthly_return_lock BEFORE UPDATE ON "MonthlyReturn"
  FOR EACH ROW EXECUTE FUNCTION monthly_return_lock();
