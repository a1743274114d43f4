// An audit event in words ("张三 将 … 由 X 改为 Y，理由：…"), read through its action's schema
// (lib/audit/events.ts) and written from the messages (audit.sentence.*), in the reader's language.
// The /audit page and the audit export both write it from here. Pure: the names of the projects,
// users and organizations an event refers to by id are looked up by the caller (lib/audit/names.ts).
import { formatChinaDay, formatChinaTime } from "@/lib/domain/dates";
import { formatNumber } from "@/lib/domain/money";
import type { Translate, UiText } from "@/i18n/format";
import { ADMINISTRATIVE_AUDIT_ACTIONS, fieldChangeRows, fieldChangesOf, parseAuditEvent, type AuditAction, type FieldChangeRow, type TypedAuditEvent } from "@/lib/audit/events";

/** Names for the ids events carry: projects, users (by id), organizations, and actors by username. */
export interface AuditNameBook {
  projects: ReadonlyMap<string, string>;
  users: ReadonlyMap<string, string>;
  organizations: ReadonlyMap<string, string>;
  /** username → display name. */
  actors: ReadonlyMap<string, string>;
  /** Funding source code → its name in the reader's language. */
  sources?: ReadonlyMap<string, string>;
}

export const EMPTY_NAME_BOOK: AuditNameBook = { projects: new Map(), users: new Map(), organizations: new Map(), actors: new Map() };

export interface DescribeContext {
  /** A root-level translator (getTranslations() or createTranslator()). */
  t: Translate;
  fmt: UiText;
  names?: AuditNameBook;
  /**
   * Whether the viewer may read this action's content (auditVisibility in lib/audit/export.ts): an
   * event outside it is named as withheld, nothing from its details is read. Default: all actions.
   */
  mayRead?: (action: string) => boolean;
}

export interface DescribableEvent {
  action: string;
  details: unknown;
  actorName: string | null;
  entityId?: string | null;
}

/** The audit administrator's reading rule (三员分立, docs/decisions/0005) as a per-action check. */
export function administrativeOnly(action: string): boolean {
  return (ADMINISTRATIVE_AUDIT_ACTIONS as readonly string[]).includes(action);
}

// Fields whose values are amounts in 万元 (the form labels carry the unit): written as the app
// writes them, with thousands separators and two decimals (lib/domain/money.ts).
const MONEY_FIELDS = new Set(["completedInvestment", "payments", "totalInvestment", "plannedInvestment"]);
const isMoneyField = (field: string) => MONEY_FIELDS.has(field) || field.startsWith("funds.") || field.startsWith("annualPlan.") || field.startsWith("funding.");

const RETURN_FIELDS = new Set(["completedInvestment", "payments", "progressPercent", "progressText", "overrunNote", "fundsNote", "progressNote"]);
const PROJECT_FIELDS = new Set(["projectCode", "projectType", "nature", "lifecycleStage", "plannedStart", "plannedCompletion", "totalInvestment", "plannedInvestment", "sectorCode"]);
const USER_FIELDS: Record<string, string> = { displayName: "admin.users.displayName", organizationId: "admin.users.organization", roles: "admin.users.roles" };
const ORGANIZATION_FIELDS: Record<string, string> = { name: "admin.organizations.name", kind: "admin.organizations.kinds", parentId: "admin.organizations.parent", divisionCode: "admin.organizations.division", notifyEmail: "admin.organizations.notifyEmail" };
const SECURITY_FIELDS = new Set(["passwordMinLength", "requireMixedCase", "requireDigit", "requireSymbol", "maxFailedLogins", "lockoutMinutes", "ipMaxFailuresPer15Min", "idleTimeoutMinutes", "absoluteTimeoutHours"]);
/** Fields whose value is an enum code, and where its name is. */
const ENUM_FIELDS: Record<string, string> = { projectType: "enums.ProjectType", nature: "enums.ProjectNature", lifecycleStage: "enums.LifecycleStage", status: "enums.SupervisionStatus", kind: "admin.organizations.kinds" };

const shortId = (id: string) => id.slice(0, 8);
const select = (flag: boolean | undefined) => (flag ? "yes" : "no");

export function describeAuditEvent(event: DescribableEvent, ctx: DescribeContext): string {
  const { t, fmt } = ctx;
  const names = ctx.names ?? EMPTY_NAME_BOOK;
  const s = (key: string, values: Record<string, string | number> = {}) => t(`audit.sentence.${key}`, values);
  const actor = event.actorName ? (names.actors.get(event.actorName) ?? event.actorName) : t("audit.system");
  if (ctx.mayRead && !ctx.mayRead(event.action)) return s("withheld", { actor });
  const parsed = parseAuditEvent(event);
  if (parsed.details === null) return s("unparsed", { actor, action: event.action });
  const typed: TypedAuditEvent = parsed;

  const projectName = (id: string) => names.projects.get(id) ?? s("unknownProject", { id: shortId(id) });
  const userName = (id: string | null | undefined) => (id ? (names.users.get(id) ?? s("unknownUser", { id: shortId(id) })) : t("common.none"));
  const orgName = (id: string | null | undefined) => (id ? (names.organizations.get(id) ?? s("unknownOrg", { id: shortId(id) })) : t("common.none"));
  const sourceName = (code: string) => names.sources?.get(code) ?? code;
  const returnObject = (d: { projectId: string; period: string }) => s("returnObject", { project: projectName(d.projectId), period: d.period });
  const roleList = (roles: readonly string[]) => fmt.list(roles.map((r) => t(`roles.${r}`)));

  const label = (field: string): string => {
    if (RETURN_FIELDS.has(field)) return t(`returns.field.${field}`);
    if (field.startsWith("funds.")) return `${t("returns.fundsIn")}·${sourceName(field.slice("funds.".length))}`;
    if (field.startsWith("milestones.")) return t(`enums.MilestoneKind.${field.slice("milestones.".length)}`);
    if (field.startsWith("annualPlan.")) return s("fieldAnnualPlan", { year: field.slice("annualPlan.".length) });
    if (field.startsWith("funding.")) return s("fieldFunding", { source: sourceName(field.slice("funding.".length)) });
    if (PROJECT_FIELDS.has(field)) return t(`projectFields.${field}`);
    if (field === "counties") return s("fieldCounties");
    return field;
  };
  const labelFor = (action: AuditAction) => (field: string): string => {
    if (action.startsWith("user.") && USER_FIELDS[field]) return t(USER_FIELDS[field]);
    if (action.startsWith("organization.")) return field === "kind" ? t("admin.organizations.kind") : ORGANIZATION_FIELDS[field] ? t(ORGANIZATION_FIELDS[field]) : field;
    if (action === "security.settings.update" && SECURITY_FIELDS.has(field)) return t(`admin.security.${field}`);
    if (action.startsWith("indicator.")) return field === "value" ? s("fieldIndicatorValue") : t("indicators.sourceNote");
    if (action.startsWith("notice.")) return field === "status" ? s("fieldStatus") : field === "answer" ? t("notices.answer") : field;
    return label(field);
  };
  const valueText = (action: AuditAction, field: string, value: string | null): string => {
    if (value === null || value === "") return s("empty");
    if (isMoneyField(field) && /^-?\d+(\.\d+)?$/.test(value)) return formatNumber(value, 2);
    if (value === "true" || value === "false") return t(value === "true" ? "common.yes" : "common.no");
    if (action.startsWith("user.")) {
      if (field === "organizationId") return orgName(value);
      if (field === "roles") return roleList(JSON.parse(value) as string[]);
    }
    if (action.startsWith("organization.") && field === "parentId") return orgName(value);
    const enumKey = ENUM_FIELDS[field];
    if (enumKey && (action.startsWith("project.") || action.startsWith("notice.") || action.startsWith("organization."))) return t(`${enumKey}.${value}`);
    return value;
  };
  const changeClauses = (action: AuditAction, rows: readonly FieldChangeRow[]) => {
    const name = labelFor(action);
    return rows.map((c) => s("change", { field: name(c.field), from: valueText(action, c.field, c.from), to: valueText(action, c.field, c.to) }));
  };
  /** The head, then its field changes and notes as clauses: "head：a；b；理由：…". */
  const sentence = (head: string, clauses: readonly string[]) => (clauses.length ? fmt.labelled(head, fmt.clauses(clauses)) : head);
  const reasonClause = (reason: string | null | undefined) => (reason ? [s("reason", { reason })] : []);
  const noteClause = (note: string | null | undefined) => (note ? [s("note", { note })] : []);
  const originClause = (d: { source?: string; fileName?: string; row?: number }) =>
    d.source === "import" && d.fileName ? [d.row ? s("importOriginRow", { file: d.fileName, row: d.row }) : s("importOrigin", { file: d.fileName })] : [];

  switch (typed.action) {
    case "auth.login": {
      const d = typed.details;
      return d.mfaPending ? s("auth_login_mfa", { actor }) : s("auth_login", { actor, via: d.via === "gov-sso" ? "sso" : "password" });
    }
    case "auth.login.failed": {
      const d = typed.details;
      const head = s("auth_login_failed", { actor, reason: d.reason.replace(/-/g, "_") });
      return d.failures ? `${head}${fmt.parens(s("failures", { failures: d.failures }))}` : head;
    }
    case "auth.lockout":
      return s("auth_lockout", { actor, minutes: typed.details.minutes });
    case "auth.logout":
      return s("auth_logout", { actor });
    case "auth.sso.refused":
      return s("auth_sso_refused", { actor, reason: typed.details.reason.replace(/-/g, "_") });
    case "auth.permission.denied":
      return s("auth_permission_denied", { actor, permission: typed.details.permission });
    case "session.revoke":
      return s("session_revoke", { actor, user: userName(event.entityId ?? null) });
    case "account.password.change":
      return s("account_password_change", { actor });
    case "account.totp.enable":
      return s("account_totp_enable", { actor });
    case "setup.initial-admin":
      return s("setup_initial_admin", { actor, username: typed.details.username });
    case "user.create": {
      const d = typed.details;
      return s("user_create", { actor, system: select(d.systemAccount), name: d.displayName, username: d.username, org: orgName(d.organizationId), roles: d.roles.length ? roleList(d.roles) : t("common.none") });
    }
    case "user.update":
    case "user.roles.change":
      return sentence(s(typed.action === "user.update" ? "user_update" : "user_roles_change", { actor, name: typed.details.after.displayName }), changeClauses(typed.action, fieldChangesOf(typed)));
    case "user.disable":
    case "user.enable":
    case "user.password.reset":
      return s(typed.action.replace(/\./g, "_"), { actor, username: typed.details.username });
    case "user.unlock":
      return s("user_unlock", { actor, user: userName(event.entityId ?? null) });
    case "security.settings.update":
      return sentence(s("security_settings_update", { actor }), changeClauses(typed.action, fieldChangesOf(typed)));
    case "organization.create":
      return s("organization_create", { actor, name: typed.details.after.name, kind: valueText(typed.action, "kind", typed.details.after.kind) });
    case "organization.update":
      return sentence(s("organization_update", { actor, name: typed.details.before.name }), changeClauses(typed.action, fieldChangesOf(typed)));
    case "api.token.create": {
      const d = typed.details;
      return s("api_token_create", { actor, owner: d.ownerName, name: d.name, prefix: d.prefix, expires: formatChinaDay(d.expiresAt), permissions: fmt.list(d.permissions) });
    }
    case "api.token.revoke":
      return s("api_token_revoke", { actor, owner: typed.details.ownerName, prefix: typed.details.prefix });
    case "api.call":
      return s("api_call", { actor, route: typed.details.route, status: typed.details.status, count: typed.details.count });
    case "view.save":
      return s("view_save", { actor, shared: select(typed.details.shared), name: typed.details.name });
    case "view.delete":
      return s("view_delete", { actor });
    case "project.create": {
      const d = typed.details;
      const extra = [
        ...Object.entries(d.annualPlans).map(([year, v]) => ({ field: `annualPlan.${year}`, from: null, to: v })),
        ...Object.entries(d.funding).map(([source, v]) => ({ field: `funding.${source}`, from: null, to: v })),
      ];
      return sentence(s("project_create", { actor, name: d.name }), [...changeClauses(typed.action, [...fieldChangesOf(typed), ...extra]), ...originClause(d)]);
    }
    case "project.update": {
      const d = typed.details;
      const other = d.otherChanges ? fieldChangeRows(d.otherChanges) : [];
      return sentence(s("project_update", { actor, project: projectName(event.entityId ?? "") }), [...changeClauses(typed.action, [...fieldChangesOf(typed), ...other]), ...originClause(d)]);
    }
    case "import.confirm": {
      const d = typed.details;
      return s("import_confirm", { actor, kind: d.kind, file: d.fileName, ...d.summary });
    }
    case "return.save":
    case "return.submit": {
      const d = typed.details;
      const evidence = d.evidence.length ? [s("evidence", { files: fmt.list(d.evidence.map((e) => e.fileName)) })] : [];
      return sentence(s(typed.action === "return.save" ? "return_save" : "return_submit", { actor, object: returnObject(d) }), [...changeClauses(typed.action, fieldChangesOf(typed)), ...evidence, ...originClause(d)]);
    }
    case "return.approve":
    case "return.return": {
      const d = typed.details;
      const figures = typed.action === "return.approve" && d.completedInvestment !== null ? [s("value", { field: label("completedInvestment"), value: valueText(typed.action, "completedInvestment", d.completedInvestment) })] : [];
      const milestones = changeClauses(typed.action, Object.entries(d.milestonesApplied).map(([kind, m]) => ({ field: `milestones.${kind}`, from: m.from, to: m.to })));
      return sentence(s(typed.action === "return.approve" ? "return_approve" : "return_return", { actor, object: returnObject(d) }), [...figures, ...milestones, ...reasonClause(d.reason), ...originClause(d)]);
    }
    case "return.correction.request":
      return sentence(s("return_correction_request", { actor, object: returnObject(typed.details) }), [...changeClauses(typed.action, fieldChangesOf(typed)), ...reasonClause(typed.details.reason)]);
    case "return.correction.approve":
    case "return.correction.reject": {
      const d = typed.details;
      return sentence(s(typed.action === "return.correction.approve" ? "return_correction_approve" : "return_correction_reject", { actor, object: returnObject(d) }), [...changeClauses(typed.action, fieldChangesOf(typed)), ...reasonClause(d.reason), ...noteClause(d.note)]);
    }
    case "return.attachment.remove":
      return s("return_attachment_remove", { actor, object: returnObject(typed.details), file: typed.details.fileName });
    case "indicator.value.create":
    case "indicator.value.update": {
      const d = typed.details;
      return sentence(s(typed.action === "indicator.value.create" ? "indicator_value_create" : "indicator_value_update", { actor, indicator: d.indicator, year: String(d.year) }), changeClauses(typed.action, fieldChangesOf(typed).map((c) => (c.field === "value" ? { ...c, from: c.from && `${c.from} ${d.unit}`, to: c.to && `${c.to} ${d.unit}` } : c))));
    }
    case "notice.send": {
      const d = typed.details;
      return s("notice_send", { actor, project: d.project, subject: d.subject, deadline: d.deadline });
    }
    case "notice.answer":
      return sentence(s("notice_answer", { actor, project: projectName(typed.details.projectId), late: select(typed.details.answeredAfterDeadline) }), changeClauses(typed.action, fieldChangesOf(typed)));
    case "notice.close":
      return sentence(s("notice_close", { actor, project: projectName(typed.details.projectId), unanswered: select(typed.details.closedWithoutAnswer) }), [...changeClauses(typed.action, fieldChangesOf(typed)), ...noteClause(typed.details.closingNote)]);
    case "export.audit": {
      const d = typed.details;
      const filters = Object.entries(d.filters).flatMap(([name, value]) => (value ? [fmt.labelled(t(`audit.filterField.${name}`), value)] : []));
      return sentence(s("export_audit", { actor, format: d.format, rows: d.rows, truncated: select(d.truncated) }), filters.length ? [s("filters", { filters: fmt.list(filters) })] : []);
    }
    case "export.reconciliation":
      return s("export_reconciliation", { actor, format: typed.details.format, findings: typed.details.findings });
    case "export.projects":
      return s("export_projects", { actor, format: typed.details.format, rows: typed.details.rows });
    case "export.oc4ids":
      return s("export_oc4ids", { actor, projects: typed.details.projects });
    case "audit.verify": {
      const d = typed.details;
      return sentence(s("audit_verify", { actor, ok: select(d.ok), checked: d.checked }), reasonClause(d.reason));
    }
    case "audit.checkpoint":
      return s("audit_checkpoint", { actor });
    case "audit.purge": {
      const d = typed.details;
      return s("audit_purge", { actor, days: d.retentionDays, from: d.fromSeq, to: d.toSeq, count: d.count, archive: d.archiveFile });
    }
    case "audit.restore":
      return s("audit_restore", { actor, archive: typed.details.archive, at: formatChinaTime(typed.details.backupCreatedAt) });
    case "audit.backup":
      return s("audit_backup", { actor, archive: typed.details.archive, secrets: select(typed.details.includesSecrets) });
    case "baseline.propose":
    case "baseline.approve":
    case "baseline.refuse": {
      const d = typed.details;
      // The request's keys are milestone.<KIND>, annualPlan.<year>, totalInvestment (lib/baselines/rules.ts).
      const rows = fieldChangeRows(d.changes).map((c) => ({ ...c, field: c.field.replace(/^milestone\./, "milestones.") }));
      const refusal = typed.action === "baseline.refuse" ? [s("refusalReason", { reason: typed.details.refusalReason })] : [];
      return sentence(s(typed.action.replace(/\./g, "_"), { actor, project: projectName(d.projectId) }), [...changeClauses(typed.action, rows), ...reasonClause(d.reason), ...refusal]);
    }
    case "project.accept":
      return s("project_accept", { actor, name: typed.details.name });
    case "project.refuse":
      return sentence(s("project_refuse", { actor, name: typed.details.name }), [s("refusalReason", { reason: typed.details.reason })]);
    case "project.resubmit":
      return s("project_resubmit", { actor, name: typed.details.name });
    case "plan.load": {
      const d = typed.details;
      return s("plan_load", { actor, title: d.title, from: d.periodStart, to: d.periodEnd, folder: d.folder, projects: d.projects, continued: d.continued, indicators: d.indicators });
    }
  }
}
