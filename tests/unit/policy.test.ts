// The access policy (lib/policy): its forms against the rules they replaced, written out here
// as they were before issue 17 (projectScope, projectScopeSql, isOwnerEditor, isReviewer,
// noticeScope, the OC4IDS scope label), for generated actors and projects; and the per-row check
// against the Prisma `where` it is derived with, read by a small interpreter.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLE_PERMISSIONS, permissionsFor, type Permission } from "@/lib/auth/permissions";
import { ROLES } from "@/lib/auth/roles";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  NEW_PROJECT_POLICY,
  approvalOfNewProject,
  NOTICE_POLICY,
  PROJECT_POLICY,
  mayOnNotice,
  mayOnProject,
  noticeWhere,
  organizationsHolding,
  projectReach,
  projectScopeLabel,
  projectWhere,
  rolesHolding,
  countedProjectSql,
  type PolicyActor,
  type ProjectApproval,
  type ProjectRelation,
} from "@/lib/policy";

// ---- The rules as they were written before (copied from the code the policy replaced). ----
function oldProjectScope(actor: PolicyActor): Prisma.ProjectWhereInput | null {
  if (actor.permissions.has("project:read:all")) return {};
  const any: Prisma.ProjectWhereInput[] = [];
  if (actor.permissions.has("project:read:county") && actor.divisionCode) {
    any.push({ locations: { some: { divisionCode: actor.divisionCode } } }, { reviewDivisionCode: actor.divisionCode });
  }
  if (actor.permissions.has("project:read:own-org") && actor.organizationId) any.push({ ownerOrgId: actor.organizationId });
  return any.length ? { OR: any } : null;
}
function oldProjectScopeSql(actor: PolicyActor): Prisma.Sql | null {
  if (actor.permissions.has("project:read:all")) return Prisma.sql`TRUE`;
  const any: Prisma.Sql[] = [];
  if (actor.permissions.has("project:read:county") && actor.divisionCode) {
    any.push(Prisma.sql`EXISTS (SELECT 1 FROM "ProjectLocation" sl WHERE sl."projectId" = p.id AND sl."divisionCode" = ${actor.divisionCode})`);
    any.push(Prisma.sql`p."reviewDivisionCode" = ${actor.divisionCode}`);
  }
  if (actor.permissions.has("project:read:own-org") && actor.organizationId) any.push(Prisma.sql`p."ownerOrgId" = ${actor.organizationId}::uuid`);
  return any.length ? Prisma.sql`(${Prisma.join(any, " OR ")})` : null;
}
type OldProject = { ownerOrgId: string | null; reviewDivisionCode: string | null };
const oldIsOwnerEditor = (actor: PolicyActor, project: OldProject) =>
  actor.permissions.has("return:submit:own-org") && !!actor.organizationId && project.ownerOrgId === actor.organizationId;
const oldIsReviewer = (actor: PolicyActor, project: OldProject) =>
  actor.permissions.has("return:approve:county") && !!actor.divisionCode && project.reviewDivisionCode === actor.divisionCode;
const oldMayEdit = (actor: PolicyActor, project: OldProject) =>
  actor.permissions.has("project:update:own-org") && project.ownerOrgId !== null && project.ownerOrgId === actor.organizationId;
function oldNoticeScope(actor: PolicyActor): Prisma.SupervisionNoticeWhereInput | null {
  if (actor.permissions.has("notice:read:all")) return {};
  if (actor.permissions.has("notice:read:own-org") && actor.organizationId) return { ownerOrgId: actor.organizationId };
  return null;
}
function oldScopeLabel(actor: PolicyActor): string {
  if (actor.permissions.has("project:read:all")) return "all";
  const parts: string[] = [];
  if (actor.permissions.has("project:read:county") && actor.divisionCode) parts.push(`county:${actor.divisionCode}`);
  if (actor.permissions.has("project:read:own-org") && actor.organizationId) parts.push(`own-org:${actor.organizationId}`);
  return parts.join("|") || "none";
}

// ---- Generated actors and projects over small pools, so matches are frequent. ----
const ORGS = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"];
const COUNTIES = ["520382", "520381", "CITY"];
const actorArb = fc.record({
  permissions: fc.oneof(
    fc.subarray([...ROLES]).map((roles) => permissionsFor(roles)),
    fc.subarray([...PERMISSIONS]).map((p) => new Set<Permission>(p)),
  ),
  organizationId: fc.constantFrom(null, ...ORGS),
  divisionCode: fc.constantFrom(null, ...COUNTIES),
});
const APPROVALS = ["ACCEPTED", "PENDING", "REFUSED"] as const satisfies readonly ProjectApproval[];
const projectArb = fc.record({
  ownerOrgId: fc.constantFrom(null, ...ORGS),
  reviewDivisionCode: fc.constantFrom(null, ...COUNTIES),
  locationDivisionCodes: fc.subarray(COUNTIES),
  approval: fc.constantFrom(...APPROVALS),
});
const accepted = <P extends object>(p: P) => ({ ...p, approval: "ACCEPTED" as const });

/** Evaluates the Prisma `where` shapes the policy produces against an in-memory project. */
function evaluate(where: Prisma.ProjectWhereInput, p: { ownerOrgId: string | null; reviewDivisionCode: string | null; locationDivisionCodes: string[]; approval: ProjectApproval }): boolean {
  return Object.entries(where).every(([key, value]) => {
    if (key === "OR") return (value as Prisma.ProjectWhereInput[]).some((w) => evaluate(w, p));
    if (key === "approval") return value === "ACCEPTED" ? p.approval === "ACCEPTED" : (expect(value).toEqual({ not: "ACCEPTED" }), p.approval !== "ACCEPTED");
    if (key === "ownerOrgId") return p.ownerOrgId === value;
    if (key === "reviewDivisionCode") return p.reviewDivisionCode === value;
    if (key === "locations") return p.locationDivisionCodes.includes((value as { some: { divisionCode: string } }).some.divisionCode);
    throw new Error(`unexpected where key ${key}`);
  });
}

const RELATIONS = Object.keys(PROJECT_POLICY) as ProjectRelation[];

describe("the project policy keeps the rules it replaced", () => {
  test.prop([actorArb, projectArb])("read and count on accepted projects: projectScope's; the portfolio counts accepted projects only (docs/decisions/0031)", (actor, project) => {
    const old = oldProjectScope(actor);
    const oldMatches = old !== null && evaluate(old, accepted(project));
    expect(mayOnProject(actor, "read", accepted(project))).toBe(oldMatches);
    expect(mayOnProject(actor, "count", project)).toBe(project.approval === "ACCEPTED" && oldMatches);
    // The portfolio's SQL is the old scope on accepted projects (the old SQL unchanged inside it).
    const counted = countedProjectSql(actor);
    const oldSql = oldProjectScopeSql(actor);
    expect(counted === null).toBe(oldSql === null);
    if (counted && oldSql) {
      expect(counted.sql).toContain(oldSql.sql);
      expect(counted.sql).toContain(`pa.approval <> 'ACCEPTED'`);
    }
    expect(projectScopeLabel(actor)).toBe(oldScopeLabel(actor));
    expect(projectReach(actor, "read")).toBe(actor.permissions.has("project:read:all") ? "all" : oldSql ? "some" : "none");
  });

  test.prop([actorArb, projectArb])("a project not accepted: only its owner unit, its review office and the city office see it; no one files or reviews returns on it", (actor, project) => {
    if (project.approval === "ACCEPTED") return;
    const owner = actor.permissions.has("project:read:own-org") && !!actor.organizationId && project.ownerOrgId === actor.organizationId;
    const office =
      (actor.permissions.has("project:accept:county") && !!actor.divisionCode && project.reviewDivisionCode === actor.divisionCode) ||
      (actor.permissions.has("project:accept:city") && actor.divisionCode === "520300");
    expect(mayOnProject(actor, "read", project)).toBe(owner || office);
    expect(mayOnProject(actor, "accept", project)).toBe(office);
    expect(mayOnProject(actor, "edit", project)).toBe(oldMayEdit(actor, project));
    for (const relation of ["count", "fileReturns", "reviewReturns", "ownReturns", "settleCounty"] as const) expect(mayOnProject(actor, relation, project), relation).toBe(false);
    expect(mayOnProject(actor, "accept", accepted(project))).toBe(false);
  });

  test.prop([actorArb, projectArb])("owner editor and reviewer: the per-row check is isOwnerEditor/isReviewer and the page's `editable`", (actor, p) => {
    const project = accepted(p);
    expect(mayOnProject(actor, "fileReturns", project)).toBe(oldIsOwnerEditor(actor, project));
    expect(mayOnProject(actor, "reviewReturns", project)).toBe(oldIsReviewer(actor, project));
    expect(mayOnProject(actor, "edit", project)).toBe(oldMayEdit(actor, project));
  });

  it("a project an owner unit adds starts 待审核; one added by whoever could accept it starts accepted", () => {
    const owner = { permissions: permissionsFor(["OWNER_EDITOR"]), organizationId: ORGS[0]!, divisionCode: "520382" };
    const office = { permissions: permissionsFor(["COUNTY_REVIEWER"]), organizationId: ORGS[1]!, divisionCode: "520382" };
    expect(approvalOfNewProject(owner, { reviewDivisionCode: "520382" })).toBe("PENDING");
    expect(approvalOfNewProject(office, { reviewDivisionCode: "520382" })).toBe("ACCEPTED");
    expect(approvalOfNewProject(office, { reviewDivisionCode: "520381" })).toBe("PENDING");
  });

  it("the check throws when the project's approval was not loaded", () => {
    expect(() => mayOnProject({ permissions: new Set(["project:read:all"]), organizationId: null, divisionCode: null }, "read", { ownerOrgId: null })).toThrow(/approval/);
  });

  test.prop([actorArb, fc.constantFrom(...ORGS)])("notices: the where is noticeScope's; answering needs the owner's organization", (actor, ownerOrgId) => {
    expect(noticeWhere(actor)).toEqual(((s) => (s && Object.keys(s).length ? { OR: [s] } : s))(oldNoticeScope(actor)));
    expect(mayOnNotice(actor, "answer", { ownerOrgId })).toBe(actor.permissions.has("notice:respond:own-org") && actor.organizationId === ownerOrgId);
    expect(mayOnNotice(actor, "read", { ownerOrgId })).toBe(actor.permissions.has("notice:read:all") || (actor.permissions.has("notice:read:own-org") && actor.organizationId === ownerOrgId));
  });

  test.prop([actorArb, projectArb])("every relation: the per-row check agrees with the Prisma where", (actor, project) => {
    for (const relation of RELATIONS) {
      const where = projectWhere(actor, relation);
      expect(mayOnProject(actor, relation, project), relation).toBe(where !== null && evaluate(where, project));
    }
  });
});

describe("reviewers are found by permission", () => {
  it("the roles holding a permission come from ROLE_PERMISSIONS", () => {
    for (const permission of PERMISSIONS) {
      expect(rolesHolding(permission)).toEqual(ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)));
    }
    expect(rolesHolding("return:approve:county").length).toBeGreaterThan(0);
  });

  it("the organizations to notify are those of the project's review office with a role that approves", () => {
    const approvers = rolesHolding("return:approve:county");
    expect(organizationsHolding("reviewReturns", { reviewDivisionCode: "520382" })).toEqual({
      OR: [{ divisionCode: { in: ["520382"] }, users: { some: { roles: { some: { role: { in: approvers } } } } } }],
    });
    expect(organizationsHolding("reviewReturns", { reviewDivisionCode: null })).toBeNull();
    expect(organizationsHolding("fileReturns", { ownerOrgId: ORGS[0]! })).toEqual({
      OR: [{ id: { in: [ORGS[0]] }, users: { some: { roles: { some: { role: { in: rolesHolding("return:submit:own-org") } } } } } }],
    });
  });

  it("a field the relation needs but the caller did not load is an error, not a refusal", () => {
    const reviewer = { permissions: new Set<Permission>(["return:approve:county"]), organizationId: null, divisionCode: "520382" };
    expect(() => mayOnProject(reviewer, "reviewReturns", { ownerOrgId: null, approval: "ACCEPTED" })).toThrow(/reviewDivisionCode/);
    expect(() => organizationsHolding("reviewReturns", {})).toThrow(/reviewDivisionCode/);
    const county = { permissions: new Set<Permission>(["project:read:county"]), organizationId: null, divisionCode: "520382" };
    expect(() => mayOnProject(county, "read", { ownerOrgId: null, reviewDivisionCode: null, approval: "ACCEPTED" })).toThrow(/locationDivisionCodes/);
  });

  it("every relation is granted by real permissions, and notices only match on their owner", () => {
    for (const relation of [...Object.values(PROJECT_POLICY), ...Object.values(NEW_PROJECT_POLICY), ...Object.values(NOTICE_POLICY)]) {
      for (const permission of Object.keys(relation)) expect(PERMISSIONS).toContain(permission);
    }
  });
});
