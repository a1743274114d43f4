// The policy's query forms, derived from the tables in ./definition.ts: a Prisma `where`, a
// parameterised SQL condition and, in reverse, the organizations whose users hold a relation on a
// given project (whom to notify). tests/integration/policy.test.ts holds all forms equal.
import type { Permission } from "@/lib/auth/permissions";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  NEW_PROJECT_POLICY,
  NOTICE_POLICY,
  PROJECT_POLICY,
  projectRelation,
  applicableGrants,
  rolesHolding,
  type ActorAttribute,
  type Grant,
  type Match,
  type NoticeRelation,
  type PolicyActor,
  type ProjectFacts,
  type ProjectRelation,
  type Relation,
} from "./definition";

/** A `where` that matches no project (for queries that need one rather than null). */
export const NO_PROJECT = { id: { in: [] } } satisfies Prisma.ProjectWhereInput;

function projectMatchWhere(match: Match, value: string): Prisma.ProjectWhereInput {
  if ("locatedIn" in match) return { locations: { some: { divisionCode: value } } };
  return { [match.column]: value };
}

function grantsWhere(actor: PolicyActor, relation: Relation): Prisma.ProjectWhereInput | null {
  const grants = applicableGrants(actor, relation);
  if (grants === "all") return {};
  const any = grants.flatMap((g) => g.anyOf.map((m) => projectMatchWhere(m, g.value)));
  return any.length ? { OR: any } : null;
}

/**
 * The projects on which the actor holds `relation`: PROJECT_POLICY's grants on accepted projects,
 * NEW_PROJECT_POLICY's on those not accepted yet (docs/decisions/0031). When both give the same
 * condition (an owner unit's), no condition on approval is added. null = none at all.
 */
export function projectWhere(actor: PolicyActor, relation: ProjectRelation = "read"): Prisma.ProjectWhereInput | null {
  const accepted = grantsWhere(actor, PROJECT_POLICY[relation]);
  const unaccepted = grantsWhere(actor, NEW_PROJECT_POLICY[relation]);
  if (accepted && unaccepted && JSON.stringify(accepted) === JSON.stringify(unaccepted)) return accepted;
  const parts: Prisma.ProjectWhereInput[] = [];
  if (accepted) parts.push({ approval: "ACCEPTED", ...accepted });
  if (unaccepted) parts.push({ approval: { not: "ACCEPTED" }, ...unaccepted });
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { OR: parts };
}

// Column names are spliced from this fixed table, never from input; values are parameters.
const SQL_COLUMN = {
  ownerOrgId: (value: string) => Prisma.sql`p."ownerOrgId" = ${value}::uuid`,
  reviewDivisionCode: (value: string) => Prisma.sql`p."reviewDivisionCode" = ${value}`,
} as const;

function projectMatchSql(match: Match, value: string): Prisma.Sql {
  if ("locatedIn" in match) return Prisma.sql`EXISTS (SELECT 1 FROM "ProjectLocation" sl WHERE sl."projectId" = p.id AND sl."divisionCode" = ${value})`;
  return SQL_COLUMN[match.column](value);
}

function grantsSql(actor: PolicyActor, relation: Relation): Prisma.Sql | null {
  const grants = applicableGrants(actor, relation);
  if (grants === "all") return Prisma.sql`TRUE`;
  const any = grants.flatMap((g) => g.anyOf.map((m) => projectMatchSql(m, g.value)));
  return any.length ? Prisma.sql`(${Prisma.join(any, " OR ")})` : null;
}

/**
 * True for an accepted project, as SQL on a project id. It looks the id up among the (few)
 * projects not accepted, so it works on any row keyed by the project's id: "Project",
 * "PortfolioFact", the facts subqueries, a return's "projectId".
 */
export function acceptedProjectSql(projectId: Prisma.Sql = Prisma.sql`p.id`): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM "Project" pa WHERE pa.id = ${projectId} AND ${NOT_ACCEPTED})`;
}

const NOT_ACCEPTED = Prisma.sql`pa.approval <> 'ACCEPTED'`;

/**
 * The ids of the projects not accepted (待审核, 已退回), as a subquery: the complement of
 * acceptedProjectSql, read from its partial index (Project_not_accepted_idx), so `x IN (…)` starts
 * from the few rows instead of testing every row of a large table.
 */
export const NOT_ACCEPTED_PROJECT_IDS = Prisma.sql`(SELECT pa.id FROM "Project" pa WHERE ${NOT_ACCEPTED})`;

/**
 * The same set as a condition on `p`: the "Project" alias, or "PortfolioFact" (same key and the
 * same owner and review-office columns). null = none at all.
 */
export function projectSql(actor: PolicyActor, relation: ProjectRelation = "read"): Prisma.Sql | null {
  const accepted = grantsSql(actor, PROJECT_POLICY[relation]);
  const unaccepted = grantsSql(actor, NEW_PROJECT_POLICY[relation]);
  if (accepted && unaccepted && accepted.sql === unaccepted.sql && JSON.stringify(accepted.values) === JSON.stringify(unaccepted.values)) return accepted;
  const parts: Prisma.Sql[] = [];
  if (accepted) parts.push(Prisma.sql`(${acceptedProjectSql()} AND ${accepted})`);
  if (unaccepted) parts.push(Prisma.sql`(NOT ${acceptedProjectSql()} AND ${unaccepted})`);
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Prisma.sql`(${Prisma.join(parts, " OR ")})`;
}

/**
 * When the actor holds `relation` on every project of whole approval states and on nothing else:
 * "accepted" (every accepted project, none waiting or refused) or "every" (all projects). These
 * are the scopes whose totals the database keeps (ProjectTotalsRollup, docs/decisions/0042).
 * null for any other reach (a county's, an owner unit's, accepted plus one's own pending ...).
 */
export function wholeApprovalScope(actor: PolicyActor, relation: ProjectRelation = "read"): "accepted" | "every" | null {
  if (applicableGrants(actor, PROJECT_POLICY[relation]) !== "all") return null;
  const unaccepted = applicableGrants(actor, NEW_PROJECT_POLICY[relation]);
  if (unaccepted === "all") return "every";
  return unaccepted.length === 0 ? "accepted" : null;
}

/**
 * The projects the portfolio's totals count for the actor (dashboard, report, evaluation, delays,
 * lights, OC4IDS, read API): those it reads, accepted only. The one predicate they share.
 */
export function countedProjectSql(actor: PolicyActor): Prisma.Sql | null {
  return projectSql(actor, "count");
}

/** The 督办 notices on which the actor holds `relation`: {} = all, null = none. */
export function noticeWhere(actor: PolicyActor, relation: NoticeRelation = "read"): Prisma.SupervisionNoticeWhereInput | null {
  const grants = applicableGrants(actor, NOTICE_POLICY[relation]);
  if (grants === "all") return {};
  const any = grants.flatMap((g) =>
    g.anyOf.map((m): Prisma.SupervisionNoticeWhereInput => {
      if (!("column" in m) || m.column !== "ownerOrgId") throw new Error("policy: a notice matches on its ownerOrgId only");
      return { ownerOrgId: g.value };
    }),
  );
  return any.length ? { OR: any } : null;
}

/** The Organization column that gives its users each actor attribute (see lib/auth/session.ts). */
const ORGANIZATION_COLUMN: Record<ActorAttribute, "id" | "divisionCode"> = { organizationId: "id", divisionCode: "divisionCode" };

/**
 * The organizations with a user who holds `relation` on the project: a user holding a role that
 * carries one of the relation's permissions (from ROLE_PERMISSIONS, never a role's name), in an
 * organization whose id or county is what the grant matches. null = nobody.
 */
export function organizationsHolding(relation: ProjectRelation, project: ProjectFacts, only?: readonly Permission[]): Prisma.OrganizationWhereInput | null {
  const any: Prisma.OrganizationWhereInput[] = [];
  // A project not accepted yet follows NEW_PROJECT_POLICY (its review office accepts it); `only` narrows to some grants.
  const grants = project.approval ? projectRelation(relation, project.approval) : PROJECT_POLICY[relation];
  for (const [permission, grant] of Object.entries(grants) as [Permission, Grant][]) {
    if (only && !only.includes(permission)) continue;
    if (grant === "all") throw new Error("policy: organizationsHolding needs a scoped relation");
    const withPermission = { users: { some: { roles: { some: { role: { in: rolesHolding(permission) } } } } } } satisfies Prisma.OrganizationWhereInput;
    const column = ORGANIZATION_COLUMN[grant.actor];
    if ("equals" in grant) {
      any.push({ [column]: grant.equals, ...withPermission });
      continue;
    }
    for (const m of grant.anyOf) {
      const loaded = "locatedIn" in m ? project.locationDivisionCodes : project[m.column];
      if (loaded === undefined) throw new Error(`policy: the project's ${"locatedIn" in m ? "locationDivisionCodes" : m.column} was not loaded`);
      const values = (typeof loaded === "string" || loaded === null ? [loaded] : [...loaded]).filter((v): v is string => !!v);
      if (values.length) any.push({ [column]: { in: values }, ...withPermission });
    }
  }
  return any.length ? { OR: any } : null;
}

/**
 * The organizations with an active user holding any of these (unscoped) permissions, e.g. whom to
 * alert when the nightly audit verification fails. Found from ROLE_PERMISSIONS, never a role's name.
 */
export function organizationsWithPermission(permissions: readonly Permission[]): Prisma.OrganizationWhereInput {
  const roles = [...new Set(permissions.flatMap((permission) => rolesHolding(permission)))];
  return { users: { some: { disabledAt: null, roles: { some: { role: { in: roles } } } } } };
}
