// 项目调整申请 (docs/decisions/0030): the owner unit proposes new baseline values with a reason;
// the city's review office approves (the values apply in the same transaction, the originals are
// kept) or refuses with a reason. Each step and its audit event commit together.
import "server-only";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { NotFoundError } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { mayOnProject } from "@/lib/policy";
import { ValidationError } from "@/lib/data/users";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { MilestoneKind } from "@/lib/generated/prisma/enums";
import { refreshProjectLights } from "@/lib/portfolio/lights";
import { baselineChanges, baselineValues, sameBaselineValue } from "./rules";
import type { BaselineValues, DecideBaselineInput, ProposeBaselineInput } from "./schema";

const BASELINE_SELECT = {
  id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, totalInvestment: true, originalTotalInvestment: true, plannedInvestment: true, demoFields: true,
  milestones: { select: { kind: true, baselineDate: true, originalBaselineDate: true, isDemo: true } },
  annualPlans: { select: { year: true, amount: true, originalAmount: true, isDemo: true } },
} as const satisfies Prisma.ProjectSelect;

export async function proposeBaselineChange(actor: CurrentUser, input: ProposeBaselineInput, ip: string) {
  await assertPermission(actor, "baseline:propose:own-org");
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: input.projectId }, select: { ...BASELINE_SELECT, baselineChanges: { where: { status: "PENDING" }, select: { id: true } } } });
    if (!project || !mayOnProject(actor, "proposeBaseline", project)) throw new NotFoundError("Project");
    if (project.baselineChanges.length) throw new ValidationError({ _form: ["validation.baseline.pending"] });
    const current = baselineValues(project);
    const proposed: BaselineValues = {};
    const problems: Record<string, string[]> = {};
    if (input.totalInvestment !== null) {
      proposed.totalInvestment = input.totalInvestment;
      if (project.plannedInvestment !== null && new Decimal(project.plannedInvestment.toString()).greaterThan(input.totalInvestment)) problems.totalInvestment = ["validation.plannedAboveTotal"];
    }
    for (const [kind, date] of Object.entries(input.milestones)) {
      if (date === null || date === undefined) continue;
      if (!(`milestone.${kind}` in current)) problems[`milestones.${kind}`] = ["validation.baseline.unknownMilestone"];
      else proposed[`milestone.${kind}`] = date;
    }
    for (const [key, amount] of Object.entries(input.annualPlans)) {
      if (amount === null) continue;
      const year = key.slice(1);
      if (!(`annualPlan.${year}` in current)) problems[`annualPlans.${key}`] = ["validation.baseline.unknownYear"];
      else proposed[`annualPlan.${year}`] = amount;
    }
    if (Object.keys(problems).length) throw new ValidationError(problems);
    const changes = baselineChanges(current, proposed);
    if (Object.keys(changes).length === 0) throw new ValidationError({ _form: ["validation.baseline.noChange"] });
    const change = await tx.baselineChange.create({
      data: {
        projectId: project.id, reason: input.reason!, requestedById: actor.id, requestedByName: actor.username,
        previous: Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.from])),
        proposed: Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.to])),
      },
    });
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: "baseline.propose", entityType: "Project", entityId: project.id, ip,
      reason: input.reason!,
      details: { projectId: project.id, changeId: change.id, reason: input.reason!, changes },
    });
    return { changeId: change.id, projectId: project.id };
  });
}

export async function decideBaselineChange(actor: CurrentUser, input: DecideBaselineInput, ip: string) {
  await assertPermission(actor, "baseline:approve:city");
  return prisma.$transaction(async (tx) => {
    const change = await tx.baselineChange.findUnique({ where: { id: input.changeId }, include: { project: { select: BASELINE_SELECT } } });
    if (!change || !mayOnProject(actor, "reviewBaseline", change.project)) throw new NotFoundError("BaselineChange");
    if (change.status !== "PENDING") throw new ValidationError({ _form: ["validation.baseline.decided"] });
    const project = change.project;
    const previous = change.previous as BaselineValues;
    const proposed = change.proposed as BaselineValues;
    const current = baselineValues(project);
    if (input.decision === "approve" && Object.entries(previous).some(([key, value]) => !sameBaselineValue(current[key], value))) {
      // Optimistic concurrency on the project's baseline: it moved since the request was made.
      throw new ValidationError({ _form: ["validation.baseline.stale"] });
    }
    const decided = await tx.baselineChange.updateMany({
      where: { id: change.id, status: "PENDING", version: input.version },
      data: {
        status: input.decision === "approve" ? "APPROVED" : "REFUSED", decidedById: actor.id, decidedByName: actor.username, decidedAt: new Date(),
        decisionReason: input.refusalReason, version: { increment: 1 },
      },
    });
    if (decided.count === 0) throw new ValidationError({ _form: ["validation.baseline.decided"] });
    const changes = Object.fromEntries(Object.keys(proposed).map((k) => [k, { from: previous[k] ?? null, to: proposed[k] ?? null }]));
    if (input.decision === "approve") {
      for (const [key, to] of Object.entries(proposed)) {
        if (to === null) continue;
        if (key === "totalInvestment") {
          await tx.project.update({
            where: { id: project.id },
            data: {
              totalInvestment: to,
              // The first real value is the original; it never changes after (trigger original_baseline_keep).
              ...(project.originalTotalInvestment === null && previous[key] !== null && !project.demoFields.includes("totalInvestment") ? { originalTotalInvestment: previous[key] } : {}),
              ...(project.originalTotalInvestment === null && (previous[key] === null || project.demoFields.includes("totalInvestment")) ? { originalTotalInvestment: to } : {}),
              demoFields: project.demoFields.filter((f) => f !== "totalInvestment"),
              version: { increment: 1 },
            },
          });
        } else if (key.startsWith("milestone.")) {
          const kind = key.slice("milestone.".length) as MilestoneKind;
          const m = project.milestones.find((x) => x.kind === kind)!;
          const original = m.originalBaselineDate ?? (m.baselineDate && !m.isDemo ? m.baselineDate : new Date(to));
          await tx.milestone.update({
            where: { projectId_kind: { projectId: project.id, kind } },
            data: { baselineDate: new Date(to), ...(m.originalBaselineDate ? {} : { originalBaselineDate: original }), isDemo: false, version: { increment: 1 } },
          });
        } else if (key.startsWith("annualPlan.")) {
          const year = Number(key.slice("annualPlan.".length));
          const a = project.annualPlans.find((x) => x.year === year)!;
          const original = a.originalAmount ?? (a.isDemo ? to : a.amount.toString());
          await tx.annualPlan.update({
            where: { projectId_year: { projectId: project.id, year } },
            data: { amount: to, ...(a.originalAmount ? {} : { originalAmount: original }), isDemo: false },
          });
        }
      }
    }
    // A new baseline moves the project's light (序时, milestones): recomputed with the decision (docs/decisions/0032).
    if (input.decision === "approve") await refreshProjectLights(tx, [project.id]);
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: input.decision === "approve" ? "baseline.approve" : "baseline.refuse", entityType: "Project", entityId: project.id, ip,
      reason: input.decision === "approve" ? change.reason : input.refusalReason!,
      ...(input.decision === "approve" ? { approverId: actor.id, approverName: actor.username } : {}),
      details: input.decision === "approve"
        ? { projectId: project.id, changeId: change.id, reason: change.reason, requestedById: change.requestedById, changes }
        : { projectId: project.id, changeId: change.id, reason: change.reason, refusalReason: input.refusalReason!, requestedById: change.requestedById, changes },
    });
    return { status: input.decision, projectId: project.id };
  });
}
