// Monthly returns (月报): owner units draft and submit, the project's 发改 office approves or
// returns with a reason, approved months lock and change only through a correction request.
// Every write and its audit event commit in one transaction; a stale version is refused with
// the other person's values. The rules themselves are pure, in lib/domain/returns.ts.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { appendAuditEvent } from "@/lib/audit/log";
import { ForbiddenError, NotFoundError, READ_RETURNS, type Permission } from "@/lib/auth/permissions";
import { assertPermission, recordDenied, type CurrentUser } from "@/lib/auth/session";
import { checkAttachment, cleanFileName } from "@/lib/domain/attachments";
import {
  REPORTED_STATUSES,
  buildReturnContext,
  checkReturnFigures,
  currentPeriod,
  dueDate,
  isEditable,
  isOverdue,
  nextStatus,
  periodOf,
  periodStart,
  type ReturnContext,
  type ReturnFigures,
  type ReturnStatus,
} from "@/lib/domain/returns";
import { Prisma } from "@/lib/generated/prisma/client";
import { figureChanges, inputValues, type FigureValues } from "@/lib/domain/returns";
import type { ImportOrigin } from "@/lib/audit/events";
import { latestReportingMonth, monthsBehind, nextDueMonth, returnsOwedFrom } from "@/lib/domain/reporting-calendar";
import { mayOnProject, organizationsHolding, projectSql, projectWhere, type ProjectFacts } from "@/lib/policy";
import { getStorage } from "@/lib/storage";
import type { CorrectionDecisionInput, CorrectionRequestInput, ReturnFiguresInput, ReturnFormInput, ReviewInput } from "@/lib/validations/return";
import { RETURNS_OWED_FROM_SQL } from "./portfolio";
import { ValidationError } from "./users";

type Tx = Prisma.TransactionClient;

export { figureChanges, inputValues, type FigureValues };



export class StaleReturnError extends Error {
  constructor(public readonly current: FigureValues & { version: number; status: ReturnStatus }, public readonly changedBy: { name: string | null; at: string } | null) {
    super("the return was changed by someone else");
    this.name = "StaleReturnError";
  }
}

/** The workflow refuses this step in the return's current status (e.g. editing an approved month). */
export class ReturnStateError extends Error {
  constructor(public readonly status: ReturnStatus | null, public readonly action: string) {
    super(`cannot ${action} a return in status ${status ?? "none"}`);
    this.name = "ReturnStateError";
  }
}

const num = (value: { toString(): string } | null | undefined): string | null => (value === null || value === undefined ? null : new Decimal(value.toString()).toString());
const day = (date: Date) => date.toISOString().slice(0, 10);

type ReturnWithParts = Prisma.MonthlyReturnGetPayload<{ include: { funds: true; milestones: true } }>;

export function figureValues(row: ReturnWithParts): FigureValues {
  return {
    completedInvestment: num(row.completedInvestment)!,
    payments: num(row.payments),
    progressPercent: num(row.progressPercent),
    progressText: row.progressText,
    funds: Object.fromEntries(row.funds.map((f) => [f.sourceCode, num(f.amount)!])),
    milestones: Object.fromEntries(row.milestones.map((m) => [m.kind, day(m.actualDate)])),
    overrunNote: row.overrunNote,
    fundsNote: row.fundsNote,
    progressNote: row.progressNote,
  };
}



function toFigures(values: FigureValues): ReturnFigures {
  return {
    completedInvestment: new Decimal(values.completedInvestment),
    progressPercent: values.progressPercent === null ? null : new Decimal(values.progressPercent),
    funds: Object.fromEntries(Object.entries(values.funds).map(([k, v]) => [k, new Decimal(v)])),
    milestones: values.milestones,
    overrunNote: values.overrunNote,
    fundsNote: values.fundsNote,
    progressNote: values.progressNote,
  };
}

// ---------------------------------------------------------------------------------------------
// Refusals. Who may do what with a project's returns is the access policy's (lib/policy):
// "fileReturns" for the owner unit, "reviewReturns" for the review office.

async function refuse(actor: CurrentUser, permission: Permission, entity: { type: string; id?: string }): Promise<never> {
  await recordDenied(actor, permission, entity);
  throw new ForbiddenError(permission);
}

/** A refusal found inside a transaction: recorded after it ends (embedded mode has one connection). */
class DeniedInTransaction extends Error {
  constructor(readonly permission: Permission, readonly entity: { type: string; id?: string }) {
    super(`permission denied: ${permission}`);
  }
}

/** Runs a transaction whose body may throw DeniedInTransaction, and records the denial outside it. */
async function transactionWithDenial<T>(actor: CurrentUser, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await prisma.$transaction(work);
  } catch (error) {
    if (error instanceof DeniedInTransaction) return refuse(actor, error.permission, error.entity);
    throw error;
  }
}

/** The project if the actor may read its returns, else null (unknown and out-of-scope look alike). */
async function readableProject(actor: CurrentUser, projectId: string) {
  if (!READ_RETURNS.some((p) => actor.permissions.has(p))) return null;
  const scope = projectWhere(actor);
  if (!scope || !/^[0-9a-f-]{36}$/i.test(projectId)) return null;
  return prisma.project.findFirst({
    where: { AND: [{ id: projectId }, scope] },
    select: {
      id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, lifecycleStage: true, totalInvestment: true, plannedStart: true, demoFields: true,
      ownerOrg: { select: { name: true } },
      fundingPlans: { select: { sourceCode: true, amount: true, source: { select: { nameZh: true, nameEn: true } } }, orderBy: { source: { sortOrder: "asc" } } },
      milestones: { select: { kind: true, baselineDate: true, forecastDate: true, actualDate: true } },
    },
  });
}

/** Figures of the project's other reported returns, which the rules compare against. */
async function returnContext(db: Tx | typeof prisma, project: { id: string; totalInvestment: Decimal | { toString(): string } | null; fundingPlans: { sourceCode: string; amount: { toString(): string } }[]; milestones: { kind: string; actualDate: Date | null }[] }, period: string, excludeId: string | null): Promise<ReturnContext & { completedThrough: Decimal }> {
  const others = await db.monthlyReturn.findMany({
    where: { projectId: project.id, status: { in: [...REPORTED_STATUSES] }, ...(excludeId ? { NOT: { id: excludeId } } : {}) },
    select: { period: true, completedInvestment: true, progressPercent: true, funds: { select: { sourceCode: true, amount: true } } },
    orderBy: { period: "asc" },
  });
  return buildReturnContext(
    {
      totalInvestment: project.totalInvestment === null ? null : new Decimal(project.totalInvestment.toString()),
      plannedFunding: Object.fromEntries(project.fundingPlans.map((f) => [f.sourceCode, new Decimal(f.amount.toString())])),
      milestonesOnRecord: project.milestones,
    },
    period,
    others.map((r) => ({
      period: periodOf(r.period),
      completedInvestment: new Decimal(r.completedInvestment.toString()),
      progressPercent: r.progressPercent === null ? null : new Decimal(r.progressPercent.toString()),
      funds: Object.fromEntries(r.funds.map((f) => [f.sourceCode, new Decimal(f.amount.toString())])),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Reading one return.

export async function getReturnPage(actor: CurrentUser, projectId: string, period: string, asOf = new Date()) {
  const project = await readableProject(actor, projectId);
  if (!project) return null;
  const row = await prisma.monthlyReturn.findUnique({
    where: { projectId_period: { projectId, period: periodStart(period) } },
    include: {
      funds: true,
      milestones: true,
      problems: { orderBy: { createdAt: "asc" } },
      attachments: { orderBy: { createdAt: "asc" }, include: { uploadedBy: { select: { displayName: true } } } },
      corrections: { orderBy: { createdAt: "desc" }, include: { requestedBy: { select: { displayName: true } }, decidedBy: { select: { displayName: true } } } },
      submittedBy: { select: { displayName: true } },
      reviewedBy: { select: { displayName: true } },
    },
  });
  const context = await returnContext(prisma, project, period, row?.id ?? null);
  const [openProblems, history, sources] = await Promise.all([
    prisma.returnProblem.findMany({ where: { projectId, status: "OPEN", NOT: row ? { returnId: row.id } : undefined }, orderBy: { createdAt: "asc" } }),
    row ? prisma.auditEvent.findMany({ where: { entityType: "MonthlyReturn", entityId: row.id }, orderBy: { seq: "asc" } }) : Promise.resolve([]),
    prisma.fundingSource.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
  ]);
  const status = (row?.status ?? null);
  const owner = mayOnProject(actor, "fileReturns", project);
  const reviewer = mayOnProject(actor, "reviewReturns", project);
  const pendingCorrection = row?.corrections.find((c) => c.status === "PENDING") ?? null;
  return {
    project,
    period,
    row,
    values: row ? figureValues(row) : null,
    context,
    openProblems,
    history,
    sources,
    due: { date: dueDate(period, env.RETURN_DUE_DAY), overdue: !REPORTED_STATUSES.includes(status as never) && isOverdue(period, asOf, env.RETURN_DUE_DAY) },
    may: {
      edit: owner && isEditable(status) && period <= currentPeriod(asOf),
      review: reviewer && status === "SUBMITTED",
      requestCorrection: owner && status === "APPROVED" && !pendingCorrection,
      decideCorrection: reviewer && !!pendingCorrection,
    },
    pendingCorrection,
  };
}

// ---------------------------------------------------------------------------------------------
// Owner unit: save a draft or submit.

interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

interface StoredFile {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/** Checks and stores the evidence before the transaction; the caller removes them if it fails. */
async function storeFiles(files: UploadedFile[]): Promise<StoredFile[]> {
  const maxBytes = env.ATTACHMENT_MAX_MB * 1024 * 1024;
  const errors: string[] = [];
  const checked = [];
  for (const file of files) {
    const check = await checkAttachment(file.bytes, maxBytes);
    if (!check.ok) errors.push(`validation.attachment.${check.error}`);
    else checked.push({ file, check });
  }
  if (errors.length) throw new ValidationError({ attachments: [...new Set(errors)] });
  const stored: StoredFile[] = [];
  const storage = getStorage();
  try {
    for (const { file, check } of checked) {
      const id = randomUUID();
      const now = new Date();
      const storageKey = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${id}`;
      await storage.put(storageKey, file.bytes);
      stored.push({ id, fileName: cleanFileName(file.name), mimeType: check.mimeType, size: file.bytes.byteLength, sha256: createHash("sha256").update(file.bytes).digest("hex"), storageKey });
    }
  } catch (error) {
    await removeFiles(stored);
    throw error;
  }
  return stored;
}

async function removeFiles(stored: StoredFile[]) {
  const storage = getStorage();
  await Promise.all(stored.map((f) => storage.remove(f.storageKey).catch(() => undefined)));
}

async function lastChange(tx: Tx | typeof prisma, returnId: string) {
  const last = await tx.auditEvent.findFirst({ where: { entityType: "MonthlyReturn", entityId: returnId }, orderBy: { seq: "desc" } });
  return last ? { name: last.actorName, at: last.at.toISOString() } : null;
}

/**
 * Organizations that review a project's returns (its county's or the city's 发改 office): those
 * with a user whose role holds the policy's "reviewReturns" on the project.
 */
async function reviewerOrganizations(tx: Tx, project: ProjectFacts): Promise<string[]> {
  const where = organizationsHolding("reviewReturns", project);
  if (!where) return [];
  const orgs = await tx.organization.findMany({ where, select: { id: true } });
  return orgs.map((o) => o.id);
}

/** What writeReturnInTx needs of the project (already checked to be the actor's to file). */
export interface ReturnProject {
  id: string;
  name: string;
  ownerOrgId: string | null;
  reviewDivisionCode: string | null;
  totalInvestment: { toString(): string } | null;
  fundingPlans: { sourceCode: string; amount: { toString(): string } }[];
  milestones: { kind: string; actualDate: Date | null }[];
}

export interface WriteReturnArgs {
  actor: CurrentUser;
  project: ReturnProject;
  period: string;
  /** The version the writer saw; 0 for a month without a return yet. */
  version: number;
  intent: "save" | "submit";
  values: FigureValues;
  problems?: ReturnFormInput["problems"];
  resolveProblems?: string[];
  stored?: StoredFile[];
  ip: string;
  /** Extra audit details, e.g. { source: "import", fileName, sha256 }. */
  audit?: ImportOrigin;
}

/**
 * Saves or submits one month's figures inside the caller's transaction: the form (saveReturn)
 * and the Excel import both write returns through here. The caller has checked who may file.
 */
export async function writeReturnInTx(tx: Tx, args: WriteReturnArgs): Promise<{ returnId: string; status: ReturnStatus; warnings: Record<string, string[]> }> {
  const { actor, project, version, intent, values, ip } = args;
  const stored = args.stored ?? [];
  const period = periodStart(args.period);
  const existing = await tx.monthlyReturn.findUnique({ where: { projectId_period: { projectId: project.id, period } }, include: { funds: true, milestones: true } });
  const from = (existing?.status ?? null);
  if (!existing && version !== 0) throw new NotFoundError("MonthlyReturn");
  if (existing && existing.version !== version) {
    throw new StaleReturnError({ ...figureValues(existing), version: existing.version, status: existing.status }, await lastChange(tx, existing.id));
  }
  const to = nextStatus(from, intent);
  if (!to) throw new ReturnStateError(from, intent);

  const context = await returnContext(tx, project, args.period, existing?.id ?? null);
  const problems = checkReturnFigures(toFigures(values), context);
  if (intent === "submit" && Object.keys(problems).length) throw new ValidationError(problems);

  const now = new Date();
  const data = {
    completedInvestment: values.completedInvestment,
    payments: values.payments,
    progressPercent: values.progressPercent,
    progressText: values.progressText,
    overrunNote: values.overrunNote,
    fundsNote: values.fundsNote,
    progressNote: values.progressNote,
    status: to,
    ...(to === "SUBMITTED" ? { submittedAt: now, submittedById: actor.id } : {}),
  };
  let returnId: string;
  if (existing) {
    const updated = await tx.monthlyReturn.updateMany({ where: { id: existing.id, version: version }, data: { ...data, version: { increment: 1 } } });
    if (updated.count === 0) throw new StaleReturnError({ ...figureValues(existing), version: existing.version, status: existing.status }, await lastChange(tx, existing.id));
    returnId = existing.id;
    await tx.returnFunding.deleteMany({ where: { returnId } });
    await tx.returnMilestone.deleteMany({ where: { returnId } });
  } else {
    returnId = (await tx.monthlyReturn.create({ data: { ...data, projectId: project.id, period }, select: { id: true } })).id;
  }
  const funds = Object.entries(values.funds).map(([sourceCode, amount]) => ({ returnId, sourceCode, amount }));
  if (funds.length) await tx.returnFunding.createMany({ data: funds });
  const milestones = Object.entries(values.milestones).map(([kind, date]) => ({ returnId, kind: kind as never, actualDate: new Date(`${date}T00:00:00Z`) }));
  if (milestones.length) await tx.returnMilestone.createMany({ data: milestones });

  const newProblems = (args.problems ?? []).filter((p) => p.category && p.level && p.description);
  if (newProblems.length) {
    await tx.returnProblem.createMany({ data: newProblems.map((p) => ({ projectId: project.id, returnId, category: p.category!, level: p.level!, description: p.description! })) });
  }
  let resolved: string[] = [];
  if (args.resolveProblems?.length) {
    const open = await tx.returnProblem.findMany({ where: { id: { in: args.resolveProblems }, projectId: project.id, status: "OPEN" }, select: { id: true } });
    resolved = open.map((p) => p.id);
    await tx.returnProblem.updateMany({ where: { id: { in: resolved } }, data: { status: "RESOLVED", resolvedAt: now } });
  }
  if (stored.length) {
    await tx.attachment.createMany({ data: stored.map((f) => ({ ...f, projectId: project.id, returnId, uploadedById: actor.id })) });
  }

  await appendAuditEvent(tx, {
    actorId: actor.id, actorName: actor.username, action: intent === "submit" ? "return.submit" : "return.save", entityType: "MonthlyReturn", entityId: returnId, ip,
    evidence: stored.map((f) => ({ attachmentId: f.id, sha256: f.sha256, fileName: f.fileName })),
    details: {
      projectId: project.id,
      period: args.period,
      fromStatus: from,
      toStatus: to,
      fromVersion: version,
      changes: figureChanges(existing ? figureValues(existing) : null, values),
      evidence: stored.map((f) => ({ attachmentId: f.id, sha256: f.sha256, fileName: f.fileName })),
      problemsAdded: newProblems.length,
      problemsResolved: resolved,
      ...args.audit,
    },
  });
  if (to === "SUBMITTED") {
    const orgs = await reviewerOrganizations(tx, project);
    if (orgs.length) {
      await tx.notification.createMany({
        data: orgs.map((organizationId) => ({ organizationId, kind: "RETURN_SUBMITTED" as const, projectId: project.id, period: args.period, params: { project: project.name }, link: `/projects/${project.id}/returns/${args.period}` })),
      });
    }
  }
  return { returnId, status: to, warnings: intent === "save" ? problems : {} };
}

export async function saveReturn(actor: CurrentUser, input: ReturnFormInput, files: UploadedFile[], ip: string, asOf = new Date()) {
  await assertPermission(actor, "return:submit:own-org");
  if (input.period > currentPeriod(asOf)) throw new ValidationError({ period: ["validation.return.futurePeriod"] });
  const mine = projectWhere(actor, "fileReturns");
  const project = mine && (await prisma.project.findFirst({
    where: { AND: [{ id: input.projectId }, mine] },
    select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, totalInvestment: true, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } } },
  }));
  if (!project) return refuse(actor, "return:submit:own-org", { type: "Project", id: input.projectId });
  const knownSources = new Set((await prisma.fundingSource.findMany({ select: { code: true } })).map((s) => s.code));
  const unknown = Object.keys(input.funds).filter((code) => !knownSources.has(code));
  if (unknown.length) throw new ValidationError(Object.fromEntries(unknown.map((code) => [`funds.${code}`, ["validation.invalid"]])));
  const values = inputValues(input);

  const stored = await storeFiles(files);
  try {
    return await prisma.$transaction((tx) =>
      writeReturnInTx(tx, { actor, project, period: input.period, version: input.version, intent: input.intent, values, problems: input.problems, resolveProblems: input.resolveProblems, stored, ip }),
    );
  } catch (error) {
    await removeFiles(stored);
    if (isUniqueViolation(error)) {
      // Two editors created the same month at once: the other one won.
      const current = await prisma.monthlyReturn.findUnique({ where: { projectId_period: { projectId: project.id, period: periodStart(input.period) } }, include: { funds: true, milestones: true } });
      if (current) throw new StaleReturnError({ ...figureValues(current), version: current.version, status: current.status }, await lastChange(prisma, current.id));
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: string }).code === "P2002";
}

// ---------------------------------------------------------------------------------------------
// Reviewer: approve or return with a reason.

export async function reviewReturn(actor: CurrentUser, input: ReviewInput, ip: string) {
  await assertPermission(actor, "return:approve:county");
  return transactionWithDenial(actor, (tx) => decideReturnInTx(tx, { actor, ...input, ip }));
}

export interface DecideReturnArgs extends ReviewInput {
  actor: CurrentUser;
  ip: string;
  /** Extra audit details, e.g. { source: "import", fileName, sha256 }. */
  audit?: ImportOrigin;
}

/**
 * Approves or returns a submitted return inside the caller's transaction; approval moves the
 * project's completed investment and milestone dates in the same transaction. The review form
 * and a reviewer's Excel import both decide through here.
 */
export async function decideReturnInTx(tx: Tx, args: DecideReturnArgs): Promise<{ status: ReturnStatus }> {
  const { actor, ip } = args;
  const row = await tx.monthlyReturn.findUnique({ where: { id: args.returnId }, include: { funds: true, milestones: true, project: { select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true } } } });
  if (!row) throw new NotFoundError("MonthlyReturn");
  if (!mayOnProject(actor, "reviewReturns", row.project)) throw new DeniedInTransaction("return:approve:county", { type: "MonthlyReturn", id: row.id });
  if (row.version !== args.version) throw new StaleReturnError({ ...figureValues(row), version: row.version, status: row.status }, await lastChange(tx, row.id));
  const to = nextStatus(row.status, args.decision);
  if (!to) throw new ReturnStateError(row.status, args.decision);
  const now = new Date();
  const updated = await tx.monthlyReturn.updateMany({
    where: { id: row.id, version: args.version },
    data: { status: to, reviewedAt: now, reviewedById: actor.id, returnReason: args.decision === "return" ? args.reason : null, version: { increment: 1 } },
  });
  if (updated.count === 0) throw new StaleReturnError({ ...figureValues(row), version: row.version, status: row.status }, await lastChange(tx, row.id));
  const period = periodOf(row.period);
  const milestonesApplied: Record<string, { from: string | null; to: string }> = {};
  if (to === "APPROVED") {
    // The approved figure becomes the record: the project's cumulative completed investment
    // and the milestones' actual dates move in the same transaction (reconciliation checks it).
    await tx.project.update({ where: { id: row.projectId }, data: { completedInvestment: { increment: row.completedInvestment } } });
    for (const m of row.milestones) {
      const current = await tx.milestone.findUnique({ where: { projectId_kind: { projectId: row.projectId, kind: m.kind } } });
      milestonesApplied[m.kind] = { from: current?.actualDate ? day(current.actualDate) : null, to: day(m.actualDate) };
      await tx.milestone.upsert({
        where: { projectId_kind: { projectId: row.projectId, kind: m.kind } },
        create: { projectId: row.projectId, kind: m.kind, actualDate: m.actualDate, status: "MET" },
        update: { actualDate: m.actualDate, forecastDate: null, status: "MET", isDemo: false, version: { increment: 1 } },
      });
    }
  }
  await appendAuditEvent(tx, {
    actorId: actor.id, actorName: actor.username, action: to === "APPROVED" ? "return.approve" : "return.return", entityType: "MonthlyReturn", entityId: row.id, ip,
    reason: args.reason,
    ...(to === "APPROVED" ? { approverId: actor.id, approverName: actor.username } : {}),
    details: {
      projectId: row.projectId,
      period,
      fromStatus: row.status,
      toStatus: to,
      reason: args.reason,
      submittedById: row.submittedById,
      approverId: to === "APPROVED" ? actor.id : null,
      completedInvestment: num(row.completedInvestment),
      milestonesApplied,
      ...args.audit,
    },
  });
  if (row.project.ownerOrgId) {
    await tx.notification.create({
      data: {
        organizationId: row.project.ownerOrgId,
        kind: to === "APPROVED" ? "RETURN_APPROVED" : "RETURN_RETURNED",
        projectId: row.projectId,
        period,
        params: { project: row.project.name, reason: args.reason ?? "" },
        link: `/projects/${row.projectId}/returns/${period}`,
      },
    });
  }
  return { status: to };
}

// ---------------------------------------------------------------------------------------------
// Corrections to approved months.

export async function requestCorrection(actor: CurrentUser, input: CorrectionRequestInput, ip: string) {
  await assertPermission(actor, "return:submit:own-org");
  return transactionWithDenial(actor, async (tx) => {
    const row = await tx.monthlyReturn.findUnique({
      where: { id: input.returnId },
      include: { funds: true, milestones: true, corrections: { where: { status: "PENDING" } }, project: { select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, totalInvestment: true, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } } } } },
    });
    if (!row) throw new NotFoundError("MonthlyReturn");
    if (!mayOnProject(actor, "fileReturns", row.project)) throw new DeniedInTransaction("return:submit:own-org", { type: "MonthlyReturn", id: row.id });
    if (row.status !== "APPROVED") throw new ReturnStateError(row.status, "correct");
    if (row.corrections.length) throw new ValidationError({ _form: ["validation.return.correctionPending"] });
    const previous = figureValues(row);
    // Milestone dates are not corrected this way: they stay as approved.
    const proposed = { ...inputValues(input), milestones: previous.milestones };
    const context = await returnContext(tx, row.project, periodOf(row.period), row.id);
    const problems = checkReturnFigures(toFigures({ ...proposed, milestones: {} }), context);
    if (Object.keys(problems).length) throw new ValidationError(problems);
    const changes = figureChanges(previous, proposed);
    if (Object.keys(changes).length === 0) throw new ValidationError({ _form: ["validation.return.noChange"] });
    const correction = await tx.correctionRequest.create({
      data: { returnId: row.id, reason: input.reason, previous: previous as unknown as Prisma.InputJsonValue, proposed: proposed, requestedById: actor.id },
    });
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: "return.correction.request", entityType: "MonthlyReturn", entityId: row.id, ip,
      reason: input.reason,
      details: { projectId: row.projectId, period: periodOf(row.period), correctionId: correction.id, reason: input.reason, changes },
    });
    const orgs = await reviewerOrganizations(tx, row.project);
    if (orgs.length) {
      await tx.notification.createMany({
        data: orgs.map((organizationId) => ({ organizationId, kind: "CORRECTION_REQUESTED" as const, projectId: row.projectId, period: periodOf(row.period), params: { project: row.project.name, reason: input.reason }, link: `/projects/${row.projectId}/returns/${periodOf(row.period)}` })),
      });
    }
    return { correctionId: correction.id };
  });
}

export async function decideCorrection(actor: CurrentUser, input: CorrectionDecisionInput, ip: string) {
  await assertPermission(actor, "return:approve:county");
  return transactionWithDenial(actor, async (tx) => {
    const correction = await tx.correctionRequest.findUnique({
      where: { id: input.correctionId },
      include: { monthlyReturn: { include: { funds: true, milestones: true, project: { select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true } } } } },
    });
    if (!correction) throw new NotFoundError("CorrectionRequest");
    const row = correction.monthlyReturn;
    if (!mayOnProject(actor, "reviewReturns", row.project)) throw new DeniedInTransaction("return:approve:county", { type: "CorrectionRequest", id: correction.id });
    const decided = await tx.correctionRequest.updateMany({
      where: { id: correction.id, status: "PENDING" },
      data: { status: input.decision === "approve" ? "APPROVED" : "REJECTED", decidedById: actor.id, decidedAt: new Date(), decisionNote: input.note },
    });
    if (decided.count === 0) throw new ReturnStateError(row.status, "decide");
    // The database refuses changes to approved figures unless the transaction says it applies an
    // approved correction (migration approved_return_lock); this is the only place that does.
    await tx.$executeRaw`SELECT set_config('zunyi.correction', 'on', true)`;
    const period = periodOf(row.period);
    let changes: Record<string, { from: string | null; to: string | null }> = {};
    if (input.decision === "approve") {
      const proposed = correction.proposed as unknown as FigureValues;
      const current = figureValues(row);
      changes = figureChanges(current, proposed);
      await tx.monthlyReturn.update({
        where: { id: row.id },
        data: {
          completedInvestment: proposed.completedInvestment, payments: proposed.payments, progressPercent: proposed.progressPercent, progressText: proposed.progressText,
          overrunNote: proposed.overrunNote, fundsNote: proposed.fundsNote, progressNote: proposed.progressNote, isDemo: false, version: { increment: 1 },
        },
      });
      await tx.returnFunding.deleteMany({ where: { returnId: row.id } });
      const funds = Object.entries(proposed.funds).map(([sourceCode, amount]) => ({ returnId: row.id, sourceCode, amount }));
      if (funds.length) await tx.returnFunding.createMany({ data: funds });
      const delta = new Decimal(proposed.completedInvestment).minus(row.completedInvestment.toString());
      if (!delta.isZero()) await tx.project.update({ where: { id: row.projectId }, data: { completedInvestment: { increment: delta.toString() } } });
    }
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: input.decision === "approve" ? "return.correction.approve" : "return.correction.reject", entityType: "MonthlyReturn", entityId: row.id, ip,
      reason: correction.reason,
      ...(input.decision === "approve" ? { approverId: actor.id, approverName: actor.username } : {}),
      details: { projectId: row.projectId, period, correctionId: correction.id, reason: correction.reason, note: input.note, requestedById: correction.requestedById, approverId: input.decision === "approve" ? actor.id : null, changes },
    });
    if (row.project.ownerOrgId) {
      await tx.notification.create({
        data: { organizationId: row.project.ownerOrgId, kind: "CORRECTION_DECIDED", projectId: row.projectId, period, params: { project: row.project.name, decision: input.decision, note: input.note ?? "" }, link: `/projects/${row.projectId}/returns/${period}` },
      });
    }
    return { status: input.decision };
  });
}

// ---------------------------------------------------------------------------------------------
// Lists: the project's returns, the review queue, who is late, my work.

/** All returns of a project, oldest first, with the cumulative approved figure after each. */
export async function listProjectReturns(actor: CurrentUser, projectId: string) {
  const project = await readableProject(actor, projectId);
  if (!project) return [];
  const rows = await prisma.monthlyReturn.findMany({
    where: { projectId },
    orderBy: { period: "asc" },
    select: { id: true, period: true, status: true, completedInvestment: true, payments: true, progressPercent: true, isDemo: true, funds: { select: { sourceCode: true, amount: true } } },
  });
  let cumulative = new Decimal(0);
  return rows.map((r) => {
    if (r.status === "APPROVED") cumulative = cumulative.plus(r.completedInvestment.toString());
    return { ...r, period: periodOf(r.period), approvedCumulative: cumulative.toString() };
  });
}

/** The evidence filed for a project, newest first. */
export async function listProjectAttachments(actor: CurrentUser, projectId: string) {
  const project = await readableProject(actor, projectId);
  if (!project) return [];
  const rows = await prisma.attachment.findMany({
    where: { projectId },
    orderBy: { createdAt: "desc" },
    select: { id: true, fileName: true, size: true, sha256: true, createdAt: true, monthlyReturn: { select: { period: true } } },
  });
  return rows.map((a) => ({ ...a, period: a.monthlyReturn ? periodOf(a.monthlyReturn.period) : null }));
}

/** Submitted returns and pending corrections the reviewer must decide. */
export async function listReviewQueue(actor: CurrentUser) {
  await assertPermission(actor, "return:approve:county");
  const reviewed = projectWhere(actor, "reviewReturns");
  if (!reviewed) return { returns: [], corrections: [] };
  const inScope = { project: reviewed };
  const [returns, corrections] = await Promise.all([
    prisma.monthlyReturn.findMany({
      where: { status: "SUBMITTED", ...inScope },
      orderBy: [{ submittedAt: "asc" }, { period: "asc" }],
      take: 500,
      select: { id: true, period: true, completedInvestment: true, submittedAt: true, isDemo: true, submittedBy: { select: { displayName: true } }, project: { select: { id: true, name: true, ownerOrg: { select: { name: true } } } } },
    }),
    prisma.correctionRequest.findMany({
      where: { status: "PENDING", monthlyReturn: inScope },
      orderBy: { createdAt: "asc" },
      select: { id: true, reason: true, createdAt: true, requestedBy: { select: { displayName: true } }, monthlyReturn: { select: { period: true, project: { select: { id: true, name: true } } } } },
    }),
  ]);
  return { returns: returns.map((r) => ({ ...r, period: periodOf(r.period) })), corrections: corrections.map((c) => ({ ...c, period: periodOf(c.monthlyReturn.period) })) };
}

/**
 * Projects in the actor's scope that are behind on their returns as of the latest reporting month,
 * with how many months: the reporting calendar's monthsBehind (lib/domain/reporting-calendar.ts),
 * from the first month owed after the latest reported (submitted or approved) return, as the light
 * counts them. Worst first, then by name in pinyin order.
 *
 * The database computes how far behind each project is, orders by it and applies the limit, so
 * the limit keeps the worst. Names are put in pinyin order here: embedded PGlite has no Chinese
 * collation (its ICU carries only the root locale), so the database can order names only by
 * code point, which decides nothing but which equally-late names a full limit cuts.
 */
export async function listLateReturns(actor: CurrentUser, asOf = new Date(), limit = 1000) {
  if (!READ_RETURNS.some((p) => actor.permissions.has(p))) {
    await assertPermission(actor, ...READ_RETURNS);
  }
  const period = latestReportingMonth(asOf, env.RETURN_DUE_DAY);
  const scope = projectSql(actor);
  if (!scope) return { period, rows: [] };
  const due = Prisma.sql`${periodStart(period)}::date`;
  const reported = Prisma.sql`${[...REPORTED_STATUSES]}::"ReturnStatus"[]`;
  // monthsBehind in SQL: since = the later of the first month owed and the month after the last
  // reported one; behind while since is not after the reporting month.
  const late = await prisma.$queryRaw<{ id: string; lastReported: string | null; monthsLate: number }[]>`
    SELECT p.id, to_char(l.last, 'YYYY-MM') AS "lastReported",
           ((extract(year FROM ${due}) * 12 + extract(month FROM ${due}))
             - (extract(year FROM s.since) * 12 + extract(month FROM s.since)) + 1)::int AS "monthsLate"
      FROM "Project" p
     CROSS JOIN LATERAL (
       SELECT max(r.period) AS last FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.status = ANY(${reported})
     ) l
     CROSS JOIN LATERAL (
       SELECT GREATEST(${RETURNS_OWED_FROM_SQL}, (date_trunc('month', l.last::timestamp) + interval '1 month')::date) AS since
     ) s
     WHERE ${scope} AND p."lifecycleStage" = 'CONSTRUCTION' AND s.since <= ${due}
     ORDER BY "monthsLate" DESC, p.name, p.id
     LIMIT ${limit}`;
  const details = new Map(
    (
      await prisma.project.findMany({
        where: { id: { in: late.map((r) => r.id) } },
        select: { id: true, name: true, ownerOrg: { select: { id: true, name: true } }, locations: { select: { division: { select: { name: true } } } } },
      })
    ).map((p) => [p.id, p]),
  );
  const rows = late.map((r) => {
    const p = details.get(r.id)!;
    return { projectId: p.id, name: p.name, owner: p.ownerOrg, counties: p.locations.map((l) => l.division.name), lastReported: r.lastReported, monthsLate: r.monthsLate };
  });
  rows.sort((a, b) => b.monthsLate - a.monthsLate || a.name.localeCompare(b.name, "zh-CN"));
  return { period, rows };
}

/** The owner unit's desk: returns due and overdue, returned to them, drafts, open problems. */
export async function myWork(actor: CurrentUser, asOf = new Date()) {
  await assertPermission(actor, "return:read:own-org");
  const orgId = actor.organizationId;
  const asOfPeriod = latestReportingMonth(asOf, env.RETURN_DUE_DAY);
  const mine = projectWhere(actor, "ownReturns");
  if (!orgId || !mine) return { asOfPeriod, duePeriod: currentPeriod(asOf), due: [], overdue: [], returned: [], drafts: [], problems: [], corrections: [] };
  // The reporting calendar decides: overdue = the months the project is behind (as the light and
  // the late list count them); due = the month after the latest reporting month, if owed.
  const nextDue = nextDueMonth(asOf, env.RETURN_DUE_DAY);
  const projects = await prisma.project.findMany({
    where: { AND: [mine, { lifecycleStage: "CONSTRUCTION" }] },
    select: {
      id: true, name: true, lifecycleStage: true, plannedStart: true, createdAt: true,
      milestones: { where: { kind: "START" }, select: { actualDate: true } },
      monthlyReturns: { where: { OR: [{ status: { in: [...REPORTED_STATUSES] } }, { period: periodStart(nextDue) }] }, orderBy: { period: "desc" }, select: { period: true, status: true } },
    },
    orderBy: { planKey: "asc" },
  });
  const overdue: { projectId: string; name: string; period: string; dueDate: Date }[] = [];
  const due: { projectId: string; name: string; period: string; dueDate: Date; status: ReturnStatus | null }[] = [];
  for (const p of projects) {
    const byPeriod = new Map(p.monthlyReturns.map((r) => [periodOf(r.period), r.status]));
    const reported = (period: string) => REPORTED_STATUSES.includes(byPeriod.get(period) as never);
    const latestReported = p.monthlyReturns.find((r) => REPORTED_STATUSES.includes(r.status as never));
    const owedFrom = returnsOwedFrom({ lifecycleStage: p.lifecycleStage, actualStart: p.milestones[0]?.actualDate ?? null, plannedStart: p.plannedStart, createdAt: p.createdAt });
    for (const period of monthsBehind(owedFrom, latestReported ? periodOf(latestReported.period) : null, asOf, env.RETURN_DUE_DAY)) {
      overdue.push({ projectId: p.id, name: p.name, period, dueDate: dueDate(period, env.RETURN_DUE_DAY) });
    }
    if (owedFrom !== null && owedFrom <= nextDue && !reported(nextDue)) {
      due.push({ projectId: p.id, name: p.name, period: nextDue, dueDate: dueDate(nextDue, env.RETURN_DUE_DAY), status: byPeriod.get(nextDue) ?? null });
    }
  }
  if (overdue.length) {
    await prisma.notification.createMany({
      data: overdue.map((o) => ({ organizationId: orgId, kind: "RETURN_OVERDUE" as const, projectId: o.projectId, period: o.period, params: { project: o.name }, link: `/projects/${o.projectId}/returns/${o.period}`, dedupeKey: `overdue:${o.projectId}:${o.period}` })),
      skipDuplicates: true,
    });
  }
  const own = { project: mine };
  const [returned, drafts, problems, corrections] = await Promise.all([
    prisma.monthlyReturn.findMany({ where: { status: "RETURNED", ...own }, orderBy: { period: "asc" }, select: { id: true, period: true, returnReason: true, reviewedAt: true, project: { select: { id: true, name: true } } } }),
    prisma.monthlyReturn.findMany({ where: { status: "DRAFT", ...own }, orderBy: { period: "asc" }, select: { id: true, period: true, updatedAt: true, project: { select: { id: true, name: true } } } }),
    prisma.returnProblem.findMany({ where: { status: "OPEN", ...own }, orderBy: { createdAt: "asc" }, select: { id: true, category: true, level: true, description: true, createdAt: true, monthlyReturn: { select: { period: true } }, project: { select: { id: true, name: true } } } }),
    prisma.correctionRequest.findMany({ where: { monthlyReturn: own, OR: [{ status: "PENDING" }, { decidedAt: { gte: new Date(asOf.getTime() - 30 * 86_400_000) } }] }, orderBy: { createdAt: "desc" }, select: { id: true, status: true, reason: true, decisionNote: true, monthlyReturn: { select: { period: true, project: { select: { id: true, name: true } } } } } }),
  ]);
  return {
    asOfPeriod,
    duePeriod: nextDue,
    due,
    overdue,
    returned: returned.map((r) => ({ ...r, period: periodOf(r.period) })),
    drafts: drafts.map((r) => ({ ...r, period: periodOf(r.period) })),
    problems: problems.map((p) => ({ ...p, period: periodOf(p.monthlyReturn.period) })),
    corrections: corrections.map((c) => ({ ...c, period: periodOf(c.monthlyReturn.period) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Evidence downloads and notifications.

/** The attachment's metadata and bytes, if the actor may read its project. */
export async function openAttachment(actor: CurrentUser, attachmentId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(attachmentId)) return null;
  const attachment = await prisma.attachment.findUnique({ where: { id: attachmentId } });
  if (!attachment) return null;
  const project = await readableProject(actor, attachment.projectId);
  if (!project) return null;
  const body = await getStorage().get(attachment.storageKey);
  return body ? { attachment, body } : null;
}

export async function listNotifications(actor: CurrentUser, take = 100) {
  if (!actor.organizationId) return [];
  return prisma.notification.findMany({ where: { organizationId: actor.organizationId }, orderBy: { createdAt: "desc" }, take });
}

export async function unreadNotificationCount(actor: CurrentUser): Promise<number> {
  if (!actor.organizationId || !READ_RETURNS.some((p) => actor.permissions.has(p))) return 0;
  return prisma.notification.count({ where: { organizationId: actor.organizationId, readAt: null } });
}

export async function markNotificationsRead(actor: CurrentUser, ids: string[] | "all") {
  await assertPermission(actor, ...READ_RETURNS);
  if (!actor.organizationId) return 0;
  const result = await prisma.notification.updateMany({
    where: { organizationId: actor.organizationId, readAt: null, ...(ids === "all" ? {} : { id: { in: ids } }) },
    data: { readAt: new Date() },
  });
  return result.count;
}
