// Nothing outside the access policy (lib/policy) decides who may see or change a project: no code
// compares a project's owner (`ownerOrgId`) or review office (`reviewDivisionCode`, a location's
// county) with the actor's organization or county, and no code names a role as a string (roles
// are read through their permissions, lib/auth/permissions.ts). A scan of the source with regular
// expressions; the cases below show each rule catching the copies it was written against
// (docs/decisions/0015-access-policy.md). POLICY_BOUNDARY_ROOT scans another checkout instead.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES } from "@/lib/auth/roles";

const ROOT = process.env.POLICY_BOUNDARY_ROOT ?? path.resolve(__dirname, "../..");
const SCANNED = ["app", "components", "lib", "prisma", "scripts", "."];
/** Where the rules and roles are written, and code that is not the app's (tests, fixtures, generated). */
const EXEMPT = [/^lib\/policy\//, /^lib\/auth\/permissions\.ts$/, /^lib\/auth\/roles\.ts$/, /^lib\/generated\//, /^prisma\/seed\//, /^tests\//, /^e2e\//, /^bench\//];
/**
 * Role names that are data, not a decision: [file, role, why]. The scan fails if an entry no
 * longer occurs, so the list cannot go stale.
 */
const ALLOWED_ROLE_NAMES: [string, string, string][] = [
  ["lib/data/users.ts", "SYSTEM_ADMIN", "/setup creates the first administrator with this role"],
];

const ACTOR = String.raw`\b(?:actor|user|currentUser|viewer|me|who)\??\.(?:organizationId|divisionCode)\b`;
const PROJECT_COLUMN = String.raw`\b(?:ownerOrgId|reviewDivisionCode)\b|\bownerOrg\??\.id\b`;
const ROLE_LITERAL = new RegExp(String.raw`["'\x60](${ROLES.join("|")})["'\x60]|\bRole\.(${ROLES.join("|")})\b`, "g");

interface Finding {
  file: string;
  line: number;
  rule: "owner-or-review-office-compared" | "actor-attribute-compared" | "location-compared" | "role-name";
  text: string;
}

/** The findings in one file's text. */
function scanSource(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  // Local copies of the actor's organization or county (`const orgId = actor.organizationId`).
  const aliases = [...text.matchAll(new RegExp(String.raw`\b(?:const|let)\s+(\w+)\s*=\s*${ACTOR}`, "g"))].map((m) => m[1]!);
  const actor = aliases.length ? `(?:${ACTOR}|\\b(?:${aliases.join("|")})\\b)` : ACTOR;
  const rules: [Finding["rule"], RegExp][] = [
    // A project column and the actor's attribute in one expression: `ownerOrgId: actor.organizationId`,
    // `project.ownerOrgId === user.organizationId`, `p."ownerOrgId" = ${actor.organizationId}`.
    ["owner-or-review-office-compared", new RegExp(String.raw`(?:${PROJECT_COLUMN}).*${actor}|${actor}.*(?:${PROJECT_COLUMN})`)],
    // Anything tested for equality with the actor's organization or county (null checks aside).
    ["actor-attribute-compared", new RegExp(String.raw`[!=]==?\s*${actor}|${actor}\s*[!=]==?(?!=)\s*(?!\s|null\b|undefined\b)`)],
    // A location's county against the actor's: `divisionCode: actor.divisionCode`, `"divisionCode" = ${actor.divisionCode}`.
    ["location-compared", new RegExp(String.raw`divisionCode"?\s*(?::|=)\s*\$?\{?\s*${actor}`)],
  ];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith("//") || line.startsWith("*") || line.startsWith("/*")) return;
    for (const [rule, re] of rules) if (re.test(line)) findings.push({ file, line: i + 1, rule, text: line });
    for (const m of line.matchAll(ROLE_LITERAL)) findings.push({ file, line: i + 1, rule: "role-name", text: m[1] ?? m[2]! });
  });
  return findings;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, recurse: boolean) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = dir === "." ? name : `${dir}/${name}`;
      if (name === "node_modules" || name.startsWith(".")) continue;
      const stat = statSync(path.join(ROOT, rel));
      if (stat.isDirectory()) {
        if (recurse) walk(rel, true);
      } else if (/\.(ts|tsx|mts|mjs|js)$/.test(name) && !EXEMPT.some((re) => re.test(rel))) out.push(rel);
    }
  };
  for (const dir of SCANNED) walk(dir, dir !== ".");
  return out;
}

describe("the access policy is the only place that decides who sees or changes a project", () => {
  it("no source file outside lib/policy compares owners or review offices with the actor, or names a role", () => {
    const findings = sourceFiles().flatMap((file) => scanSource(file, readFileSync(path.join(ROOT, file), "utf8")));
    const unexpected = findings.filter((f) => !(f.rule === "role-name" && ALLOWED_ROLE_NAMES.some(([file, role]) => file === f.file && role === f.text)));
    expect(unexpected.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`)).toEqual([]);
    for (const [file, role] of ALLOWED_ROLE_NAMES) {
      expect(findings.some((f) => f.rule === "role-name" && f.file === file && f.text === role), `${file} ${role} still there`).toBe(true);
    }
  });

  it("catches each copy of the rule that the policy replaced (lines as they were)", () => {
    const copies = [
      // lib/data/returns.ts: isOwnerEditor, isReviewer, saveReturn, listReviewQueue, myWork, reviewerOrganizations
      `return actor.permissions.has("return:submit:own-org") && !!actor.organizationId && project.ownerOrgId === actor.organizationId;`,
      `return actor.permissions.has("return:approve:county") && !!actor.divisionCode && project.reviewDivisionCode === actor.divisionCode;`,
      `where: { id: input.projectId, ownerOrgId: actor.organizationId ?? "00000000-0000-0000-0000-000000000000" },`,
      `const inScope = { project: { reviewDivisionCode: actor.divisionCode } };`,
      `const orgId = actor.organizationId;\nwhere: { ownerOrgId: orgId, lifecycleStage: "CONSTRUCTION" },`,
      `where: { divisionCode, users: { some: { roles: { some: { role: "COUNTY_REVIEWER" } } } } },`,
      // lib/data/projects.ts projectScope, lib/data/portfolio.ts projectScopeSql
      `any.push({ locations: { some: { divisionCode: actor.divisionCode } } }, { reviewDivisionCode: actor.divisionCode });`,
      "any.push(Prisma.sql`EXISTS (SELECT 1 FROM \"ProjectLocation\" sl WHERE sl.\"projectId\" = p.id AND sl.\"divisionCode\" = ${actor.divisionCode})`);",
      "if (actor.permissions.has(\"project:read:own-org\") && actor.organizationId) any.push(Prisma.sql`p.\"ownerOrgId\" = ${actor.organizationId}::uuid`);",
      // lib/data/project-registry.ts, lib/data/notices.ts
      `const before = await tx.project.findFirst({ where: { id: input.projectId, ownerOrgId: actor.organizationId! } });`,
      `if (actor.permissions.has("notice:read:own-org") && actor.organizationId) return { ownerOrgId: actor.organizationId };`,
      `if (notice.ownerOrgId !== actor.organizationId) throw new NotFoundError("SupervisionNotice");`,
      // the import planners
      `if (owner && owner !== actor.organizationId) r.fail("owner", "import.error.otherOrganization", { org: actor.organizationName });`,
      `if (project && project.ownerOrgId !== actor.organizationId) {`,
      `const inScope = actor.role === "owner" ? match.project.ownerOrgId === actor.organizationId : match.project.reviewDivisionCode === actor.divisionCode;`,
      // the project page and the notices page
      `const editable = can(user, "project:update:own-org") && project.ownerOrgId !== null && project.ownerOrgId === user.organizationId;`,
      `{canAnswer && n.ownerOrg.id === user.organizationId && <AnswerNoticeForm action={answerNoticeAction} id={n.id} version={n.version} />}`,
      // role names, in any quotes or as the enum
      `if (user.roles.includes('LEADERSHIP')) return true;`,
      "const reviewers = roles.filter((r) => r === `AUDITOR`);",
      `where: { roles: { some: { role: Role.OWNER_EDITOR } } }`,
    ];
    for (const copy of copies) expect(scanSource("x.ts", copy), copy).not.toEqual([]);
  });

  it("leaves alone what is not an access decision", () => {
    const fine = [
      `canShareViews={user.organizationId !== null}`,
      `where: { organizationId: actor.organizationId, readAt: null },`,
      `data: { organizationId: project.ownerOrgId, kind: "NOTICE_SENT", projectId: project.id },`,
      `if (!actor.organizationId) return [];`,
      `const editable = mayOnProject(user, "edit", project);`,
      `if (kind === "LEADERSHIP_OFFICE") return office;`,
      `// compares ownerOrgId with actor.organizationId in a comment`,
    ];
    for (const line of fine) expect(scanSource("x.ts", line), line).toEqual([]);
  });
});
