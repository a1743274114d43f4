-- Project display names, the plan's own words, pending counties, and whitespace/width-insensitive
-- search (docs/decisions/0022, docs/database-triggers.md).

-- AlterTable
ALTER TABLE "Project" ADD COLUMN "planName" TEXT,
ADD COLUMN "countyPending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '';

-- The one search key, mirrored by lib/domain/search-key.ts (a property test checks they agree):
-- NFKC (full-width letters, digits and punctuation become half-width; U+3000 becomes a space),
-- then every whitespace character (the same explicit list as the TypeScript) is removed, then
-- ASCII A-Z is lowered (lower() would depend on the database's collation). NULL stays NULL.
CREATE OR REPLACE FUNCTION zunyi_search_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(
    regexp_replace(normalize(value, NFKC), '[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]', '', 'g'),
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
$$;

-- A project is found by its display name, the plan's words, 规划编号 and 项目代码. The parts are
-- joined by a newline, which no key contains, so a match never spans two fields.
CREATE OR REPLACE FUNCTION project_search_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := concat_ws(E'\n',
    zunyi_search_key(NEW.name), zunyi_search_key(NEW."planName"),
    zunyi_search_key(NEW."planKey"), zunyi_search_key(NEW."projectCode"));
  RETURN NEW;
END
$$;

CREATE TRIGGER "Project_search_text"
  BEFORE INSERT OR UPDATE OF name, "planName", "planKey", "projectCode", "searchText" ON "Project"
  FOR EACH ROW EXECUTE FUNCTION project_search_text();

CREATE OR REPLACE FUNCTION organization_search_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := zunyi_search_key(NEW.name);
  RETURN NEW;
END
$$;

CREATE TRIGGER "Organization_search_text"
  BEFORE INSERT OR UPDATE OF name, "searchText" ON "Organization"
  FOR EACH ROW EXECUTE FUNCTION organization_search_text();

-- Existing plan projects: their name so far is the plan's words. The seed then writes the display
-- names by plan key (prisma/seed/seed-plan.ts), in place, so nothing entered is lost.
UPDATE "Project" SET "planName" = name WHERE "planKey" IS NOT NULL AND "planName" IS NULL;
-- Fires the triggers above for every existing row.
UPDATE "Project" SET "searchText" = '';
UPDATE "Organization" SET "searchText" = '';

-- CreateIndex
CREATE INDEX "Project_searchText_trgm_idx" ON "Project" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Organization_searchText_trgm_idx" ON "Organization" USING GIN ("searchText" gin_trgm_ops);
