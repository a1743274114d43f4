// Writes the demo overlay (prisma/seed/demo-overlay.ts) into the database, flagged as demo.
// Runs once: a SeedRun row "demo" records it; the plan seed never overwrites demo fields.
import type { PrismaClient } from "../../lib/generated/prisma/client";
import { DIVISIONS, countyOrganizations } from "../data/reference";
import Decimal from "decimal.js";
import { addToCompletedInvestment } from "../../lib/returns/cumulative";
import { DEMO_PROJECT_FIELDS, DEMO_SEED, generateDemoOverlay, type DemoProjectInput } from "./demo-overlay";

/** The month before `today`: demo returns run up to it. */
export function lastCompleteMonth(today: Date): { year: number; month: number } {
  const month = today.getUTCMonth(); // 0-based current month = 1-based previous month
  return month === 0 ? { year: today.getUTCFullYear() - 1, month: 12 } : { year: today.getUTCFullYear(), month };
}

export async function loadDemoInputs(prisma: PrismaClient): Promise<DemoProjectInput[]> {
  const projects = await prisma.project.findMany({
    where: { planKey: { not: null } },
    select: { id: true, planKey: true, name: true, sectorCode: true, targetStage2025: true, column: { select: { number: true } }, locations: { select: { divisionCode: true } } },
  });
  return projects.map((p) => ({
    id: p.id,
    planKey: p.planKey!,
    name: p.name,
    columnNumber: p.column.number,
    sectorCode: p.sectorCode,
    targetStage2025: p.targetStage2025,
    divisionCodes: p.locations.map((l) => l.divisionCode),
  }));
}

const countyGovernment = (code: string) => {
  const division = DIVISIONS.find((d) => d.code === code);
  return division ? countyOrganizations(division.name).government : undefined;
};

export async function seedDemo(prisma: PrismaClient, today = new Date()): Promise<{ projects: number; returns: number }> {
  const asOf = lastCompleteMonth(today);
  const plan = await prisma.plan.findFirstOrThrow({ select: { keyInvestmentTarget: true } });
  const overlay = generateDemoOverlay(await loadDemoInputs(prisma), { seed: DEMO_SEED, asOf, countyGovernment, plannedTotal: plan.keyInvestmentTarget.toString() });
  const orgIds = new Map((await prisma.organization.findMany({ select: { id: true, name: true } })).map((o) => [o.name, o.id]));
  let returnCount = 0;
  const batch = 1000;

  // One transaction for the registry fields and plan rows of all projects, then the returns.
  // Generous limits: on a busy machine 307 updates can take longer than the default 10 s.
  await prisma.$transaction(
    async (tx) => {
      for (const project of overlay) {
        const ownerOrgId = orgIds.get(project.ownerOrgName);
        if (!ownerOrgId) throw new Error(`demo owner organization missing: ${project.ownerOrgName}`);
        await tx.project.update({
          where: { id: project.projectId },
          data: {
            plannedInvestment: project.plannedInvestment,
            totalInvestment: project.totalInvestment,
            plannedStart: new Date(project.plannedStart),
            plannedCompletion: new Date(project.plannedCompletion),
            nature: project.nature,
            deliveryConfidence: project.deliveryConfidence,
            lifecycleStage: project.lifecycleStage,
            ownerOrgId,
            demoFields: [...DEMO_PROJECT_FIELDS],
          },
        });
      }
      await tx.annualPlan.createMany({
        data: overlay.flatMap((project) => project.annualPlans.map((p) => ({ projectId: project.projectId, ...p, isDemo: true }))),
        skipDuplicates: true,
      });
      await tx.projectFunding.createMany({
        data: overlay.flatMap((project) => project.funding.map((f) => ({ projectId: project.projectId, ...f, isDemo: true }))),
        skipDuplicates: true,
      });
      await tx.milestone.createMany({
        data: overlay.flatMap((project) =>
          project.milestones.map((m) => ({
            projectId: project.projectId,
            kind: m.kind,
            baselineDate: new Date(m.baselineDate),
            forecastDate: m.forecastDate ? new Date(m.forecastDate) : null,
            actualDate: m.actualDate ? new Date(m.actualDate) : null,
            status: m.status,
            isDemo: true,
          })),
        ),
        skipDuplicates: true,
      });
    },
    { maxWait: 60_000, timeout: 300_000 },
  );

  const allReturns = overlay.flatMap((project) => project.returns.map((r) => ({ projectId: project.projectId, ...r })));
  for (let i = 0; i < allReturns.length; i += batch) {
    const slice = allReturns.slice(i, i + batch);
    const created = await prisma.monthlyReturn.createManyAndReturn({
      data: slice.map((r) => ({
        projectId: r.projectId,
        period: new Date(r.period),
        completedInvestment: r.completedInvestment,
        payments: r.payments,
        progressPercent: r.progressPercent,
        progressText: r.progressText,
        // Approved months are written as submitted, given their funds, then approved: the
        // database refuses funds added to a month already approved (return_funding_lock).
        status: "SUBMITTED",
        submittedAt: r.status === "SUBMITTED" ? new Date() : null,
        isDemo: true,
      })),
      select: { id: true, projectId: true, period: true },
      skipDuplicates: true,
    });
    const ids = new Map(created.map((c) => [`${c.projectId}:${c.period.toISOString().slice(0, 10)}`, c.id]));
    const funds = slice.flatMap((r) => {
      const returnId = ids.get(`${r.projectId}:${r.period}`);
      return returnId ? r.funds.map((f) => ({ returnId, ...f })) : [];
    });
    if (funds.length) await prisma.returnFunding.createMany({ data: funds, skipDuplicates: true });
    const approvedRows = slice.filter((r) => r.status === "APPROVED" && ids.has(`${r.projectId}:${r.period}`));
    const approved = approvedRows.map((r) => ids.get(`${r.projectId}:${r.period}`)!);
    if (approved.length) {
      // Approved together with the project's cumulative (the one writer, lib/returns/cumulative.ts).
      const amounts = new Map<string, Decimal>();
      for (const r of approvedRows) amounts.set(r.projectId, (amounts.get(r.projectId) ?? new Decimal(0)).plus(r.completedInvestment));
      await prisma.monthlyReturn.updateMany({ where: { id: { in: approved } }, data: { status: "APPROVED" } });
      await addToCompletedInvestment(prisma, amounts);
    }
    returnCount += created.length;
  }
  return { projects: overlay.length, returns: returnCount };
}
