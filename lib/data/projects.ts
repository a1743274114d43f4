// Reads of the project library: the server-side table (filters, sorting, totals, export) and
// the project page. Every function takes the acting user and scopes to what it may see.
import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { ProjectListQuery, ProjectSortId } from "@/lib/validations/project-list";
import { NO_PROJECT, projectReach, projectSql, projectWhere, wholeApprovalScope } from "@/lib/policy";
import { lightsForReading } from "@/lib/portfolio/lights";
import { resolvePlan } from "@/lib/plans/plans";
import { planProjectIdsSql } from "@/lib/plans/sql";
import { searchKeyPattern } from "@/lib/domain/search-key";
import { withDetails } from "@/lib/audit/events";
import { cachedAggregate, scopeKey } from "@/lib/cache/aggregates";
import { dataVersion } from "@/lib/cache/data-version";


/**
 * The table's filters as a SQL condition on `p` (the "Project" alias); values are already
 * whitelisted by lib/validations/project-list.ts and are passed as parameters, never spliced.
 * null = no filter at all.
 */
export function projectFilterSql(query: ProjectListQuery, planId: string | null = null): Prisma.Sql | null {
  const and: Prisma.Sql[] = [];
  const pattern = query.q ? searchKeyPattern(query.q) : null;
  if (pattern) {
    // Whitespace- and width-insensitive substring match (docs/decisions/0022) on the project's
    // searchText (display name, plan words, 规划编号, 项目代码) or its owner unit's name; both
    // columns have trigram indexes, and the owner part is an InitPlan of organization ids.
    and.push(Prisma.sql`(p."searchText" LIKE ${pattern} OR p."ownerOrgId" = ANY(ARRAY(SELECT so.id FROM "Organization" so WHERE so."searchText" LIKE ${pattern})))`);
  }
  if (planId === null) {
    if (query.column?.length) and.push(Prisma.sql`p."columnId" IN (SELECT id FROM "PlanColumn" WHERE number = ANY(${query.column}::int[]))`);
    if (query.programme?.length) and.push(Prisma.sql`p."programmeId" IN (SELECT id FROM "Programme" WHERE key = ANY(${query.programme}::text[]))`);
  } else {
    // Several plans: the 专栏 and 子工程 of the plan shown, for a continued project the ones that
    // plan gives it (PlanContinuation); a loaded plan's programme keys are stored "<planId>/<key>".
    if (query.column?.length) {
      const columns = Prisma.sql`(SELECT id FROM "PlanColumn" WHERE "planId" = ${planId} AND number = ANY(${query.column}::int[]))`;
      and.push(Prisma.sql`(p."columnId" IN ${columns} OR p.id IN (SELECT "projectId" FROM "PlanContinuation" WHERE "planId" = ${planId} AND "columnId" IN ${columns}))`);
    }
    if (query.programme?.length) {
      const programmes = Prisma.sql`(SELECT g.id FROM "Programme" g JOIN "PlanColumn" gc ON gc.id = g."columnId"
        WHERE gc."planId" = ${planId} AND (CASE WHEN position('/' in g.key) > 0 THEN split_part(g.key, '/', 2) ELSE g.key END) = ANY(${query.programme}::text[]))`;
      and.push(Prisma.sql`(p."programmeId" IN ${programmes} OR p.id IN (SELECT "projectId" FROM "PlanContinuation" WHERE "planId" = ${planId} AND "programmeId" IN ${programmes}))`);
    }
  }
  if (query.county?.length) {
    and.push(Prisma.sql`EXISTS (SELECT 1 FROM "ProjectLocation" fl WHERE fl."projectId" = p.id AND fl."divisionCode" = ANY(${query.county}::text[]))`);
  }
  if (query.sector?.length) and.push(Prisma.sql`p."sectorCode" = ANY(${query.sector}::text[])`);
  if (query.stage?.length) and.push(Prisma.sql`p."lifecycleStage"::text = ANY(${query.stage}::text[])`);
  if (query.target?.length) and.push(Prisma.sql`p."targetStage2025"::text = ANY(${query.target}::text[])`);
  if (query.owner?.length) and.push(Prisma.sql`p."ownerOrgId" = ANY(${query.owner}::uuid[])`);
  if (query.funding?.length) {
    and.push(Prisma.sql`EXISTS (SELECT 1 FROM "ProjectFunding" ff WHERE ff."projectId" = p.id AND ff."sourceCode" = ANY(${query.funding}::text[]))`);
  }
  if (query.budget === "has") and.push(Prisma.sql`p."plannedInvestment" IS NOT NULL`);
  if (query.budget === "missing") and.push(Prisma.sql`p."plannedInvestment" IS NULL`);
  if (query.demo === "yes") and.push(Prisma.sql`cardinality(p."demoFields") > 0`);
  if (query.demo === "no") and.push(Prisma.sql`coalesce(cardinality(p."demoFields"), 0) = 0`);
  if (query.light?.length) {
    and.push(Prisma.sql`EXISTS (SELECT 1 FROM "ProjectLight" fl WHERE fl."projectId" = p.id AND fl.light::text = ANY(${query.light}::text[]))`);
  }
  return and.length ? Prisma.join(and, " AND ") : null;
}

const DIRECTION = { asc: Prisma.sql`ASC`, desc: Prisma.sql`DESC` } as const;

/** ORDER BY for each whitelisted sort id; nullable columns put blanks (未填报) last either way. */
const SORTS: Record<ProjectSortId, (d: Prisma.Sql) => Prisma.Sql> = {
  planKey: (d) => Prisma.sql`p."planKey" ${d} NULLS LAST`,
  name: (d) => Prisma.sql`p.name ${d}`,
  column: (d) => Prisma.sql`(SELECT number FROM "PlanColumn" sc WHERE sc.id = p."columnId") ${d}`,
  plannedInvestment: (d) => Prisma.sql`p."plannedInvestment" ${d} NULLS LAST`,
  totalInvestment: (d) => Prisma.sql`p."totalInvestment" ${d} NULLS LAST`,
  plannedStart: (d) => Prisma.sql`p."plannedStart" ${d} NULLS LAST`,
  plannedCompletion: (d) => Prisma.sql`p."plannedCompletion" ${d} NULLS LAST`,
  lifecycleStage: (d) => Prisma.sql`p."lifecycleStage" ${d}`,
  targetStage2025: (d) => Prisma.sql`p."targetStage2025" ${d}`,
  updatedAt: (d) => Prisma.sql`p."updatedAt" ${d}`,
};

/** The table's order when the query names none: 规划编号 ascending. */
const DEFAULT_SORT = { id: "planKey", direction: "asc" } as const;

function orderBySql(query: ProjectListQuery): Prisma.Sql {
  const sort = query.sort ?? DEFAULT_SORT;
  // The id breaks ties so pages never overlap or skip rows.
  return Prisma.sql`${SORTS[sort.id](DIRECTION[sort.direction])}, p.id`;
}

export const listSelect = {
  id: true,
  planKey: true,
  projectCode: true,
  name: true,
  targetStage2025: true,
  lifecycleStage: true,
  plannedStart: true,
  plannedCompletion: true,
  plannedInvestment: true,
  totalInvestment: true,
  completedInvestment: true,
  deliveryConfidence: true,
  demoFields: true,
  countyPending: true,
  approval: true,
  column: { select: { number: true, title: true } },
  programme: { select: { name: true } },
  sector: { select: { code: true, nameZh: true, nameEn: true } },
  locations: { select: { division: { select: { code: true, name: true } } }, orderBy: { division: { sortOrder: "asc" } } },
  ownerOrg: { select: { id: true, name: true } },
  // Figures submitted but not yet approved: shown apart and marked, never added to the approved total.
  monthlyReturns: { where: { status: "SUBMITTED" }, select: { completedInvestment: true } },
  trafficLight: { select: { light: true } },
} satisfies Prisma.ProjectSelect;

/**
 * The scope and filters as one SQL condition (null = the user sees no project at all) and
 * whether it narrows the library.
 */
interface ScopedCondition {
  where: Prisma.Sql;
  narrowed: boolean;
  /** The library's whole approval states this condition selects, when the database keeps their totals (ProjectTotalsRollup). */
  rollup: "accepted" | "every" | null;
}

async function scopedCondition(actor: CurrentUser, query: ProjectListQuery): Promise<ScopedCondition | null> {
  await assertPermission(actor, ...READ_PROJECTS);
  // The light is computed server-side and stored; bring out-of-date rows up to today before
  // filtering or showing it.
  if (query.light?.length || query.cols?.includes("trafficLight")) await lightsForReading();
  const scope = projectSql(actor);
  if (!scope) return null;
  // With several plans loaded, the table shows one plan's projects (the asked one, else the current
  // one by date); with one plan, no condition (docs/decisions/0028).
  const resolved = await resolvePlan(query.plan);
  const planFilter = resolved?.several ? Prisma.sql`p.id IN ${planProjectIdsSql(resolved.plan.id)}` : null;
  const tableFilter = projectFilterSql(query, resolved?.several ? resolved.plan.id : null);
  const filter = planFilter && tableFilter ? Prisma.sql`${planFilter} AND ${tableFilter}` : (planFilter ?? tableFilter);
  const everything = !filter && projectReach(actor, "read") === "all";
  return { where: filter ? Prisma.sql`${scope} AND ${filter}` : scope, narrowed: !everything, rollup: filter ? null : wholeApprovalScope(actor, "read") };
}

export interface ProjectTotals {
  count: number;
  totalInvestment: string;
  plannedInvestment: string;
  completedInvestment: string;
}

type TotalsRow = { count: bigint; planned: Prisma.Decimal | null; total: Prisma.Decimal | null; completed: Prisma.Decimal | null };
const TOTALS = Prisma.sql`count(*) AS count, sum("plannedInvestment") AS planned, sum("totalInvestment") AS total, sum("completedInvestment") AS completed`;

/** The columns the sorts and totals read (the materialized set stays narrow). */
const SORTABLE = Prisma.sql`p.id, p."planKey", p.name, p."columnId", p."plannedInvestment", p."totalInvestment", p."completedInvestment",
  p."plannedStart", p."plannedCompletion", p."lifecycleStage", p."targetStage2025", p."updatedAt"`;

/**
 * The table counts a filtered set only up to this many matches; beyond it the page says "more than
 * 2,000" and leaves the sums to an explicit request (`totals=exact`), because counting and summing
 * every match is what made a filtered page cost 250–300 ms at 1,000,000 projects (docs/decisions/0043).
 */
export const COUNT_CAP = 2000;

/**
 * A page past the cap's rows of a large set is first looked for by walking the sort's index through
 * at most this many projects (a dense set's page is found there); a sparse set's is not, and the page
 * is then read from the set fenced off and counted in full (docs/decisions/0043).
 */
export const WALK_LIMIT = 20_000;

/**
 * The sorts an index serves in the table's order (migrations: Project_planKey_id_idx and the two
 * plannedInvestment indexes). Only these are walked: any other sort would sort the whole library first.
 */
export const WALKABLE_SORTS: ReadonlySet<string> = new Set(["planKey.asc", "plannedInvestment.asc", "plannedInvestment.desc"]);

function walkable(query: ProjectListQuery): boolean {
  const sort = query.sort ?? DEFAULT_SORT;
  return WALKABLE_SORTS.has(`${sort.id}.${sort.direction}`);
}

interface IdsPage {
  ids: string[];
  /** The filtered set's count and sums, or null when it has more than the cap and they were not asked for. */
  totals: TotalsRow | null;
  /** Whether a row follows this page. */
  hasNext: boolean;
}

/**
 * One page of ids in the table's order and the totals of the whole filtered set.
 * - The whole library: the page walks the sort's index and the totals read the covering index,
 *   in parallel; the scope then only leaves out the few projects not accepted (docs/decisions/0031).
 * - A filtered set (county, column, search, an owner's or county's scope ...): the set is found
 *   once (bitmap and trigram indexes) and fenced off as a materialized CTE, then counted, summed
 *   and sorted there. Without the fence the planner walks the sort index through the whole
 *   library probing each row against the filter (200 ms at 100k projects for a 1% filter).
 * - With a cap (the table's page), the fence stops at cap + 1 matches: a set within the cap is
 *   counted, summed and paged there as above; a larger one is paged by a plain statement, which
 *   the planner may serve by walking the sort's index (the set is then known to be common), and
 *   is neither counted nor summed (docs/decisions/0043).
 */
async function pageOfIds(condition: ScopedCondition, query: ProjectListQuery, db: PrismaClient, cap: number | null, walkLimit: number): Promise<IdsPage> {
  const order = orderBySql(query);
  const offset = (query.page - 1) * query.perPage;
  if (cap !== null && condition.narrowed && offset + query.perPage > cap) {
    // A page past the cap's rows: walk the sort's index through at most `walkLimit` projects,
    // testing each against the filter, and stop at the page's last row plus one. Found there, the
    // set is known to be larger than the cap (it has more rows than this page's end) and is not
    // counted. Not found (a sparse set, or the page is at or past its end), the set is fenced off
    // and counted in full below: that costs what its matches cost, where a plain OFFSET statement
    // could walk the whole library (3 s at 1M, bench/RESULTS.md 2026-12-07 16:46).
    // Each row of the walk is a heap fetch in the sort's order (~5 µs warm, more cold, at 1M), so the
    // walk stops at the page's end; the subquery's order is kept by the scans above it (no sort there).
    const walk = !walkable(query) ? [] : await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM (
        SELECT id, row_number() OVER () AS n FROM (
          SELECT p.id, (${condition.where}) AS m FROM "Project" p ORDER BY ${order} LIMIT ${walkLimit}
        ) w WHERE m LIMIT ${offset + query.perPage + 1}
      ) x WHERE n > ${offset} ORDER BY n`;
    if (walk.length > query.perPage) return { ids: walk.slice(0, query.perPage).map((r) => r.id), totals: null, hasNext: true };
    cap = null;
  }
  const withNext = (ids: string[], totals: TotalsRow): IdsPage => ({ ids, totals, hasNext: offset + ids.length < Number(totals.count) });
  if (!condition.narrowed) {
    // Whole approval states: their totals are kept by the database (16 rows, docs/decisions/0042);
    // any other unnarrowed scope reads the covering index.
    const totalsSql = condition.rollup
      ? Prisma.sql`SELECT coalesce(sum(count), 0)::bigint AS count, sum(planned) AS planned, sum(total) AS total, sum(completed) AS completed
          FROM "ProjectTotalsRollup" ${condition.rollup === "accepted" ? Prisma.sql`WHERE approval = 'ACCEPTED'` : Prisma.empty}`
      : Prisma.sql`SELECT ${TOTALS} FROM "Project" p WHERE ${condition.where}`;
    const [ids, [totals]] = await Promise.all([
      db.$queryRaw<{ id: string }[]>`SELECT p.id FROM "Project" p WHERE ${condition.where} ORDER BY ${order} LIMIT ${query.perPage} OFFSET ${offset}`,
      db.$queryRaw<TotalsRow[]>(totalsSql),
    ]);
    return withNext(ids.map((r) => r.id), totals!);
  }
  const limit = cap === null ? Prisma.empty : Prisma.sql`LIMIT ${cap + 1}`;
  const [row] = await db.$queryRaw<(TotalsRow & { ids: string[] | null })[]>`
    WITH f AS MATERIALIZED (SELECT ${SORTABLE} FROM "Project" p WHERE ${condition.where} ${limit})
    SELECT ${TOTALS}, CASE WHEN ${cap === null ? Prisma.sql`TRUE` : Prisma.sql`count(*) <= ${cap}`}
      THEN (SELECT array_agg(x.id) FROM (SELECT p.id FROM f p ORDER BY ${order} LIMIT ${query.perPage} OFFSET ${offset}) x) END AS ids FROM f`;
  if (cap === null || Number(row!.count) <= cap) return withNext(row!.ids ?? [], row!);
  const ids = await db.$queryRaw<{ id: string }[]>`SELECT p.id FROM "Project" p WHERE ${condition.where} ORDER BY ${order} LIMIT ${query.perPage + 1} OFFSET ${offset}`;
  return { ids: ids.slice(0, query.perPage).map((r) => r.id), totals: null, hasNext: ids.length > query.perPage };
}

export type ProjectListRow = Prisma.ProjectGetPayload<{ select: typeof listSelect }>;

type ListRowSql = Omit<ProjectListRow, "column" | "programme" | "sector" | "locations" | "ownerOrg" | "monthlyReturns" | "trafficLight"> & {
  columnNumber: number;
  columnTitle: string;
  programmeName: string;
  sectorCode: string | null;
  sectorNameZh: string | null;
  sectorNameEn: string | null;
  ownerId: string | null;
  ownerName: string | null;
  light: string | null;
  locations: { code: string; name: string }[];
  submitted: Prisma.Decimal[];
};

/**
 * Rows with their relations for the given ids, in the ids' order: `listSelect`'s shape in one
 * statement (joins, the counties and the submitted figures as subqueries) instead of Prisma's eight,
 * whose round trips were most of a page's time (bench/RESULTS.md 2026-12-07 14:38).
 * tests/integration/project-list.test.ts checks it equals Prisma's findMany with `listSelect`.
 */
async function rowsFor(ids: string[], db: PrismaClient = prisma): Promise<ProjectListRow[]> {
  if (!ids.length) return [];
  const rows = await db.$queryRaw<ListRowSql[]>`
    SELECT p.id, p."planKey", p."projectCode", p.name, p."targetStage2025"::text AS "targetStage2025", p."lifecycleStage"::text AS "lifecycleStage",
           p."plannedStart", p."plannedCompletion", p."plannedInvestment", p."totalInvestment", p."completedInvestment",
           p."deliveryConfidence"::text AS "deliveryConfidence", p."demoFields", p."countyPending", p.approval::text AS approval,
           c.number AS "columnNumber", c.title AS "columnTitle", g.name AS "programmeName",
           s.code AS "sectorCode", s."nameZh" AS "sectorNameZh", s."nameEn" AS "sectorNameEn", o.id AS "ownerId", o.name AS "ownerName",
           l.light::text AS light,
           (SELECT coalesce(json_agg(json_build_object('code', d.code, 'name', d.name) ORDER BY d."sortOrder"), '[]'::json)
              FROM "ProjectLocation" pl JOIN "AdminDivision" d ON d.code = pl."divisionCode" WHERE pl."projectId" = p.id) AS locations,
           ARRAY(SELECT m."completedInvestment" FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.status = 'SUBMITTED' ORDER BY m.period) AS submitted
      FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS x(id, n)
      JOIN "Project" p ON p.id = x.id
      JOIN "PlanColumn" c ON c.id = p."columnId"
      JOIN "Programme" g ON g.id = p."programmeId"
      LEFT JOIN "Sector" s ON s.code = p."sectorCode"
      LEFT JOIN "Organization" o ON o.id = p."ownerOrgId"
      LEFT JOIN "ProjectLight" l ON l."projectId" = p.id
     ORDER BY x.n`;
  return rows.map(({ columnNumber, columnTitle, programmeName, sectorCode, sectorNameZh, sectorNameEn, ownerId, ownerName, light, locations, submitted, ...row }) => ({
    ...row,
    column: { number: columnNumber, title: columnTitle },
    programme: { name: programmeName },
    sector: sectorCode === null ? null : { code: sectorCode, nameZh: sectorNameZh!, nameEn: sectorNameEn! },
    locations: locations.map((division) => ({ division })),
    ownerOrg: ownerId === null ? null : { id: ownerId, name: ownerName! },
    monthlyReturns: submitted.map((completedInvestment) => ({ completedInvestment })),
    trafficLight: light === null ? null : { light: light as NonNullable<ProjectListRow["trafficLight"]>["light"] },
  }));
}

/**
 * One page of the table and the totals of the filtered set. `db` is where the rows are read: the
 * table itself reads the primary (a user sees what they just wrote); the read API passes the read
 * replica's client (readReplica.read, docs/decisions/0023). The scope is decided on the primary.
 * Exact count and sums always; the table's own page uses listProjectPage (counted up to a cap).
 */
export async function listProjects(actor: CurrentUser, query: ProjectListQuery, db: PrismaClient = prisma) {
  const page = await listPage(actor, query, db, null, WALK_LIMIT);
  if (!page.totals) throw new Error("listProjects: an uncapped list always has its totals");
  return { ...page, totals: page.totals, total: page.totals.count };
}

/**
 * The table's page: a filtered set of more than `cap` projects (COUNT_CAP) is neither counted
 * nor summed unless the query asks for it (`totals=exact`); `total` is then the cap, a lower bound,
 * and `pageCount` null (docs/decisions/0043). A page past the cap's rows is found by a bounded
 * walk (`walkLimit`, WALK_LIMIT) or else counted and summed exactly (see pageOfIds).
 */
export async function listProjectPage(actor: CurrentUser, query: ProjectListQuery, cap: number = COUNT_CAP, walkLimit: number = WALK_LIMIT) {
  return listPage(actor, query, prisma, query.totals === "exact" ? null : cap, walkLimit);
}

async function listPage(actor: CurrentUser, query: ProjectListQuery, db: PrismaClient, cap: number | null, walkLimit: number) {
  const condition = await scopedCondition(actor, query);
  const empty: ProjectTotals = { count: 0, totalInvestment: "0", plannedInvestment: "0", completedInvestment: "0" };
  if (!condition) return { rows: [], total: 0, capped: false, hasNext: false, page: 1, perPage: query.perPage, pageCount: 1 as number | null, totals: empty as ProjectTotals | null };
  const { ids, totals, hasNext } = await pageOfIds(condition, query, db, cap, walkLimit);
  const rows = await rowsFor(ids, db);
  const total = totals ? Number(totals.count) : (cap ?? 0);
  return {
    rows,
    /** The filtered set's count; when `capped`, only a lower bound (the set has more). */
    total,
    capped: totals === null,
    hasNext,
    page: query.page,
    perPage: query.perPage,
    pageCount: totals ? Math.max(1, Math.ceil(total / query.perPage)) : null,
    totals: totals
      ? ({
          count: total,
          totalInvestment: totals.total?.toString() ?? "0",
          plannedInvestment: totals.planned?.toString() ?? "0",
          completedInvestment: totals.completed?.toString() ?? "0",
        } satisfies ProjectTotals)
      : null,
  };
}


export const EXPORT_LIMIT = 200_000;
const EXPORT_CHUNK = 5000;

/**
 * The filtered set for a file (.xlsx/.csv), in the table's order, a page of rows at a time: the ids
 * are read (and the scope decided) at once, each page's rows only when the writer asks for it, so
 * memory holds one page whatever the library's size (docs/decisions/0039). `db` is where the rows
 * are read: the route passes the read replica's client (readReplica.read, docs/decisions/0023).
 */
export async function exportProjectPages(
  actor: CurrentUser,
  query: ProjectListQuery,
  db: PrismaClient = prisma,
  size = EXPORT_CHUNK,
): Promise<{ count: number; pages: AsyncGenerator<ProjectListRow[]> }> {
  const condition = await scopedCondition(actor, query);
  const ids = condition
    ? (await db.$queryRaw<{ id: string }[]>`SELECT p.id FROM "Project" p WHERE ${condition.where} ORDER BY ${orderBySql(query)} LIMIT ${EXPORT_LIMIT}`).map((r) => r.id)
    : [];
  async function* pages(): AsyncGenerator<ProjectListRow[]> {
    for (let i = 0; i < ids.length; i += size) yield await rowsFor(ids.slice(i, i + size), db);
  }
  return { count: ids.length, pages: pages() };
}

/** Every row of the filtered set at once (tests and small sets; files stream exportProjectPages). */
export async function exportProjects(actor: CurrentUser, query: ProjectListQuery, db: PrismaClient = prisma): Promise<ProjectListRow[]> {
  const rows: ProjectListRow[] = [];
  for await (const page of (await exportProjectPages(actor, query, db)).pages) rows.push(...page);
  return rows;
}

/** A project the user may see, else null — the same answer whether it is missing or out of scope. */
export async function getProject(actor: CurrentUser, id: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectWhere(actor);
  if (!scope || !z.uuid().safeParse(id).success) return null;
  return prisma.project.findFirst({
    where: { AND: [{ id }, scope] },
    include: {
      plan: { select: { title: true } },
      column: true,
      programme: true,
      sector: true,
      ownerOrg: true,
      locations: { include: { division: true }, orderBy: { division: { sortOrder: "asc" } } },
      annualPlans: { orderBy: { year: "asc" } },
      fundingPlans: { include: { source: true }, orderBy: { source: { sortOrder: "asc" } } },
      milestones: { orderBy: { baselineDate: "asc" } },
    },
  });
}

/**
 * Filter options for the table: columns, programmes (of plan `planId`, default the current plan), counties, sectors, owners, funding sources.
 * Six reads that change only with the data: kept per (reader's scope, plan) for one data version (lib/cache, docs/decisions/0039),
 * so a page view costs one version lookup instead (bench/RESULTS.md 2026-12-07 15:16: 9 of a list page's 19 statements).
 */
export async function listProjectFilterOptions(actor: CurrentUser, planId?: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const [resolved, version] = await Promise.all([resolvePlan(planId), dataVersion(prisma)]);
  const key = JSON.stringify(["projectFilterOptions", scopeKey(actor), resolved?.plan.id ?? null]);
  return cachedAggregate(key, version, async () => ({ value: await readFilterOptions(actor, resolved?.plan.id) }));
}

async function readFilterOptions(actor: CurrentUser, planId: string | undefined) {
  const scope = projectWhere(actor) ?? NO_PROJECT;
  const ofPlan = planId ? { planId } : {};
  const [columns, programmeRows, divisions, sectors, owners, funding] = await Promise.all([
    prisma.planColumn.findMany({ where: { hasProjects: true, ...ofPlan }, orderBy: { number: "asc" }, select: { number: true, title: true } }),
    prisma.programme.findMany({ where: { column: ofPlan }, orderBy: { key: "asc" }, select: { key: true, name: true, column: { select: { number: true } } } }),
    prisma.adminDivision.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, name: true } }),
    prisma.sector.findMany({ where: { projects: { some: {} } }, orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
    prisma.organization.findMany({ where: { ownedProjects: { some: scope } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    prisma.fundingSource.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
  ]);
  // The filter names a programme by the plan's own key (C02-P01), whatever plan it is of.
  const programmes = programmeRows.map((g) => ({ ...g, key: g.key.slice(g.key.indexOf("/") + 1) }));
  return { columns, programmes, divisions, sectors, owners, funding };
}

/** The audit history of a project the user may see (every change, who, when, before/after). */
export async function projectHistory(actor: CurrentUser, projectId: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectWhere(actor);
  if (!scope || (await prisma.project.count({ where: { AND: [{ id: projectId }, scope] } })) === 0) return [];
  return prisma.auditEvent.findMany({ where: { entityType: "Project", entityId: projectId }, orderBy: { seq: "desc" }, take: 100 });
}

/**
 * Where a project not taken from the plan came from: its creating audit event (who, when, and for
 * an Excel import the file, its SHA-256 and the row). null for the plan's own projects (their
 * source is the plan's sentence) or when the user may not see the project.
 */
export async function projectOrigin(actor: CurrentUser, projectId: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectWhere(actor);
  if (!scope) return null;
  const project = await prisma.project.findFirst({ where: { AND: [{ id: projectId }, scope] }, select: { planKey: true } });
  if (!project || project.planKey) return null;
  const event = await prisma.auditEvent.findFirst({
    where: { entityType: "Project", entityId: projectId, action: "project.create" },
    orderBy: { seq: "asc" },
    select: { seq: true, at: true, actorName: true, actorOrganizationName: true, details: true },
  });
  if (!event) return null;
  const { details } = withDetails({ ...event, action: "project.create" }, "project.create");
  return {
    seq: event.seq,
    at: event.at,
    actorName: event.actorName,
    actorOrganizationName: event.actorOrganizationName,
    imported: details.source === "import",
    fileName: details.fileName ?? null,
    sha256: details.sha256 ?? null,
    row: details.row ?? null,
  };
}

export async function listDivisions() {
  return prisma.adminDivision.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, name: true } });
}
