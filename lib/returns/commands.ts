// Monthly returns (月报): owner units draft and submit, the project's 发改 office approves or
// returns with a reason, approved months lock and change only through a correction request.
// Every write and its audit event commit in one transaction; a stale version is refused with
// the other person's values. The rules themselves are pure, in ./rules.ts; the reads are in
// ./queries.ts, the evidence files in ./attachments.ts.
import "server-only";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { ForbiddenError, NotFoundError, type Permission } from "@/lib/auth/permissions";
import { assertPermission, recordDenied, type CurrentUser } from "@/lib/auth/session";
import { checkReturnFigures, currentPeriod, isEditable, nextStatus, periodOf, periodStart, type ReturnStatus, returnPagePath } from "./rules";
import { Prisma } from "@/lib/generated/prisma/client";
import { figureChanges, inputValues, type FigureValues } from "./rules";
import type { ImportOrigin } from "@/lib/audit/events";
import { mayOnProject, organizationsHolding, projectWhere, type ProjectFacts } from "@/lib/policy";
import type { BulkApproveInput, CorrectionDecisionInput, CorrectionRequestInput, RemoveAttachmentInput, ReturnFormInput, ReviewInput } from "./schema";
import { ValidationError } from "@/lib/data/users";
import { notify } from "@/lib/notifications/notify";
import { removeFiles, storeFiles, type StoredFile, type UploadedFile } from "./attachments";
import { addToCompletedInvestment } from "./cumulative";
import { enqueueLightsRefresh } from "@/lib/jobs/enqueue";
import { refreshProjectLights } from "@/lib/portfolio/lights";
import { figureValues, returnContext, returnFindings } from "./queries";
import { randomUUID } from "node:crypto";

type Tx = Prisma.TransactionClient;

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

/** A bulk approval met a return whose checks have findings: it must be opened and judged alone. */
export class UncleanReturnError extends Error {
  constructor(public readonly findings: Record<string, string[]>) {
    super("the return has findings and cannot be approved in bulk");
    this.name = "UncleanReturnError";
  }
}

const num = (value: { toString(): string } | null | undefined): string | null => (value === null || value === undefined ? null : new Decimal(value.toString()).toString());
const day = (date: Date) => date.toISOString().slice(0, 10);

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
export async function writeReturnInTx(tx: Tx, args: WriteReturnArgs): Promise<{ returnId: string; status: ReturnStatus; warnings: Record<string, string[]>; duplicates: StoredFile[] }> {
  const { actor, project, version, intent, values, ip } = args;
  let stored = args.stored ?? [];
  let duplicates: StoredFile[] = [];
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
  const problems = checkReturnFigures(values, context);
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
    // The same bytes are kept once per return: a file already attached (or given twice) is not stored again.
    ({ fresh: stored, duplicates } = withoutDuplicates(stored, await tx.attachment.findMany({ where: { returnId }, select: { sha256: true } })));
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
      await notify(tx, orgs.map((organizationId) => ({ organizationId, kind: "RETURN_SUBMITTED" as const, projectId: project.id, period: args.period, params: { project: project.name }, link: returnPagePath(project.id, args.period) })));
    }
  }
  return { returnId, status: to, warnings: intent === "save" ? problems : {}, duplicates };
}

/** Splits uploaded files into those whose bytes the return does not hold yet and the rest. */
export function withoutDuplicates(files: readonly StoredFile[], existing: readonly { sha256: string }[]): { fresh: StoredFile[]; duplicates: StoredFile[] } {
  const seen = new Set(existing.map((a) => a.sha256));
  const fresh: StoredFile[] = [];
  const duplicates: StoredFile[] = [];
  for (const file of files) {
    if (seen.has(file.sha256)) duplicates.push(file);
    else {
      seen.add(file.sha256);
      fresh.push(file);
    }
  }
  return { fresh, duplicates };
}

export async function saveReturn(actor: CurrentUser, input: ReturnFormInput, files: UploadedFile[], ip: string, asOf = new Date()) {
  await assertPermission(actor, "return:submit:own-org");
  if (input.period > currentPeriod(asOf)) throw new ValidationError({ period: ["validation.return.futurePeriod"] });
  const mine = projectWhere(actor, "fileReturns");
  const project = mine && (await prisma.project.findFirst({
    where: { AND: [{ id: input.projectId }, mine] },
    select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, totalInvestment: true, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } } },
  }));
  if (!project) return refuse(actor, "return:submit:own-org", { type: "Project", id: input.projectId });
  const knownSources = new Set((await prisma.fundingSource.findMany({ select: { code: true } })).map((s) => s.code));
  const unknown = Object.keys(input.funds).filter((code) => !knownSources.has(code));
  if (unknown.length) throw new ValidationError(Object.fromEntries(unknown.map((code) => [`funds.${code}`, ["validation.invalid"]])));
  const values = inputValues(input);

  const stored = await storeFiles(files);
  try {
    const result = await prisma.$transaction(async (tx) => {
      const written = await writeReturnInTx(tx, { actor, project, period: input.period, version: input.version, intent: input.intent, values, problems: input.problems, resolveProblems: input.resolveProblems, stored, ip });
      // A submitted month changes the return rule's light: recomputed with the change (docs/decisions/0032).
      await refreshProjectLights(tx, [project.id]);
      return written;
    });
    await removeFiles(result.duplicates);
    return result;
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

/**
 * The owner unit removes an evidence file from a return that is still theirs to change (draft or
 * returned); submitted and approved months keep their evidence. The row and its audit event
 * commit together; the bytes are removed after the commit.
 */
export async function removeReturnAttachment(actor: CurrentUser, input: RemoveAttachmentInput, ip: string): Promise<{ projectId: string; period: string }> {
  await assertPermission(actor, "return:submit:own-org");
  const mine = projectWhere(actor, "fileReturns");
  const found = await prisma.$transaction(async (tx) => {
    const attachment = mine && (await tx.attachment.findFirst({
      where: { id: input.attachmentId, project: mine },
      select: { id: true, fileName: true, sha256: true, size: true, storageKey: true, projectId: true, monthlyReturn: { select: { id: true, period: true, status: true } } },
    }));
    if (!attachment) return null;
    const ret = attachment.monthlyReturn;
    if (!ret || !isEditable(ret.status)) throw new ReturnStateError(ret?.status ?? null, "removeAttachment");
    await tx.attachment.delete({ where: { id: attachment.id } });
    const period = periodOf(ret.period);
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: "return.attachment.remove", entityType: "MonthlyReturn", entityId: ret.id, ip,
      evidence: [{ attachmentId: attachment.id, sha256: attachment.sha256, fileName: attachment.fileName }],
      details: { projectId: attachment.projectId, period, returnStatus: ret.status, attachmentId: attachment.id, fileName: attachment.fileName, sha256: attachment.sha256, size: attachment.size },
    });
    return { projectId: attachment.projectId, period, storageKey: attachment.storageKey };
  });
  if (!found) return refuse(actor, "return:submit:own-org", { type: "Attachment", id: input.attachmentId });
  await removeFiles([{ storageKey: found.storageKey }]);
  return { projectId: found.projectId, period: found.period };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: string }).code === "P2002";
}

// ---------------------------------------------------------------------------------------------
// Reviewer: approve or return with a reason.

export async function reviewReturn(actor: CurrentUser, input: ReviewInput, ip: string) {
  await assertPermission(actor, "return:approve:county");
  return transactionWithDenial(actor, async (tx) => {
    const decided = await decideReturnInTx(tx, { actor, ...input, ip });
    // The approved figures move the project's light: recomputed in this transaction (docs/decisions/0032).
    await refreshProjectLights(tx, [decided.projectId]);
    return decided;
  });
}

export interface DecideReturnArgs extends ReviewInput {
  actor: CurrentUser;
  ip: string;
  /** Extra audit details, e.g. { source: "import", fileName, sha256 }. */
  audit?: ImportOrigin;
  /** Bulk approval from the queue: refuse (UncleanReturnError) unless the return's checks are clean; the batch is named in the audit details. */
  bulk?: { id: string };
}

/**
 * Approves or returns a submitted return inside the caller's transaction; approval moves the
 * project's completed investment and milestone dates in the same transaction. The review form
 * and a reviewer's Excel import both decide through here.
 */
export async function decideReturnInTx(tx: Tx, args: DecideReturnArgs): Promise<{ status: ReturnStatus; projectId: string; period: string }> {
  const { actor, ip } = args;
  const row = await tx.monthlyReturn.findUnique({ where: { id: args.returnId }, include: { funds: true, milestones: true, project: { select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true } } } });
  if (!row) throw new NotFoundError("MonthlyReturn");
  if (!mayOnProject(actor, "reviewReturns", row.project)) throw new DeniedInTransaction("return:approve:county", { type: "MonthlyReturn", id: row.id });
  if (row.version !== args.version) throw new StaleReturnError({ ...figureValues(row), version: row.version, status: row.status }, await lastChange(tx, row.id));
  const to = nextStatus(row.status, args.decision);
  if (!to) throw new ReturnStateError(row.status, args.decision);
  if (args.bulk) {
    const findings = await returnFindings(tx, row.id);
    if (Object.keys(findings).length) throw new UncleanReturnError(findings);
  }
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
    await addToCompletedInvestment(tx, new Map([[row.projectId, row.completedInvestment.toString()]]));
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
      ...(args.bulk ? { bulkApprovalId: args.bulk.id } : {}),
      ...args.audit,
    },
  });
  if (row.project.ownerOrgId) {
    await notify(tx, [
      {
        organizationId: row.project.ownerOrgId,
        kind: to === "APPROVED" ? "RETURN_APPROVED" : "RETURN_RETURNED",
        projectId: row.projectId,
        period,
        params: { project: row.project.name, reason: args.reason ?? "" },
        link: returnPagePath(row.projectId, period),
      },
    ]);
  }
  return { status: to, projectId: row.projectId, period };
}

/** Why one return of a bulk approval was not approved. */
export type BulkRefusal = "forbidden" | "notFound" | "stale" | "state" | "unclean" | "failed";
export type BulkApproveResult =
  | { returnId: string; outcome: "approved"; projectId: string; period: string }
  | { returnId: string; outcome: "refused"; reason: BulkRefusal; findings?: Record<string, string[]> };

/**
 * The reviewer approves several submitted returns from the queue at once. Each is its own
 * command: its own transaction, scope check (a return outside the reviewer's scope is refused and
 * the denial recorded), version check against the version the reviewer saw, clean check (the
 * checks that block submission find nothing) and audit event (naming the batch). One refusal does
 * not stop the others; the result says, per return, approved or refused and why.
 */
export async function approveReturns(actor: CurrentUser, input: BulkApproveInput, ip: string): Promise<{ batchId: string; results: BulkApproveResult[] }> {
  await assertPermission(actor, "return:approve:county");
  const batchId = randomUUID();
  const results: BulkApproveResult[] = [];
  for (const item of input.selected) {
    try {
      const done = await transactionWithDenial(actor, (tx) => decideReturnInTx(tx, { actor, returnId: item.returnId, version: item.version, decision: "approve", reason: null, ip, bulk: { id: batchId } }));
      results.push({ returnId: item.returnId, outcome: "approved", projectId: done.projectId, period: done.period });
    } catch (error) {
      const refused = (reason: BulkRefusal, findings?: Record<string, string[]>) => results.push({ returnId: item.returnId, outcome: "refused", reason, ...(findings ? { findings } : {}) });
      if (error instanceof ForbiddenError) refused("forbidden");
      else if (error instanceof NotFoundError) refused("notFound");
      else if (error instanceof StaleReturnError) refused("stale");
      else if (error instanceof ReturnStateError) refused("state");
      else if (error instanceof UncleanReturnError) refused("unclean", error.findings);
      else {
        // The approvals before this one are committed: report it and go on rather than hide them.
        console.error("bulk approval failed for return", item.returnId, error);
        refused("failed");
      }
    }
  }
  // Many projects: one job recomputes their lights (each approval marked its light stale), not each transaction.
  if (results.some((r) => r.outcome === "approved")) await enqueueLightsRefresh(prisma);
  return { batchId, results };
}

// ---------------------------------------------------------------------------------------------
// Corrections to approved months.

export async function requestCorrection(actor: CurrentUser, input: CorrectionRequestInput, ip: string) {
  await assertPermission(actor, "return:submit:own-org");
  return transactionWithDenial(actor, async (tx) => {
    const row = await tx.monthlyReturn.findUnique({
      where: { id: input.returnId },
      include: { funds: true, milestones: true, corrections: { where: { status: "PENDING" } }, project: { select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, totalInvestment: true, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } } } } },
    });
    if (!row) throw new NotFoundError("MonthlyReturn");
    if (!mayOnProject(actor, "fileReturns", row.project)) throw new DeniedInTransaction("return:submit:own-org", { type: "MonthlyReturn", id: row.id });
    if (row.status !== "APPROVED") throw new ReturnStateError(row.status, "correct");
    if (row.corrections.length) throw new ValidationError({ _form: ["validation.return.correctionPending"] });
    const previous = figureValues(row);
    // Milestone dates are not corrected this way: they stay as approved.
    const proposed = { ...inputValues(input), milestones: previous.milestones };
    const context = await returnContext(tx, row.project, periodOf(row.period), row.id);
    const problems = checkReturnFigures({ ...proposed, milestones: {} }, context);
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
      await notify(tx, orgs.map((organizationId) => ({ organizationId, kind: "CORRECTION_REQUESTED" as const, projectId: row.projectId, period: periodOf(row.period), params: { project: row.project.name, reason: input.reason }, link: returnPagePath(row.projectId, periodOf(row.period)) })));
    }
    return { correctionId: correction.id, projectId: row.projectId, period: periodOf(row.period) };
  });
}

export async function decideCorrection(actor: CurrentUser, input: CorrectionDecisionInput, ip: string) {
  await assertPermission(actor, "return:approve:county");
  return transactionWithDenial(actor, async (tx) => {
    const correction = await tx.correctionRequest.findUnique({
      where: { id: input.correctionId },
      include: { monthlyReturn: { include: { funds: true, milestones: true, project: { select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true } } } } },
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
      await addToCompletedInvestment(tx, new Map([[row.projectId, new Decimal(proposed.completedInvestment).minus(row.completedInvestment.toString())]]));
      await refreshProjectLights(tx, [row.projectId]);
    }
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: input.decision === "approve" ? "return.correction.approve" : "return.correction.reject", entityType: "MonthlyReturn", entityId: row.id, ip,
      reason: correction.reason,
      ...(input.decision === "approve" ? { approverId: actor.id, approverName: actor.username } : {}),
      details: { projectId: row.projectId, period, correctionId: correction.id, reason: correction.reason, note: input.note, requestedById: correction.requestedById, approverId: input.decision === "approve" ? actor.id : null, changes },
    });
    if (row.project.ownerOrgId) {
      await notify(tx, [{ organizationId: row.project.ownerOrgId, kind: "CORRECTION_DECIDED", projectId: row.projectId, period, params: { project: row.project.name, decision: input.decision, note: input.note ?? "" }, link: returnPagePath(row.projectId, period) }]);
    }
    return { status: input.decision, projectId: row.projectId, period };
  });
}

