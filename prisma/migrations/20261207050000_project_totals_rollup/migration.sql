-- The library's totals (count, planned, total and completed investment) per approval state, kept
-- by the database (docs/decisions/0042-library-totals-rollup.md; issue 21 §5): the project table
-- of a reader who sees every accepted project reads 16 rows instead of scanning the library
-- (569 ms at 1M projects). Sixteen shards per state (by the project id's hash), so concurrent
-- writers of different projects rarely wait on the same row.

-- CreateTable
CREATE TABLE "ProjectTotalsRollup" (
    "approval" "ProjectApproval" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "planned" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "total" DECIMAL(24,4) NOT NULL DEFAULT 0,
    "completed" DECIMAL(24,4) NOT NULL DEFAULT 0,

    CONSTRAINT "ProjectTotalsRollup_pkey" PRIMARY KEY ("approval","shard")
);

-- A project's shard: fixed for its life (its id never changes).
CREATE FUNCTION "project_totals_shard"(id uuid) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (abs(hashtext(id::text)) % 16)::smallint
$$;

-- By delta, like portfolio_month_apply (migration dashboard_rollups): new rows add, old rows
-- subtract, so the registry, imports, approvals (a project's approval state moves it between
-- rows), returns updating completedInvestment, SQL by hand and deletions all count. Only rows
-- whose sums change are written, in key order, so concurrent writers cannot deadlock on them.
CREATE FUNCTION "project_totals_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its event has.
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "ProjectTotalsRollup";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "ProjectTotalsRollup" AS t (approval, shard, count, planned, total, completed)
      SELECT approval, "project_totals_shard"(id), count(*), coalesce(sum("plannedInvestment"), 0), coalesce(sum("totalInvestment"), 0), coalesce(sum("completedInvestment"), 0)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (approval, shard) DO UPDATE SET count = t.count + EXCLUDED.count, planned = t.planned + EXCLUDED.planned,
      total = t.total + EXCLUDED.total, completed = t.completed + EXCLUDED.completed;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "ProjectTotalsRollup" AS t (approval, shard, count, planned, total, completed)
      SELECT approval, "project_totals_shard"(id), -count(*), -coalesce(sum("plannedInvestment"), 0), -coalesce(sum("totalInvestment"), 0), -coalesce(sum("completedInvestment"), 0)
        FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (approval, shard) DO UPDATE SET count = t.count + EXCLUDED.count, planned = t.planned + EXCLUDED.planned,
      total = t.total + EXCLUDED.total, completed = t.completed + EXCLUDED.completed;
  ELSE
    INSERT INTO "ProjectTotalsRollup" AS t (approval, shard, count, planned, total, completed)
      SELECT approval, shard, sum(n), sum(pl), sum(tot), sum(co) FROM (
        SELECT approval, "project_totals_shard"(id) AS shard, 1 AS n, coalesce("plannedInvestment", 0) AS pl, coalesce("totalInvestment", 0) AS tot, "completedInvestment" AS co FROM new_rows
        UNION ALL
        SELECT approval, "project_totals_shard"(id), -1, -coalesce("plannedInvestment", 0), -coalesce("totalInvestment", 0), -"completedInvestment" FROM old_rows) d
       GROUP BY 1, 2 HAVING sum(n) <> 0 OR sum(pl) <> 0 OR sum(tot) <> 0 OR sum(co) <> 0 ORDER BY 1, 2
    ON CONFLICT (approval, shard) DO UPDATE SET count = t.count + EXCLUDED.count, planned = t.planned + EXCLUDED.planned,
      total = t.total + EXCLUDED.total, completed = t.completed + EXCLUDED.completed;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Project_totals_ins" AFTER INSERT ON "Project" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_totals_apply"();
CREATE TRIGGER "Project_totals_upd" AFTER UPDATE ON "Project" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_totals_apply"();
CREATE TRIGGER "Project_totals_del" AFTER DELETE ON "Project" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "project_totals_apply"();
CREATE TRIGGER "Project_totals_truncate" AFTER TRUNCATE ON "Project" FOR EACH STATEMENT EXECUTE FUNCTION "project_totals_apply"();

INSERT INTO "ProjectTotalsRollup" (approval, shard, count, planned, total, completed)
  SELECT approval, "project_totals_shard"(id), count(*), coalesce(sum("plannedInvestment"), 0), coalesce(sum("totalInvestment"), 0), coalesce(sum("completedInvestment"), 0)
    FROM "Project" GROUP BY 1, 2;
