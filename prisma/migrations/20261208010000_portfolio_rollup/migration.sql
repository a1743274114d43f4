-- The dashboard's sums kept by the database (docs/decisions/0046-portfolio-rollup.md; issue 21 §5):
-- the leadership dashboard of the whole library read every PortfolioFact row three times per view
-- (the totals, the breakdowns, the counties) and every ProjectFunding and PortfolioFactFunds row
-- (3.5 s at 1,000,000 projects). These tables hold the same sums per dimension value, in 16 shards
-- by the project id's hash (project_totals_shard, as ProjectTotalsRollup), kept by statement
-- triggers by delta: new rows add, old rows subtract. They hold every fact, accepted or not; the
-- reader takes off the few not accepted (Project_not_accepted_idx) and the months approved ahead
-- of their turn (lib/portfolio/dashboard.ts).

-- CreateTable
CREATE TABLE "PortfolioRollup" (
    "dim" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "planned" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "total" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "completed" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "dueToStart" BIGINT NOT NULL DEFAULT 0,
    "started" BIGINT NOT NULL DEFAULT 0,
    "dueToComplete" BIGINT NOT NULL DEFAULT 0,
    "onTime" BIGINT NOT NULL DEFAULT 0,
    "completionDateUnknown" BIGINT NOT NULL DEFAULT 0,
    "inAnnualPlan" BIGINT NOT NULL DEFAULT 0,
    "withoutFunds" BIGINT NOT NULL DEFAULT 0,
    "annualPlan" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "completedThisYear" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "funds" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "evWithPayments" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "payments" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "confidenceFlagged" BIGINT NOT NULL DEFAULT 0,
    "red" BIGINT NOT NULL DEFAULT 0,
    "yellow" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "PortfolioRollup_pkey" PRIMARY KEY ("dim","key","shard")
);

-- CreateTable
CREATE TABLE "PortfolioFundsRollup" (
    "kind" TEXT NOT NULL,
    "sourceCode" TEXT NOT NULL,
    "shard" SMALLINT NOT NULL,
    "amount" DECIMAL(24,4) NOT NULL DEFAULT 0,

    CONSTRAINT "PortfolioFundsRollup_pkey" PRIMARY KEY ("kind","sourceCode","shard")
);

-- One fact's share, times s (1 adds it, -1 takes it off): in the whole library (dim 'all'), its
-- light, stage, column, sector, owner and lights' day (county NULL), or in one county. `less` is
-- taken off its cumulative completed investment (the months approved ahead of the month read).
-- The columns are the dashboard's TOTAL_SUMS and BREAKDOWN_SUMS (lib/portfolio/dashboard.ts).
CREATE FUNCTION "portfolio_fact_share"(f "PortfolioFact", s integer, county text DEFAULT NULL, less numeric DEFAULT 0)
RETURNS TABLE (dim text, key text, shard smallint, count bigint, planned numeric, total numeric, completed numeric,
  "dueToStart" bigint, started bigint, "dueToComplete" bigint, "onTime" bigint, "completionDateUnknown" bigint,
  "inAnnualPlan" bigint, "withoutFunds" bigint, "annualPlan" numeric, "completedThisYear" numeric, funds numeric,
  "evWithPayments" numeric, payments numeric, "confidenceFlagged" bigint, red bigint, yellow bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT d.dim, d.key, "project_totals_shard"(f.id), s::bigint,
         s * coalesce(f."plannedInvestment", 0), s * coalesce(f."totalInvestment", 0), s * (f."completedInvestment" - less),
         s * f."startDue"::int, s * (f.started AND f."startDue")::int, s * f."completionDue"::int, s * f."completedOnTime"::int,
         s * f."completionDateUnknown"::int, s * f."inAnnualPlan"::int, s * (f."inAnnualPlan" AND f."fundsThisYear" IS NULL)::int,
         CASE WHEN f."inAnnualPlan" THEN s * coalesce(f."annualPlan", 0) ELSE 0 END,
         CASE WHEN f."inAnnualPlan" THEN s * f."completedThisYear" ELSE 0 END,
         CASE WHEN f."inAnnualPlan" THEN s * coalesce(f."fundsThisYear", 0) ELSE 0 END,
         CASE WHEN f."inAnnualPlan" AND f."paymentsThisYear" IS NOT NULL THEN s * f."completedThisYear" ELSE 0 END,
         CASE WHEN f."inAnnualPlan" THEN s * coalesce(f."paymentsThisYear", 0) ELSE 0 END,
         s * f."confidenceFlagged"::int, s * (f.light = 'RED')::int, s * (f.light = 'YELLOW')::int
    FROM (SELECT v.dim, v.key FROM (VALUES ('all', ''), ('light', f.light::text), ('stage', f."lifecycleStage"::text), ('column', f."columnId"::text),
                                         ('sector', coalesce(f."sectorCode", '')), ('owner', coalesce(f."ownerOrgId"::text, '')),
                                         ('asOf', to_char(f."asOf", 'YYYY-MM-DD'))) v(dim, key)
           WHERE county IS NULL
          UNION ALL SELECT 'county', county WHERE county IS NOT NULL) d
$$;

-- Every share of a fact: the library's dimensions and each county it lies in.
CREATE FUNCTION "portfolio_fact_shares"(f "PortfolioFact", s integer, less numeric DEFAULT 0)
RETURNS TABLE (dim text, key text, shard smallint, count bigint, planned numeric, total numeric, completed numeric,
  "dueToStart" bigint, started bigint, "dueToComplete" bigint, "onTime" bigint, "completionDateUnknown" bigint,
  "inAnnualPlan" bigint, "withoutFunds" bigint, "annualPlan" numeric, "completedThisYear" numeric, funds numeric,
  "evWithPayments" numeric, payments numeric, "confidenceFlagged" bigint, red bigint, yellow bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sh.* FROM (SELECT NULL::text AS code UNION ALL SELECT pl."divisionCode" FROM "ProjectLocation" pl WHERE pl."projectId" = f.id) c
    CROSS JOIN LATERAL "portfolio_fact_share"(f, s, c.code, less) sh
$$;

-- The statement that adds `deltas` (rows shaped as portfolio_fact_share's) to the rollup. Only
-- keys whose sums change are written, in key order, so concurrent writers cannot deadlock on them.
CREATE FUNCTION "portfolio_rollup_upsert"(deltas text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    INSERT INTO "PortfolioRollup" AS t (dim, key, shard, count, planned, total, completed, "dueToStart", started, "dueToComplete", "onTime",
      "completionDateUnknown", "inAnnualPlan", "withoutFunds", "annualPlan", "completedThisYear", funds, "evWithPayments", payments,
      "confidenceFlagged", red, yellow)
    SELECT dim, key, shard, sum(count), sum(planned), sum(total), sum(completed), sum("dueToStart"), sum(started), sum("dueToComplete"), sum("onTime"),
           sum("completionDateUnknown"), sum("inAnnualPlan"), sum("withoutFunds"), sum("annualPlan"), sum("completedThisYear"), sum(funds),
           sum("evWithPayments"), sum(payments), sum("confidenceFlagged"), sum(red), sum(yellow)
      FROM (%s) d
     GROUP BY 1, 2, 3
    HAVING sum(count) <> 0 OR sum(planned) <> 0 OR sum(total) <> 0 OR sum(completed) <> 0 OR sum("dueToStart") <> 0 OR sum(started) <> 0
        OR sum("dueToComplete") <> 0 OR sum("onTime") <> 0 OR sum("completionDateUnknown") <> 0 OR sum("inAnnualPlan") <> 0 OR sum("withoutFunds") <> 0
        OR sum("annualPlan") <> 0 OR sum("completedThisYear") <> 0 OR sum(funds) <> 0 OR sum("evWithPayments") <> 0 OR sum(payments) <> 0
        OR sum("confidenceFlagged") <> 0 OR sum(red) <> 0 OR sum(yellow) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT (dim, key, shard) DO UPDATE SET count = t.count + EXCLUDED.count, planned = t.planned + EXCLUDED.planned,
      total = t.total + EXCLUDED.total, completed = t.completed + EXCLUDED.completed, "dueToStart" = t."dueToStart" + EXCLUDED."dueToStart",
      started = t.started + EXCLUDED.started, "dueToComplete" = t."dueToComplete" + EXCLUDED."dueToComplete", "onTime" = t."onTime" + EXCLUDED."onTime",
      "completionDateUnknown" = t."completionDateUnknown" + EXCLUDED."completionDateUnknown", "inAnnualPlan" = t."inAnnualPlan" + EXCLUDED."inAnnualPlan",
      "withoutFunds" = t."withoutFunds" + EXCLUDED."withoutFunds", "annualPlan" = t."annualPlan" + EXCLUDED."annualPlan",
      "completedThisYear" = t."completedThisYear" + EXCLUDED."completedThisYear", funds = t.funds + EXCLUDED.funds,
      "evWithPayments" = t."evWithPayments" + EXCLUDED."evWithPayments", payments = t.payments + EXCLUDED.payments,
      "confidenceFlagged" = t."confidenceFlagged" + EXCLUDED."confidenceFlagged", red = t.red + EXCLUDED.red, yellow = t.yellow + EXCLUDED.yellow
  $q$, deltas)
$f$;

-- A fact written, changed or deleted: its shares move (each branch names only the transition
-- tables its event has; dynamic SQL sees them as the trigger's own statements do). A transition
-- table's row is a plain record: ROW(n.*) casts it to the table's type.
CREATE FUNCTION "portfolio_rollup_fact"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "PortfolioRollup";
    RETURN NULL;
  END IF;
  src := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT ROW(n.*)::"PortfolioFact" AS f, 1 AS s FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT ROW(o.*)::"PortfolioFact" AS f, -1 AS s FROM old_rows o'
    ELSE 'SELECT ROW(n.*)::"PortfolioFact" AS f, 1 AS s FROM new_rows n UNION ALL SELECT ROW(o.*)::"PortfolioFact", -1 FROM old_rows o' END;
  EXECUTE "portfolio_rollup_upsert"(format('SELECT sh.* FROM (%s) x CROSS JOIN LATERAL "portfolio_fact_shares"(x.f, x.s) sh', src));
  RETURN NULL;
END $$;

-- A project's counties changed: its fact's share moves between counties. The project's light row
-- is locked first, as every writer of its fact locks it (lib/portfolio/lights.ts), so a fact
-- written concurrently is either seen here or sees this change.
CREATE FUNCTION "portfolio_rollup_location"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "PortfolioRollup" WHERE dim = 'county';
    RETURN NULL;
  END IF;
  src := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT "projectId", "divisionCode", 1 AS s FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT "projectId", "divisionCode", -1 AS s FROM old_rows'
    ELSE 'SELECT "projectId", "divisionCode", 1 AS s FROM new_rows UNION ALL SELECT "projectId", "divisionCode", -1 FROM old_rows' END;
  EXECUTE format('SELECT 1 FROM "ProjectLight" WHERE "projectId" IN (SELECT "projectId" FROM (%s) x) ORDER BY "projectId" FOR UPDATE', src);
  EXECUTE "portfolio_rollup_upsert"(format(
    'SELECT sh.* FROM (%s) x JOIN "PortfolioFact" f ON f.id = x."projectId" CROSS JOIN LATERAL "portfolio_fact_share"(f, x.s, x."divisionCode") sh', src));
  RETURN NULL;
END $$;

-- Funds by source: 'planned' from ProjectFunding, 'inPlace' (this year's) from PortfolioFactFunds.
CREATE FUNCTION "portfolio_funds_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := TG_ARGV[0];
  src text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "PortfolioFundsRollup" r WHERE r.kind = TG_ARGV[0];
    RETURN NULL;
  END IF;
  src := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT "projectId", "sourceCode", amount FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT "projectId", "sourceCode", -amount FROM old_rows'
    ELSE 'SELECT "projectId", "sourceCode", amount FROM new_rows UNION ALL SELECT "projectId", "sourceCode", -amount FROM old_rows' END;
  EXECUTE format($q$
    INSERT INTO "PortfolioFundsRollup" AS t (kind, "sourceCode", shard, amount)
    SELECT %L, d."sourceCode", "project_totals_shard"(d."projectId"), sum(d.amount) FROM (%s) d("projectId", "sourceCode", amount)
     GROUP BY 2, 3 HAVING sum(d.amount) <> 0 ORDER BY 2, 3
    ON CONFLICT (kind, "sourceCode", shard) DO UPDATE SET amount = t.amount + EXCLUDED.amount$q$, kind, src);
  RETURN NULL;
END $$;

CREATE TRIGGER "PortfolioFact_rollup_ins" AFTER INSERT ON "PortfolioFact" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_fact"();
CREATE TRIGGER "PortfolioFact_rollup_upd" AFTER UPDATE ON "PortfolioFact" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_fact"();
CREATE TRIGGER "PortfolioFact_rollup_del" AFTER DELETE ON "PortfolioFact" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_fact"();
CREATE TRIGGER "PortfolioFact_rollup_truncate" AFTER TRUNCATE ON "PortfolioFact" FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_fact"();

CREATE TRIGGER "ProjectLocation_rollup_ins" AFTER INSERT ON "ProjectLocation" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_location"();
CREATE TRIGGER "ProjectLocation_rollup_upd" AFTER UPDATE ON "ProjectLocation" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_location"();
CREATE TRIGGER "ProjectLocation_rollup_del" AFTER DELETE ON "ProjectLocation" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_location"();
CREATE TRIGGER "ProjectLocation_rollup_truncate" AFTER TRUNCATE ON "ProjectLocation" FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_rollup_location"();

CREATE TRIGGER "ProjectFunding_rollup_ins" AFTER INSERT ON "ProjectFunding" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('planned');
CREATE TRIGGER "ProjectFunding_rollup_upd" AFTER UPDATE ON "ProjectFunding" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('planned');
CREATE TRIGGER "ProjectFunding_rollup_del" AFTER DELETE ON "ProjectFunding" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('planned');
CREATE TRIGGER "ProjectFunding_rollup_truncate" AFTER TRUNCATE ON "ProjectFunding" FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('planned');

CREATE TRIGGER "PortfolioFactFunds_rollup_ins" AFTER INSERT ON "PortfolioFactFunds" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('inPlace');
CREATE TRIGGER "PortfolioFactFunds_rollup_upd" AFTER UPDATE ON "PortfolioFactFunds" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('inPlace');
CREATE TRIGGER "PortfolioFactFunds_rollup_del" AFTER DELETE ON "PortfolioFactFunds" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('inPlace');
CREATE TRIGGER "PortfolioFactFunds_rollup_truncate" AFTER TRUNCATE ON "PortfolioFactFunds" FOR EACH STATEMENT EXECUTE FUNCTION "portfolio_funds_apply"('inPlace');

-- What is there already.
DO $$ BEGIN
  EXECUTE "portfolio_rollup_upsert"('SELECT sh.* FROM "PortfolioFact" f CROSS JOIN LATERAL "portfolio_fact_shares"(f, 1) sh');
END $$;
INSERT INTO "PortfolioFundsRollup" (kind, "sourceCode", shard, amount)
  SELECT 'planned', "sourceCode", "project_totals_shard"("projectId"), sum(amount) FROM "ProjectFunding" GROUP BY 2, 3;
INSERT INTO "PortfolioFundsRollup" (kind, "sourceCode", shard, amount)
  SELECT 'inPlace', "sourceCode", "project_totals_shard"("projectId"), sum(amount) FROM "PortfolioFactFunds" GROUP BY 2, 3;
