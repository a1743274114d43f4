// Delay review: red and yellow projects, worst first, from the stored lights.
import "server-only";
import { readReplica } from "@/lib/db-replica";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { type LightReason } from "@/lib/domain/traffic-lights";
import { Prisma } from "@/lib/generated/prisma/client";
// The projects the actor may see, as a condition on `p` (lib/policy: the one access policy).
import { countedProjectSql as projectScopeSql } from "@/lib/policy";
import type { DeliveryConfidence } from "@/lib/generated/prisma/enums";
import { lightsForReading, reportingDay } from "./lights";
import { worstSlippage } from "./slippage";


export interface DelayRow {
  projectId: string;
  name: string;
  planKey: string | null;
  light: "RED" | "YELLOW";
  severity: number;
  reasons: LightReason[];
  owner: { id: string; name: string } | null;
  counties: string[];
  deliveryConfidence: DeliveryConfidence | null;
  confidenceDifference: number | null;
  confidenceFlagged: boolean;
  openNotices: number;
  overdueNotices: number;
  /** Worst milestone slippage in days against the current baseline, and against the original (较原计划). */
  slippageDays: number | null;
  slippageOriginalDays: number | null;
}

/** The delay review's page size on the page (the report lists the first 100). */
export const DELAY_PAGE_SIZE = 50;

/**
 * The red and yellow projects in scope, worst first: `limit` rows (default 500, at most 2000)
 * after skipping `offset`; `total` counts them all.
 */
export async function listDelayReview(actor: CurrentUser, options: { light?: ("RED" | "YELLOW")[]; limit?: number; offset?: number } = {}, now: Date = new Date()) {
  await assertPermission(actor, ...READ_PROJECTS);
  const asOf = reportingDay(now);
  await lightsForReading(asOf);
  const scope = projectScopeSql(actor);
  if (!scope) return { asOf, rows: [] as DelayRow[], total: 0, dataAsOf: null };
  const lights = options.light?.length ? options.light : ["RED", "YELLOW"];
  const limit = Math.min(options.limit ?? 500, 2000);
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  // The worst `window` rows are read off the index, the page is the last `limit` of them.
  const window = offset + limit;
  // Scope through PortfolioFact (narrow, same key and scope columns as "Project"); the whole
  // library needs no join at all.
  const scoped = actor.permissions.has("project:read:all")
    ? Prisma.sql`"ProjectLight" l WHERE`
    : Prisma.sql`"ProjectLight" l JOIN "PortfolioFact" p ON p.id = l."projectId" WHERE ${scope} AND`;
  // Read from the replica when it is current enough (docs/decisions/0023); the lights were refreshed on the primary above.
  const {
    value: [rows, [count]],
    asOf: dataAsOf,
  } = await readReplica.read((db) => Promise.all([
    db.$queryRaw<
      { projectId: string; name: string; planKey: string | null; light: "RED" | "YELLOW"; severity: number; reasons: LightReason[]; ownerId: string | null; ownerName: string | null; counties: string[] | null; deliveryConfidence: DeliveryConfidence | null; confidenceDifference: number | null; confidenceFlagged: boolean; openNotices: bigint; overdueNotices: bigint }[]
    >`
    WITH cand AS (
      -- The first rows in the order of index ProjectLight_worst_first_idx (RED before YELLOW by
      -- the enum's order, then severity and rule counts), read straight off the index ...
      SELECT l."projectId", l.light, l.severity, l."redRules", l."yellowRules" FROM ${scoped} l.light::text = ANY(${lights}::text[])
       ORDER BY l.light, l.severity DESC, l."redRules" DESC, l."yellowRules" DESC, l."projectId" LIMIT ${window}),
    last AS (SELECT * FROM cand ORDER BY light DESC, severity, "redRules", "yellowRules" LIMIT 1),
    worst AS (
      -- ... plus every row tied with the last one, so the tie-break by plan key (planKey) below is exact.
      SELECT "projectId" FROM cand
      UNION
      SELECT l."projectId" FROM ${scoped} (l.light, l.severity, l."redRules", l."yellowRules") = (SELECT light, severity, "redRules", "yellowRules" FROM last)),
    top AS (
      SELECT p.id, p.name, p."planKey", p."ownerOrgId", p."deliveryConfidence", l.light, l.severity, l.reasons, l."redRules", l."yellowRules",
             l."confidenceDifference", l."confidenceFlagged"
        FROM worst w JOIN "ProjectLight" l ON l."projectId" = w."projectId" JOIN "Project" p ON p.id = w."projectId"
       ORDER BY l.light, l.severity DESC, l."redRules" DESC, l."yellowRules" DESC, p."planKey" NULLS LAST, p.id
       LIMIT ${limit} OFFSET ${offset})
    SELECT w.id AS "projectId", w.name, w."planKey", w.light::text AS light, w.severity, w.reasons, o.id AS "ownerId", o.name AS "ownerName",
           (SELECT array_agg(d.name ORDER BY d."sortOrder") FROM "ProjectLocation" pl JOIN "AdminDivision" d ON d.code = pl."divisionCode" WHERE pl."projectId" = w.id) AS counties,
           w."deliveryConfidence", w."confidenceDifference", w."confidenceFlagged",
           (SELECT count(*) FROM "SupervisionNotice" n WHERE n."projectId" = w.id AND n.status <> 'CLOSED') AS "openNotices",
           (SELECT count(*) FROM "SupervisionNotice" n WHERE n."projectId" = w.id AND n.status = 'OPEN' AND n.deadline < ${asOf}::date) AS "overdueNotices"
      FROM top w LEFT JOIN "Organization" o ON o.id = w."ownerOrgId"
     ORDER BY w.light, w.severity DESC, w."redRules" DESC, w."yellowRules" DESC, w."planKey" NULLS LAST, w.id`,
    db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM ${scoped} l.light::text = ANY(${lights}::text[])`,
  ]));
  const milestones = rows.length
    ? await readReplica.read((db) => db.milestone.findMany({ where: { projectId: { in: rows.map((r) => r.projectId) } }, select: { projectId: true, baselineDate: true, originalBaselineDate: true, forecastDate: true, actualDate: true } }))
    : { value: [] };
  const byProject = new Map<string, typeof milestones.value>();
  for (const m of milestones.value) (byProject.get(m.projectId) ?? byProject.set(m.projectId, []).get(m.projectId)!).push(m);
  return {
    asOf,
    /** Set when the read replica served the list (components/data-as-of.tsx). */
    dataAsOf,
    total: Number(count?.total ?? 0),
    rows: rows.map(
      (r): DelayRow => ({
        ...slippageOf(byProject.get(r.projectId) ?? []),
        projectId: r.projectId,
        name: r.name,
        planKey: r.planKey,
        light: r.light,
        severity: r.severity,
        reasons: r.reasons,
        owner: r.ownerId ? { id: r.ownerId, name: r.ownerName! } : null,
        counties: r.counties ?? [],
        deliveryConfidence: r.deliveryConfidence,
        confidenceDifference: r.confidenceDifference,
        confidenceFlagged: r.confidenceFlagged,
        openNotices: Number(r.openNotices),
        overdueNotices: Number(r.overdueNotices),
      }),
    ),
  };
}

function slippageOf(milestones: Parameters<typeof worstSlippage>[0]) {
  const worst = worstSlippage(milestones);
  return { slippageDays: worst.current, slippageOriginalDays: worst.original };
}
