// Every audit action the code writes has a zod schema for its details (lib/audit/events.ts,
// docs/decisions/0021): a scan of the source fails on an action string without one, each schema
// accepts what its writer sends and refuses a wrong shape, and the writer's types refuse it too.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  AUDIT_ACTIONS,
  AUDIT_EVENT_SCHEMAS,
  AuditDetailsError,
  fieldChangesOf,
  isAuditAction,
  parseAuditDetails,
  parseAuditEvent,
  type AuditAction,
  type AuditDetailsInput,
  type TypedAuditEvent,
} from "@/lib/audit/events";
import type { appendAuditEvent } from "@/lib/audit/log";

const ROOT = process.cwd();
const SCANNED = ["lib", "app", "components", "scripts", "prisma"];
const SKIPPED = new Set(["lib/generated", "lib/audit/events.ts", "prisma/migrations", "prisma/engine", "prisma/data"]);

function sourceFiles(dir: string): string[] {
  const rel = path.relative(ROOT, dir);
  if (SKIPPED.has(rel)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(e.name) && !SKIPPED.has(path.relative(ROOT, full)) ? [full] : [];
  });
}

/**
 * The audit action strings one source text writes or reads: dotted string literals on a line
 * that sets `action:` (also both sides of a ternary), and constants such lines name
 * (`action: OC4IDS_EXPORT_ACTION`) resolved to the string they are declared with.
 */
export function actionStringsIn(text: string): string[] {
  const found = new Set<string>();
  const constants = new Map([...text.matchAll(/\b([A-Z][A-Z0-9_]*)\s*(?::[^=]+)?=\s*"([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)"/g)].map((m) => [m[1]!, m[2]!]));
  for (const m of text.matchAll(/\baction\s*:\s*([^\n]*)/g)) {
    const rest = m[1]!;
    for (const s of rest.matchAll(/"([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)"/g)) found.add(s[1]!);
    const named = /^([A-Z][A-Z0-9_]*)\b/.exec(rest.trim());
    if (named && constants.has(named[1]!)) found.add(constants.get(named[1]!)!);
  }
  return [...found];
}

describe("every action the code writes has a schema", () => {
  const byAction = new Map<string, string[]>();
  for (const file of SCANNED.flatMap((d) => sourceFiles(path.join(ROOT, d)))) {
    for (const action of actionStringsIn(readFileSync(file, "utf8"))) byAction.set(action, [...(byAction.get(action) ?? []), path.relative(ROOT, file)]);
  }

  it("the scanner finds the actions (ternaries and named constants included) and would flag a new one", () => {
    expect(actionStringsIn(`append(tx, { action: disabled ? "user.disable" : "user.enable", details: {} })`)).toEqual(["user.disable", "user.enable"]);
    expect(actionStringsIn(`export const X_ACTION = "export.thing";\n record(p, {\n action: X_ACTION,\n details })`)).toEqual(["export.thing"]);
    expect(actionStringsIn(`{ action: "create" | "update" }`)).toEqual([]);
    const unknown = actionStringsIn(`{ action: "report.publish" }`).filter((a) => !isAuditAction(a));
    expect(unknown).toEqual(["report.publish"]);
    // The real source: the writers of the log are many (about 40 actions), not none.
    expect(byAction.size).toBeGreaterThanOrEqual(40);
  });

  it("no action string in lib/, app/, components/, scripts/ or prisma/ lacks a schema", () => {
    const missing = [...byAction].filter(([action]) => !isAuditAction(action)).map(([action, files]) => `${action} (${files.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("a schema no code writes is one that other commands are about to write, listed here", () => {
    const expectedElsewhere = new Set<string>([]);
    const unwritten = AUDIT_ACTIONS.filter((a) => !byAction.has(a) && !expectedElsewhere.has(a));
    expect(unwritten).toEqual([]);
  });
});

const ID = "6f1c2f0e-3b7a-4c55-9d6e-2a8f1e0b9c11";
const SHA = "ab".repeat(32);
const origin = { source: "import" as const, fileName: "项目库.xlsx", sha256: SHA, importBatchId: ID, row: 3 };
const verification = { ok: true, checked: 12, firstSeq: "1", lastSeq: "12", checkpointsChecked: 2, firstBrokenSeq: null, reason: null, warnings: [], brokenRow: null };
const userFacts = { displayName: "张三", organizationId: ID, roles: ["OWNER_EDITOR"] };
const org = { name: "仁怀市发展和改革局", kind: "COUNTY_DEPARTMENT", parentId: null, divisionCode: "520382" };
const write = {
  projectId: ID, period: "2026-10", fromStatus: "DRAFT" as const, toStatus: "SUBMITTED" as const, fromVersion: 1,
  changes: { completedInvestment: { from: "100.00", to: "120.00" } }, evidence: [{ attachmentId: ID, sha256: SHA, fileName: "照片.jpg" }],
  problemsAdded: 0, problemsResolved: [],
};
const decision = {
  projectId: ID, period: "2026-10", fromStatus: "SUBMITTED" as const, toStatus: "APPROVED" as const, reason: null, submittedById: ID, approverId: ID,
  completedInvestment: "120.00", milestonesApplied: { START: { from: null, to: "2026-10-08" } },
};
const correction = { projectId: ID, period: "2026-09", correctionId: ID, reason: "录入错误", note: "同意", requestedById: ID, approverId: ID, changes: { payments: { from: "1", to: "2" } } };
const indicator = { indicator: "1 常住人口城镇化率", unit: "%", year: 2026, before: { value: "60.1", sourceNote: "统计公报", isDemo: true }, after: { value: "61.2", sourceNote: "统计公报" } };

/** One details object per action, as its writer sends it; the type makes a new action need one. */
const EXAMPLES: { [A in AuditAction]: AuditDetailsInput<A> } = {
  "auth.login": { mfaPending: false },
  "auth.login.failed": { reason: "wrong-password", failures: 2 },
  "auth.lockout": { minutes: 15 },
  "auth.logout": {},
  "auth.sso.refused": { reason: "unknown-user" },
  "auth.permission.denied": { permission: "audit:read:all" },
  "session.revoke": {},
  "account.password.change": {},
  "account.totp.enable": {},
  "setup.initial-admin": { username: "admin" },
  "user.create": { username: "zhang", displayName: "张三", organizationId: null, roles: ["AUDITOR"] },
  "user.update": { before: userFacts, after: { ...userFacts, displayName: "张三丰" } },
  "user.roles.change": { before: userFacts, after: { ...userFacts, roles: ["OWNER_VIEWER"] } },
  "user.disable": { username: "zhang" },
  "user.enable": { username: "zhang" },
  "user.password.reset": { username: "zhang" },
  "user.unlock": {},
  "security.settings.update": { before: { passwordMinLength: 10, requireDigit: true }, after: { passwordMinLength: 12, requireDigit: true } },
  "organization.create": { after: org },
  "organization.update": { before: org, after: { ...org, name: "仁怀市发改局", notifyEmail: "fgj@renhuai.example" } },
  "api.token.create": { ownerId: ID, ownerName: "stats-bureau", name: "统计局对接", prefix: "zyk_AbC123", permissions: ["project:read:all"], expiresAt: "2027-03-05T08:00:00.000Z" },
  "api.token.revoke": { ownerId: ID, ownerName: "stats-bureau", prefix: "zyk_AbC123" },
  "api.call": { tokenId: ID, route: "/api/v1/projects", status: 200, count: 50 },
  "view.save": { name: "在建", query: "stage=CONSTRUCTION", shared: false },
  "view.delete": {},
  "project.create": {
    ...origin, name: "遵义新区路网", county: "520382", programme: "1.2", targetStage2025: "COMPLETED", fields: ["totalInvestment"], before: {},
    after: { totalInvestment: "1000.00" }, annualPlans: { "2026": "200.00" }, funding: { CENTRAL: "100.00" }, approval: "PENDING",
  },
  "project.accept": { name: "遵义新区路网", ownerOrgId: ID, reviewDivisionCode: "520382", fromVersion: 1 },
  "project.refuse": { name: "遵义新区路网", ownerOrgId: ID, reviewDivisionCode: "520382", fromVersion: 1, reason: "总投资与可研批复不符" },
  "project.resubmit": { name: "遵义新区路网", fromVersion: 2, previousReason: "总投资与可研批复不符" },
  "project.update": { fields: ["totalInvestment"], before: { totalInvestment: "1000.00" }, after: { totalInvestment: "1200.00" }, fromVersion: 3, demoBefore: [] },
  "import.confirm": {
    source: "import", fileName: "项目库.xlsx", sha256: SHA, importBatchId: ID, kind: "registry", format: "xlsx", sheet: "项目",
    summary: { rows: 2, create: 1, update: 1, unchanged: 0, submit: 0, approve: 0, errorRows: 0, errors: 0 },
  },
  "return.save": { ...write, toStatus: "DRAFT", fromStatus: null, fromVersion: 0 },
  "return.submit": { ...write, ...origin },
  "return.approve": decision,
  "return.return": { ...decision, toStatus: "RETURNED", reason: "附件不全", approverId: null },
  "return.correction.request": { projectId: ID, period: "2026-09", correctionId: ID, reason: "录入错误", changes: { payments: { from: "1", to: "2" } } },
  "return.correction.approve": correction,
  "return.correction.reject": { ...correction, approverId: null, changes: {} },
  "baseline.propose": { projectId: ID, changeId: ID, reason: "征地拆迁延后", changes: { "milestone.START": { from: "2026-03-01", to: "2026-09-01" }, totalInvestment: { from: "1000", to: "1200" } } },
  "baseline.approve": { projectId: ID, changeId: ID, reason: "征地拆迁延后", requestedById: ID, changes: { "annualPlan.2026": { from: "300", to: "200" } } },
  "baseline.refuse": { projectId: ID, changeId: ID, reason: "征地拆迁延后", refusalReason: "依据不足", requestedById: ID, changes: { totalInvestment: { from: "1000", to: "1200" } } },
  "return.attachment.remove": { projectId: ID, period: "2026-11", returnStatus: "DRAFT", attachmentId: ID, fileName: "现场照片.png", sha256: SHA, size: 68 },
  "indicator.value.create": { ...indicator, before: null },
  "indicator.value.update": indicator,
  "notice.send": { projectId: ID, project: "遵义新区路网", ownerOrgId: ID, subject: "请说明进度滞后原因", deadline: "2026-12-20", light: "RED", reasons: [{ code: "late" }] },
  "notice.answer": { projectId: ID, before: { status: "OPEN", answer: null }, after: { status: "ANSWERED", answer: "已整改" }, answeredAfterDeadline: false },
  "notice.close": { projectId: ID, before: { status: "ANSWERED" }, after: { status: "CLOSED" }, closingNote: null, closedWithoutAnswer: false, deadline: "2026-12-20" },
  "export.audit": { format: "csv", filters: { project: ID }, rows: 10, truncated: false, sha256: SHA },
  "export.reconciliation": { format: "xlsx", findings: 12, plan: "zunyi-14th-fyp", sha256: SHA },
  "export.projects": { format: "xlsx", scope: "all", rows: 308, sha256: SHA },
  "export.oc4ids": { format: "oc4ids-0.9-project-package", scope: "all", projects: 3, uri: "https://example.org/api/oc4ids", publishedDate: "2026-12-05T00:00:00Z", sha256: SHA },
  "audit.verify": verification,
  "audit.checkpoint": { dir: ".data/audit-checkpoints" },
  "audit.purge": {
    before: "2026-01-01T00:00:00.000Z", retentionDays: 180, fromSeq: "1", toSeq: "99", count: 99, lastPurgedHash: SHA, archiveFile: "audit-1-99.jsonl.gz",
    archiveSha256: SHA, checkpointFile: "purge-99.json",
  },
  "audit.backup": { manifestSha256: SHA, archive: "backup-20261205.tar.gz", snapshotHead: { seq: "1200", hash: SHA }, epoch: "root", includesSecrets: false },
  "plan.load": { planId: "plan-15th", title: "十五五规划", periodStart: 2026, periodEnd: 2030, folder: "plan-15th", sourceSha256: SHA, projects: 2, continued: 2, indicators: 2 },
  "audit.restore": { manifestSha256: SHA, archive: "backup-20261205.tar.gz", backupCreatedAt: "2026-12-05T02:00:00.000Z", sourceHead: { seq: "1200", hash: SHA }, sourceEpoch: "2" },
};

describe("each action's schema", () => {
  it.each(AUDIT_ACTIONS)("%s accepts what its writer sends and refuses an unknown key or a missing field", (action) => {
    const example = EXAMPLES[action] as Record<string, unknown>;
    expect(() => parseAuditDetails(action, example)).not.toThrow();
    expect(() => parseAuditDetails(action, { ...example, unexpected: 1 })).toThrow(AuditDetailsError);
    const shape = AUDIT_EVENT_SCHEMAS[action].shape as Record<string, { safeParse(value: unknown): { success: boolean } } | undefined>;
    const required = Object.keys(example).filter((k) => !shape[k]?.safeParse(undefined).success);
    for (const key of required) {
      const { [key]: _dropped, ...rest } = example;
      expect(() => parseAuditDetails(action, rest), `${action} without ${key}`).toThrow(AuditDetailsError);
    }
  });

  it("refuses an action without a schema, and a wrong type inside the details", () => {
    expect(() => parseAuditDetails("report.publish", {})).toThrow(/no schema/);
    expect(() => parseAuditDetails("auth.lockout", { minutes: "15" })).toThrow(/minutes/);
    expect(() => parseAuditDetails("return.submit", { ...write, period: "2026-13-01" })).toThrow(/period/);
  });

  it("reads a stored event back, or hands back the raw details when no schema accepts them", () => {
    expect(parseAuditEvent({ action: "auth.lockout", details: { minutes: 15 } })).toEqual({ action: "auth.lockout", details: { minutes: 15 } });
    expect(parseAuditEvent({ action: "test.event", details: { i: 1 } })).toEqual({ action: "test.event", details: null, raw: { i: 1 } });
    expect(parseAuditEvent({ action: "auth.lockout", details: { minutes: "x" } })).toMatchObject({ details: null, raw: { minutes: "x" } });
  });
});

describe("fieldChangesOf", () => {
  const typed = <A extends AuditAction>(action: A) => ({ action, details: parseAuditDetails(action, EXAMPLES[action]) }) as TypedAuditEvent;

  it("lists a return's changes map, a project's fields, and before/after objects the same way", () => {
    expect(fieldChangesOf(typed("return.submit"))).toEqual([{ field: "completedInvestment", from: "100.00", to: "120.00" }]);
    expect(fieldChangesOf(typed("project.update"))).toEqual([{ field: "totalInvestment", from: "1000.00", to: "1200.00" }]);
    expect(fieldChangesOf(typed("organization.update"))).toEqual([
      { field: "name", from: "仁怀市发展和改革局", to: "仁怀市发改局" },
      { field: "notifyEmail", from: null, to: "fgj@renhuai.example" },
    ]);
    expect(fieldChangesOf(typed("user.roles.change"))).toEqual([{ field: "roles", from: '["OWNER_EDITOR"]', to: '["OWNER_VIEWER"]' }]);
    expect(fieldChangesOf(typed("indicator.value.create"))).toEqual([
      { field: "value", from: null, to: "61.2" },
      { field: "sourceNote", from: null, to: "统计公报" },
    ]);
    expect(fieldChangesOf(typed("notice.answer"))).toEqual([
      { field: "status", from: "OPEN", to: "ANSWERED" },
      { field: "answer", from: null, to: "已整改" },
    ]);
    expect(fieldChangesOf(typed("auth.lockout"))).toEqual([]);
  });
});

// Compile-time: the writer refuses details that do not fit the action (tsc --noEmit checks this file).
export function typeChecks(append: typeof appendAuditEvent, tx: Parameters<typeof appendAuditEvent>[0]) {
  void append(tx, { action: "auth.lockout", details: { minutes: 15 } });
  // @ts-expect-error minutes is a number
  void append(tx, { action: "auth.lockout", details: { minutes: "15" } });
  // @ts-expect-error a key the schema does not have
  void append(tx, { action: "view.delete", details: { name: "x" } });
  // @ts-expect-error an action without a schema
  void append(tx, { action: "report.publish", details: {} });
  // @ts-expect-error details are required
  void append(tx, { action: "user.unlock" });
}

// Every action reads as a sentence (lib/audit/describe.ts), in both languages, from its example:
// no "undefined", no detail key left raw, no message missing.
describe("describeAuditEvent", async () => {
  const { createTranslator } = await import("next-intl");
  const { uiText } = await import("@/i18n/format");
  const { describeAuditEvent, administrativeOnly } = await import("@/lib/audit/describe");
  const zh = (await import("@/messages/zh-CN.json")).default;
  const en = (await import("@/messages/en.json")).default;
  const PROJECT = "遵义新区路网";
  const names = {
    projects: new Map([[ID, PROJECT]]),
    users: new Map([[ID, "张三"]]),
    organizations: new Map([[ID, "仁怀市发展和改革局"]]),
    actors: new Map([["zhang", "张三"]]),
    sources: new Map([["CENTRAL", "中央预算内投资"]]),
  };
  const languages = [
    ["zh-CN", zh],
    ["en", en],
  ] as const;
  const context = (locale: string, messages: typeof zh) => {
    const missing: string[] = [];
    const t = createTranslator({ locale, messages, onError: (e) => missing.push(e.message) }) as unknown as import("@/i18n/format").Translate;
    return { missing, ctx: { t, fmt: uiText(t), names } };
  };
  /** Keys of the details (and of their nested objects and change maps) that must not show through. */
  const keysOf = (value: unknown): string[] =>
    value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]) : [];

  for (const [locale, messages] of languages) {
    it.each(AUDIT_ACTIONS)(`%s reads as a sentence in ${locale}`, (action) => {
      const { missing, ctx } = context(locale, messages);
      const text = describeAuditEvent({ action, details: EXAMPLES[action], actorName: "zhang", entityId: ID }, ctx);
      expect(missing).toEqual([]);
      expect(text).not.toMatch(/undefined|null|NaN|\[object|audit\.sentence|\{/);
      expect(text.startsWith("张三")).toBe(true);
      // A camelCase key or a dotted field never shows (a plain word such as "reason" may, in English prose).
      const raw = keysOf(EXAMPLES[action]).filter((k) => /[A-Z.]/.test(k) || (locale === "zh-CN" && /^[a-z]+$/.test(k) && k.length > 3));
      for (const key of raw) expect(text, `${action} shows the key ${key}`).not.toMatch(new RegExp(`(^|[^A-Za-z])${key.replace(/\./g, "\\.")}($|[^A-Za-z])`));
    });
  }

  it("writes a return edit as 由 X 改为 Y with the form's label, money as the app writes it, and the reason", () => {
    const { ctx } = context("zh-CN", zh);
    const edit = { projectId: ID, period: "2026-11", correctionId: ID, reason: "录入错误", changes: { completedInvestment: { from: "38994.59", to: "40000" } } };
    expect(describeAuditEvent({ action: "return.correction.request", details: edit, actorName: "zhang" }, ctx))
      .toBe(`张三 申请更正 ${PROJECT} 2026-11 月报：本月完成投资（万元） 由 38,994.59 改为 40,000.00；理由：录入错误`);
    const english = context("en", en).ctx;
    expect(describeAuditEvent({ action: "return.correction.request", details: edit, actorName: "zhang" }, english))
      .toBe(`张三 asked to correct the 2026-11 return of ${PROJECT}: Invested this month (10k CNY) from 38,994.59 to 40,000.00; reason: 录入错误`);
  });

  it("withholds a business event from a viewer who may read only administrative events, and shows a broken one as such", () => {
    const { ctx } = context("zh-CN", zh);
    const text = describeAuditEvent({ action: "return.submit", details: EXAMPLES["return.submit"], actorName: "zhang" }, { ...ctx, mayRead: administrativeOnly });
    expect(text).not.toContain(PROJECT);
    expect(text).not.toContain("120.00");
    expect(text).toContain("张三");
    expect(describeAuditEvent({ action: "user.disable", details: EXAMPLES["user.disable"], actorName: "zhang" }, { ...ctx, mayRead: administrativeOnly })).toContain("停用用户 zhang");
    expect(describeAuditEvent({ action: "return.submit", details: { changes: {} }, actorName: null }, ctx)).toContain("return.submit");
  });
});
