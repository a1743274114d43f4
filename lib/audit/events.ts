// What each audit action records in `details`: one zod schema per action (the approach of
// Documenso's document-audit-logs types). appendAuditEvent is typed by it, so a caller cannot
// pass details that do not fit its action, and it validates them again at write time; pages read
// events back through parseAuditEvent instead of casting. Reasons: docs/decisions/0021.
// A new action is added here first; tests/unit/audit-events.test.ts fails when code writes an
// action string that has no schema.
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Building blocks

const id = z.string().min(1).max(200);
const nullableText = z.string().nullable();
/** A value as stored in JSON (money as decimal strings, dates as ISO); the write path makes it JSON. */
const json = z.unknown();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const period = z.string().regex(/^\d{4}-\d{2}$/);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** One field's change, `{ from, to }`: what the details' `changes` maps hold. */
export const fieldChangeSchema = z.strictObject({ from: json, to: json });
const changesMap = z.record(z.string(), fieldChangeSchema);
/** Field → value, the `before`/`after` halves of an edit. */
const values = z.record(z.string(), json);

/**
 * Where a change came from when a bulk import wrote it (lib/data/imports.ts): the file, its
 * SHA-256, the batch and (per row) the row number. Spread into the details of the events it writes.
 */
export const importOriginSchema = z.strictObject({
  source: z.literal("import"),
  fileName: z.string(),
  sha256,
  importBatchId: id,
  row: z.number().int().positive().optional(),
});
export type ImportOrigin = z.input<typeof importOriginSchema>;
const fromImport = importOriginSchema.partial().shape;

const returnStatus = z.enum(["DRAFT", "SUBMITTED", "APPROVED", "RETURNED"]);
const evidenceList = z.array(z.strictObject({ attachmentId: id, sha256, fileName: z.string() }));
const userFacts = z.strictObject({ displayName: z.string(), organizationId: id.nullable(), roles: z.array(z.string()) });
// notifyEmail is optional: events written before the field was editable do not carry it.
const organizationFacts = z.strictObject({ name: z.string(), kind: z.string(), parentId: id.nullable(), divisionCode: nullableText, notifyEmail: nullableText.optional() });
const securityValues = z.strictObject({
  passwordMinLength: z.number().int().optional(),
  requireMixedCase: z.boolean().optional(),
  requireDigit: z.boolean().optional(),
  requireSymbol: z.boolean().optional(),
  maxFailedLogins: z.number().int().optional(),
  lockoutMinutes: z.number().int().optional(),
  ipMaxFailuresPer15Min: z.number().int().optional(),
  idleTimeoutMinutes: z.number().int().optional(),
  absoluteTimeoutHours: z.number().int().optional(),
});
const nothing = z.strictObject({});
const username = z.strictObject({ username: z.string() });

/** What a full verification found (lib/audit/queries.ts StoredVerification). */
export const storedVerificationSchema = z.strictObject({
  ok: z.boolean(),
  checked: z.number().int(),
  firstSeq: nullableText,
  lastSeq: nullableText,
  checkpointsChecked: z.number().int(),
  firstBrokenSeq: nullableText,
  reason: nullableText,
  warnings: z.array(z.string()),
  brokenRow: z
    .strictObject({ seq: z.string(), at: z.string(), action: z.string(), entityType: nullableText, entityId: nullableText, actorName: nullableText, reason: nullableText })
    .nullable(),
});

const returnWrite = z.strictObject({
  projectId: id,
  period,
  fromStatus: returnStatus.nullable(),
  toStatus: returnStatus,
  fromVersion: z.number().int().nullable(),
  changes: changesMap,
  evidence: evidenceList,
  problemsAdded: z.number().int(),
  problemsResolved: z.array(id),
  ...fromImport,
});

const returnDecision = z.strictObject({
  projectId: id,
  period,
  fromStatus: returnStatus,
  toStatus: returnStatus,
  reason: nullableText.optional(),
  submittedById: id.nullable(),
  approverId: id.nullable(),
  completedInvestment: z.string().nullable(),
  milestonesApplied: z.record(z.string(), z.strictObject({ from: isoDay.nullable(), to: isoDay })),
  /** Set when the reviewer approved it with others from the queue (one event per return, one id per batch). */
  bulkApprovalId: id.optional(),
  ...fromImport,
});

const correctionDecision = z.strictObject({
  projectId: id,
  period,
  correctionId: id,
  reason: z.string(),
  note: nullableText.optional(),
  requestedById: id,
  approverId: id.nullable(),
  changes: changesMap,
});

const indicatorValue = z.strictObject({
  indicator: z.string(),
  unit: z.string(),
  year: z.number().int(),
  before: z.strictObject({ value: z.string(), sourceNote: nullableText, isDemo: z.boolean() }).nullable(),
  after: z.strictObject({ value: z.string(), sourceNote: nullableText }),
});

const userChange = z.strictObject({ before: userFacts, after: userFacts });

// ---------------------------------------------------------------------------------------------
// The schemas, one per action

export const AUDIT_EVENT_SCHEMAS = {
  // Sign-in and sessions (lib/auth)
  "auth.login": z.strictObject({ mfaPending: z.boolean().optional(), via: z.string().optional() }),
  "auth.login.failed": z.strictObject({ reason: z.string(), failures: z.number().int().optional() }),
  "auth.lockout": z.strictObject({ minutes: z.number().int() }),
  "auth.logout": nothing,
  "auth.sso.refused": z.strictObject({ reason: z.enum(["unknown-user", "disabled", "admin-not-allowed"]) }),
  "auth.permission.denied": z.strictObject({ permission: z.string() }),
  "session.revoke": nothing,
  "account.password.change": nothing,
  "account.totp.enable": nothing,

  // Users, organizations, security settings (lib/data/users.ts, organizations.ts)
  "setup.initial-admin": username,
  "user.create": z.strictObject({ username: z.string(), displayName: z.string(), organizationId: id.nullable(), roles: z.array(z.string()), systemAccount: z.literal(true).optional() }),
  "user.update": userChange,
  "user.roles.change": userChange,
  "user.disable": username,
  "user.enable": username,
  "user.password.reset": username,
  "user.unlock": nothing,
  "security.settings.update": z.strictObject({ before: securityValues, after: securityValues }),
  "organization.create": z.strictObject({ after: organizationFacts }),
  "organization.update": z.strictObject({ before: organizationFacts, after: organizationFacts }),

  // The read API (lib/api): tokens issued and revoked, and every call served
  "api.token.create": z.strictObject({
    ownerId: id,
    ownerName: z.string(),
    name: z.string(),
    prefix: z.string(),
    permissions: z.array(z.string()),
    expiresAt: z.string(),
  }),
  "api.token.revoke": z.strictObject({ ownerId: id, ownerName: z.string(), prefix: z.string() }),
  "api.call": z.strictObject({ tokenId: id.nullable(), route: z.string(), status: z.number().int(), count: z.number().int().min(0) }),

  // Saved table views (lib/data/table-views.ts)
  "view.save": z.strictObject({ name: z.string(), query: z.string(), shared: z.boolean() }),
  "view.delete": nothing,

  // Projects: the registry form and the bulk import
  "project.create": z.strictObject({
    ...fromImport,
    name: z.string(),
    county: z.string(),
    programme: z.string(),
    targetStage2025: z.string(),
    fields: z.array(z.string()),
    before: values,
    after: values,
    annualPlans: z.record(z.string(), z.string()),
    funding: z.record(z.string(), z.string()),
    /** PENDING: the new project waits for its review office (待审核, docs/decisions/0031); absent before that change. */
    approval: z.enum(["ACCEPTED", "PENDING"]).optional(),
  }),
  // A new project's review (docs/decisions/0031): accepted into the library, refused with a reason, resubmitted by its owner.
  "project.accept": z.strictObject({ name: z.string(), ownerOrgId: id.nullable(), reviewDivisionCode: z.string().nullable(), fromVersion: z.number().int() }),
  "project.refuse": z.strictObject({ name: z.string(), ownerOrgId: id.nullable(), reviewDivisionCode: z.string().nullable(), fromVersion: z.number().int(), reason: z.string().min(1) }),
  "project.resubmit": z.strictObject({ name: z.string(), fromVersion: z.number().int(), previousReason: z.string().nullable() }),
  "project.update": z.strictObject({
    ...fromImport,
    fields: z.array(z.string()),
    before: values,
    after: values,
    fromVersion: z.number().int().optional(),
    /** Which of the replaced values were generated demo data (the registry form). */
    demoBefore: z.array(z.string()).optional(),
    /** Annual-plan and funding changes an import made beside the fields. */
    otherChanges: changesMap.optional(),
  }),
  "import.confirm": z.strictObject({
    ...importOriginSchema.omit({ row: true }).shape,
    kind: z.enum(["registry", "returns"]),
    format: z.string(),
    sheet: z.string().nullable().optional(),
    summary: z.strictObject({
      rows: z.number().int(), create: z.number().int(), update: z.number().int(), unchanged: z.number().int(),
      submit: z.number().int(), approve: z.number().int(), errorRows: z.number().int(), errors: z.number().int(),
      /** Returns rows with every figure blank, left out (absent in events from before they were). */
      skipped: z.number().int().optional(),
    }),
  }),

  // Monthly returns and corrections (lib/data/returns.ts)
  "return.save": returnWrite,
  "return.submit": returnWrite,
  "return.approve": returnDecision,
  "return.return": returnDecision,
  "return.correction.request": z.strictObject({ projectId: id, period, correctionId: id, reason: z.string(), changes: changesMap }),
  "return.correction.approve": correctionDecision,
  "return.correction.reject": correctionDecision,
  "return.attachment.remove": z.strictObject({ projectId: id, period, returnStatus, attachmentId: id, fileName: z.string(), sha256, size: z.number().int() }),

  // Baseline changes, 项目调整申请 (lib/baselines/commands.ts, docs/decisions/0030). `changes` keys:
  // totalInvestment, milestone.<KIND>, annualPlan.<year>; from = the current baseline when proposed.
  // `evidence`: the files attached to the request (absent on requests made before evidence was required).
  "baseline.propose": z.strictObject({ projectId: id, changeId: id, reason: z.string(), changes: changesMap, evidence: evidenceList.optional() }),
  "baseline.approve": z.strictObject({ projectId: id, changeId: id, reason: z.string(), requestedById: id, changes: changesMap }),
  "baseline.refuse": z.strictObject({ projectId: id, changeId: id, reason: z.string(), refusalReason: z.string(), requestedById: id, changes: changesMap }),

  // Indicators (lib/data/indicators.ts)
  "indicator.value.create": indicatorValue,
  "indicator.value.update": indicatorValue,

  // 督办 notices (lib/data/notices.ts)
  "notice.send": z.strictObject({
    projectId: id,
    project: z.string(),
    ownerOrgId: id,
    subject: z.string(),
    deadline: isoDay,
    light: z.string().nullable(),
    reasons: json.nullable(),
  }),
  "notice.answer": z.strictObject({
    projectId: id,
    before: z.strictObject({ status: z.string(), answer: nullableText }),
    after: z.strictObject({ status: z.literal("ANSWERED"), answer: z.string() }),
    answeredAfterDeadline: z.boolean(),
  }),
  "notice.close": z.strictObject({
    projectId: id,
    before: z.strictObject({ status: z.string() }),
    after: z.strictObject({ status: z.literal("CLOSED") }),
    closingNote: nullableText.optional(),
    closedWithoutAnswer: z.boolean(),
    deadline: isoDay,
  }),

  // Exports
  "export.audit": z.strictObject({
    format: z.enum(["xlsx", "csv"]),
    filters: z.strictObject({ project: z.string().optional(), user: z.string().optional(), org: z.string().optional(), from: z.string().optional(), to: z.string().optional(), action: z.string().optional() }),
    rows: z.number().int(),
    truncated: z.boolean(),
    sha256,
  }),
  "export.reconciliation": z.strictObject({
    format: z.enum(["xlsx", "csv"]),
    /** Rows listed over all checks (every row: the export is not cut at the page's 200). */
    findings: z.number().int(),
    /** The plan whose column totals and target the file compares (null before any plan is loaded). */
    plan: z.string().nullable(),
    sha256,
  }),
  /** The project list as a file (docs/decisions/0039): its rows and the SHA-256 of the body sent. */
  "export.projects": z.strictObject({
    format: z.enum(["xlsx", "csv"]),
    scope: z.string(),
    rows: z.number().int(),
    sha256,
  }),
  "export.oc4ids": z.strictObject({
    format: z.literal("oc4ids-0.9-project-package"),
    scope: z.string(),
    /** The plan exported (docs/decisions/0028); absent in events from before plans could be chosen. */
    plan: z.string().optional(),
    projects: z.number().int(),
    uri: z.string().optional(),
    publishedDate: z.string().optional(),
    sha256: sha256.optional(),
  }),

  // The audit log itself (lib/audit)
  "audit.verify": storedVerificationSchema,
  "audit.checkpoint": z.strictObject({ dir: z.string() }),
  "audit.purge": z.strictObject({
    before: z.string(),
    retentionDays: z.number().int(),
    fromSeq: z.string(),
    toSeq: z.string(),
    count: z.number().int(),
    lastPurgedHash: z.string(),
    archiveFile: z.string(),
    archiveSha256: sha256,
    checkpointFile: z.string(),
  }),
  /** A restore from a backup (the backup helper's `restore` command): which archive, and the chain it brought back. */
  "audit.restore": z.strictObject({
    manifestSha256: sha256,
    archive: z.string(),
    backupCreatedAt: z.string(),
    sourceHead: z.strictObject({ seq: z.string(), hash: z.string() }),
    sourceEpoch: z.string(),
  }),
  /** `npm run db:backup` (lib/operations/backup.ts), written after the snapshot it describes. */
  "audit.backup": z.strictObject({
    manifestSha256: sha256,
    archive: z.string(),
    snapshotHead: z.strictObject({ seq: z.string(), hash: z.string() }).nullable(),
    epoch: z.string(),
    includesSecrets: z.boolean(),
  }),
  /** `npm run plan:load -- <folder>` (scripts/plan-load.ts): which plan, from which files, how many projects. */
  "plan.load": z.strictObject({
    planId: z.string(),
    title: z.string(),
    periodStart: z.number().int(),
    periodEnd: z.number().int(),
    folder: z.string(),
    /** SHA-256 over the folder's files (name and bytes, in name order): what exactly was loaded. */
    sourceSha256: sha256,
    projects: z.number().int(),
    continued: z.number().int(),
    indicators: z.number().int(),
  }),
} as const satisfies Record<string, z.ZodType<Record<string, unknown>>>;

export type AuditAction = keyof typeof AUDIT_EVENT_SCHEMAS;
export const AUDIT_ACTIONS = Object.keys(AUDIT_EVENT_SCHEMAS) as AuditAction[];

/**
 * 三员分立 (docs/decisions/0005): the events the audit administrator reviews — sign-in and sessions,
 * accounts, users and organizations, security settings, API tokens and calls, and the log's own
 * operations and exports. Business content (projects, returns, 督办, indicators, imports, saved
 * views, business exports) is for auditors (审计), not for the audit administrator.
 */
const ADMINISTRATIVE_FAMILIES = ["auth.", "session.", "account.", "user.", "organization.", "security.", "api.", "audit.", "export.audit"];
export const ADMINISTRATIVE_AUDIT_ACTIONS = AUDIT_ACTIONS.filter((action) => ADMINISTRATIVE_FAMILIES.some((family) => action.startsWith(family)));

/** What a writer passes for an action (before JSON: optional keys may be undefined). */
export type AuditDetailsInput<A extends AuditAction> = z.input<(typeof AUDIT_EVENT_SCHEMAS)[A]>;
/** What a reader gets back for an action. */
export type AuditDetails<A extends AuditAction> = z.output<(typeof AUDIT_EVENT_SCHEMAS)[A]>;

/** An event read back and checked against its action's schema: switch on `action` to narrow `details`. */
export type TypedAuditEvent = { [A in AuditAction]: { action: A; details: AuditDetails<A> } }[AuditAction];

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_EVENT_SCHEMAS, action);
}

export class AuditDetailsError extends Error {
  constructor(public readonly action: string, public readonly issues: readonly string[]) {
    super(`audit details for "${action}" do not fit its schema: ${issues.join("; ")}`);
    this.name = "AuditDetailsError";
  }
}

/** The details of one action, checked against its schema; throws AuditDetailsError (unknown action or wrong shape). */
export function parseAuditDetails<A extends AuditAction>(action: A, details: unknown): AuditDetails<A>;
export function parseAuditDetails(action: string, details: unknown): TypedAuditEvent["details"];
export function parseAuditDetails(action: string, details: unknown): TypedAuditEvent["details"] {
  if (!isAuditAction(action)) throw new AuditDetailsError(action, ["no schema for this action (add it to lib/audit/events.ts)"]);
  const result = AUDIT_EVENT_SCHEMAS[action].safeParse(details ?? {});
  if (!result.success) throw new AuditDetailsError(action, result.error.issues.map((i) => `${i.path.join(".") || "(details)"}: ${i.message}`));
  return result.data;
}

/**
 * A stored event read through its schema. An event no schema accepts (written by an older
 * version, or by a test) comes back as `{ action, details: null, raw }`, for display as JSON.
 */
export function parseAuditEvent(event: { action: string; details: unknown }): TypedAuditEvent | { action: string; details: null; raw: unknown } {
  if (!isAuditAction(event.action)) return { action: event.action, details: null, raw: event.details };
  const result = AUDIT_EVENT_SCHEMAS[event.action].safeParse(event.details ?? {});
  return result.success ? ({ action: event.action, details: result.data } as TypedAuditEvent) : { action: event.action, details: null, raw: event.details };
}

/**
 * A stored row of a known action with its details parsed: for reads that select one action (the
 * figure history reads "project.update"). Throws AuditDetailsError when the row does not fit.
 */
export function withDetails<A extends AuditAction, E extends { action: string; details: unknown }>(event: E, ...actions: A[]): Omit<E, "action" | "details"> & Extract<TypedAuditEvent, { action: A }> {
  if (!(actions as string[]).includes(event.action)) throw new AuditDetailsError(event.action, [`expected ${actions.join(" or ")}`]);
  return { ...event, details: parseAuditDetails(event.action, event.details) } as unknown as Omit<E, "action" | "details"> & Extract<TypedAuditEvent, { action: A }>;
}

/** One row of a field-change list. */
export interface FieldChangeRow {
  field: string;
  from: string | null;
  to: string | null;
}

function shown(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A `changes` map ({ field: { from, to } }, as fieldChanges()/figureChanges() build it) as list rows. */
export function fieldChangeRows(changes: Record<string, { from?: unknown; to?: unknown }>): FieldChangeRow[] {
  return Object.entries(changes).map(([field, c]) => ({ field, from: shown(c.from), to: shown(c.to) }));
}

function pairs(before: Record<string, unknown> | null, after: Record<string, unknown>, fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after)])]): FieldChangeRow[] {
  return fields
    .map((field) => ({ field, from: shown(before?.[field]), to: shown(after[field]) }))
    .filter((r) => r.from !== r.to);
}

/**
 * The field-level changes an event records, whatever form its action keeps them in: a `changes`
 * map (returns, corrections), `fields` with `before`/`after` (projects), or `before`/`after`
 * objects (users, organizations, settings, indicators, notices). Empty for events that change no field.
 */
export function fieldChangesOf(event: TypedAuditEvent): FieldChangeRow[] {
  switch (event.action) {
    case "return.save":
    case "return.submit":
    case "return.correction.request":
    case "return.correction.approve":
    case "return.correction.reject":
    case "baseline.propose":
    case "baseline.approve":
    case "baseline.refuse":
      return fieldChangeRows(event.details.changes);
    case "project.create":
    case "project.update":
      return event.details.fields.map((field) => ({ field, from: shown(event.details.before[field]), to: shown(event.details.after[field]) }));
    case "user.update":
    case "user.roles.change":
    case "organization.update":
    case "security.settings.update":
    case "notice.answer":
    case "notice.close":
      return pairs(event.details.before, event.details.after);
    case "organization.create":
      return pairs(null, event.details.after);
    case "indicator.value.create":
    case "indicator.value.update":
      return pairs(event.details.before, event.details.after, ["value", "sourceNote"]);
    default:
      return [];
  }
}
