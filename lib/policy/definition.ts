// Who may see or change which project and which 督办 notice, written ONCE as data, and the
// per-row check read off it. The Prisma `where`, the SQL fragment and the "who holds it" query are
// derived from the same tables in ./queries.ts; nothing else in the code compares a project's
// owner or review office with the actor (tests/unit/policy-boundary.test.ts). Pure: no Prisma, so
// the import planners and pages use the check too (docs/decisions/0015-access-policy.md).
import { ROLE_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { ROLES, type Role } from "@/lib/auth/roles";
import { CITY_DIVISION } from "@/lib/returns/rules";

/** What the policy reads of the acting user (CurrentUser has it). */
export interface PolicyActor {
  permissions: ReadonlySet<Permission>;
  organizationId: string | null;
  /** County (AdminDivision code) of the user's organization. */
  divisionCode: string | null;
}

/** The attributes of the actor a grant binds; a grant whose attribute is null grants nothing. */
export type ActorAttribute = "organizationId" | "divisionCode";

/**
 * One way a record can match: one of its columns, or (projects only) one of its locations' county
 * codes, equals the grant's actor attribute.
 */
export type Match = { column: "ownerOrgId" | "reviewDivisionCode" } | { locatedIn: true };

/**
 * "all" = every record; otherwise the actor attribute and the ways a record matches it (any one);
 * or every record when the actor's attribute is one value (the city's review office).
 */
export type Grant = "all" | { actor: ActorAttribute; anyOf: readonly Match[] } | { actor: ActorAttribute; equals: string };

/** A relation: for each permission that confers it, the grant. Any one held permission suffices. */
export type Relation = Partial<Record<Permission, Grant>>;

// The three shapes of access the app knows.
/** The project's owner unit (项目单位): the project's owner is the actor's organization. */
const OWN_ORGANIZATION = { actor: "organizationId", anyOf: [{ column: "ownerOrgId" }] } as const satisfies Grant;
/** The project's review office (审核单位, the 发改 office of its county or the city). */
const REVIEW_OFFICE = { actor: "divisionCode", anyOf: [{ column: "reviewDivisionCode" }] } as const satisfies Grant;
/**
 * A county's reviewer reads the county's projects and those whose returns the office reviews (the
 * city office reviews projects spanning several counties).
 */
const COUNTY = { actor: "divisionCode", anyOf: [{ locatedIn: true }, { column: "reviewDivisionCode" }] } as const satisfies Grant;
/** The city's review office (市发改委, 520300): every project, whichever county it lies in. */
const CITY_OFFICE = { actor: "divisionCode", equals: CITY_DIVISION } as const satisfies Grant;

/** Relations between an actor and an accepted project (Project.approval ACCEPTED: every plan project). */
export const PROJECT_POLICY = {
  /** See the project, its figures, returns, evidence and light; include it in lists, exports. */
  read: { "project:read:all": "all", "project:read:county": COUNTY, "project:read:own-org": OWN_ORGANIZATION },
  /** Count it in the portfolio's totals (dashboard, report, evaluation, delays, OC4IDS, read API): what it may read, once accepted. */
  count: { "project:read:all": "all", "project:read:county": COUNTY, "project:read:own-org": OWN_ORGANIZATION },
  /** Edit the project's registry fields (form and registry import). */
  edit: { "project:update:own-org": OWN_ORGANIZATION },
  /** Accept or refuse a new project (待审核): nothing to accept once accepted. */
  accept: {},
  /** The owner unit's desk: its projects' returns to file, drafts, returned months, problems. */
  ownReturns: { "return:read:own-org": OWN_ORGANIZATION },
  /** Save and submit its monthly returns, request corrections (form and returns import). */
  fileReturns: { "return:submit:own-org": OWN_ORGANIZATION },
  /** Approve or return its monthly returns, decide corrections (form and returns import). */
  reviewReturns: { "return:approve:county": REVIEW_OFFICE },
  /** Settle the county of a project the plan names without one (区县待确认, docs/decisions/0022). */
  settleCounty: { "return:approve:county": REVIEW_OFFICE },
  /** Propose a change of its baseline (项目调整申请, docs/decisions/0030). */
  proposeBaseline: { "baseline:propose:own-org": OWN_ORGANIZATION },
  /** Approve or refuse a proposed baseline change: the city's review office only. */
  reviewBaseline: { "baseline:approve:city": CITY_OFFICE },
} as const satisfies Record<string, Relation>;

export type ProjectRelation = keyof typeof PROJECT_POLICY;

/** Project.approval: a project an owner unit added waits (PENDING, 待审核) or was refused (REFUSED, 已退回). */
export type ProjectApproval = "ACCEPTED" | "PENDING" | "REFUSED";

/**
 * The same relations on a project not accepted yet (PENDING or REFUSED, docs/decisions/0031): its
 * owner unit sees and corrects it, its review office sees and accepts or refuses it; nobody else
 * sees it (not even "all"), nobody counts it, and it has no returns.
 */
export const NEW_PROJECT_POLICY = {
  read: { "project:read:own-org": OWN_ORGANIZATION, "project:accept:county": REVIEW_OFFICE, "project:accept:city": CITY_OFFICE },
  count: {},
  edit: { "project:update:own-org": OWN_ORGANIZATION },
  accept: { "project:accept:county": REVIEW_OFFICE, "project:accept:city": CITY_OFFICE },
  ownReturns: {},
  fileReturns: {},
  reviewReturns: {},
  settleCounty: {},
  // Before acceptance the figures are not a baseline yet: the owner edits them directly.
  proposeBaseline: {},
  reviewBaseline: {},
} as const satisfies Record<ProjectRelation, Relation>;

/** The relation's grants for projects in the given approval state. */
export function projectRelation(relation: ProjectRelation, approval: ProjectApproval): Relation {
  return approval === "ACCEPTED" ? PROJECT_POLICY[relation] : NEW_PROJECT_POLICY[relation];
}

/** Relations between an actor and a 督办 notice (the notice keeps the owner it was sent to). */
export const NOTICE_POLICY = {
  read: { "notice:read:all": "all", "notice:read:own-org": OWN_ORGANIZATION },
  answer: { "notice:respond:own-org": OWN_ORGANIZATION },
} as const satisfies Record<string, Relation>;

export type NoticeRelation = keyof typeof NOTICE_POLICY;

/**
 * What the check reads of a project. Only the fields the relation uses must be present; a missing
 * one is a programming error and throws rather than answering "no".
 */
export interface ProjectFacts {
  ownerOrgId?: string | null;
  reviewDivisionCode?: string | null;
  /** County codes of the project's locations (ProjectLocation.divisionCode). */
  locationDivisionCodes?: readonly string[];
  /** Project.approval: every relation depends on it (NEW_PROJECT_POLICY). */
  approval?: ProjectApproval;
}

export interface NoticeFacts {
  ownerOrgId: string | null;
}

/** The grants of a relation that apply to the actor, with the bound value; "all" if any grant is. */
export function applicableGrants(actor: PolicyActor, relation: Relation): "all" | { permission: Permission; value: string; anyOf: readonly Match[] }[] {
  const out: { permission: Permission; value: string; anyOf: readonly Match[] }[] = [];
  for (const [permission, grant] of Object.entries(relation) as [Permission, Grant][]) {
    if (!actor.permissions.has(permission)) continue;
    if (grant === "all") return "all";
    if ("equals" in grant) {
      if (actor[grant.actor] === grant.equals) return "all";
      continue;
    }
    const value = actor[grant.actor];
    if (value) out.push({ permission, value, anyOf: grant.anyOf });
  }
  return out;
}

function matches(match: Match, value: string, record: ProjectFacts): boolean {
  if ("locatedIn" in match) {
    if (record.locationDivisionCodes === undefined) throw new Error("policy: the project's locationDivisionCodes were not loaded");
    return record.locationDivisionCodes.includes(value);
  }
  const column = record[match.column];
  if (column === undefined) throw new Error(`policy: the project's ${match.column} was not loaded`);
  return column === value;
}

function allows(actor: PolicyActor, relation: Relation, record: ProjectFacts): boolean {
  const grants = applicableGrants(actor, relation);
  if (grants === "all") return true;
  return grants.some((g) => g.anyOf.some((m) => matches(m, g.value, record)));
}

/** The per-row check: does the actor hold `relation` on this project? */
export function mayOnProject(actor: PolicyActor, relation: ProjectRelation, project: ProjectFacts): boolean {
  if (project.approval === undefined) throw new Error("policy: the project's approval was not loaded");
  return allows(actor, projectRelation(relation, project.approval), project);
}

/**
 * The approval a project starts with when the actor adds it for their own organization: ACCEPTED
 * when the actor could accept it themselves, else PENDING (待审核, docs/decisions/0031).
 */
export function approvalOfNewProject(actor: PolicyActor, project: { reviewDivisionCode: string | null }): "ACCEPTED" | "PENDING" {
  return mayOnProject(actor, "accept", { approval: "PENDING", ownerOrgId: actor.organizationId, reviewDivisionCode: project.reviewDivisionCode }) ? "ACCEPTED" : "PENDING";
}

/** The per-row check for a 督办 notice. */
export function mayOnNotice(actor: PolicyActor, relation: NoticeRelation, notice: NoticeFacts): boolean {
  return allows(actor, NOTICE_POLICY[relation], notice);
}

/**
 * "all": every accepted project; "some": a scoped subset (maybe empty); "none": no project at all.
 * New projects not accepted yet are never "all" (NEW_PROJECT_POLICY): queries still apply projectWhere/projectSql.
 */
export function projectReach(actor: PolicyActor, relation: ProjectRelation): "all" | "some" | "none" {
  const grants = applicableGrants(actor, PROJECT_POLICY[relation]);
  return grants === "all" ? "all" : grants.length ? "some" : "none";
}

/**
 * The actor's reach as recorded in the audit log: "all", or the scopes joined by "|" as
 * `<scope of the permission>:<value>` (e.g. "county:520382|own-org:<uuid>"), or "none".
 */
export function projectScopeLabel(actor: PolicyActor, relation: ProjectRelation = "read"): string {
  const grants = applicableGrants(actor, PROJECT_POLICY[relation]);
  if (grants === "all") return "all";
  return grants.map((g) => `${g.permission.split(":")[2]}:${g.value}`).join("|") || "none";
}

/**
 * A key for everything the policy reads of the actor (exactly PolicyActor's fields): actors with
 * equal keys are allowed and shown the same things, so figures computed for one may be served to
 * the other (lib/cache/aggregates.ts, docs/decisions/0039). A field added to PolicyActor does not
 * compile here until it is part of the key.
 */
export function policyScopeKey(actor: PolicyActor): string {
  const fields: { [K in keyof PolicyActor]-?: string } = {
    permissions: [...actor.permissions].sort().join(","),
    organizationId: actor.organizationId ?? "",
    divisionCode: actor.divisionCode ?? "",
  };
  return JSON.stringify(fields);
}

/** The roles that hold a permission, read from the one role → permissions table. */
export function rolesHolding(permission: Permission): Role[] {
  return ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}
