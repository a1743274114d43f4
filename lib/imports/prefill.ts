// "下载我的项目": the import templates pre-filled with the projects the user may import for (the
// registry: the projects it may edit; returns: the projects it files, or reviews, for the month
// due). Every pre-filled value is what the import would compare it with, so the file uploaded
// back unchanged plans no change at all; a cell the layout cannot hold is left blank ("leave as is").
import "server-only";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { IMPORT_FILES } from "@/lib/auth/permissions";
import { chinaDay, nextDueMonth, obligationOf, owesReturnFor, periodStart } from "@/lib/domain/reporting-calendar";
import { projectReach, projectWhere } from "@/lib/policy";
import { figureValues } from "@/lib/returns/queries";
import type { FigureValues } from "@/lib/returns/rules";
import { FUNDING_PAIRS, MILESTONE_PAIRS, type ImportKindName, type ListName } from "./layouts";
import type { ReferenceLists } from "./reference";
import type { TemplateCell, TemplateRow } from "./templates";

const num = (v: { toString(): string } | null): number | null => (v === null ? null : new Decimal(v.toString()).toNumber());
const day = (d: Date | null): Date | null => (d === null ? null : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())));

/** code → label for each reference list (what the template's drop-downs show). */
function labelsOf(lists: ReferenceLists): (list: ListName, code: string | null) => string | null {
  const maps = new Map((Object.keys(lists) as ListName[]).map((l) => [l, new Map(lists[l].map((e) => [e.code, e.label]))]));
  return (list, code) => (code === null ? null : (maps.get(list)!.get(code) ?? null));
}

export interface PrefilledRows {
  rows: TemplateRow[];
  /** The month the returns template is for (the reporting calendar's month due); absent for the registry. */
  period?: string;
}

/** The rows of the user's "my projects" template of `kind`. */
export async function prefilledRows(actor: CurrentUser, kind: ImportKindName, lists: ReferenceLists, asOf = new Date()): Promise<PrefilledRows> {
  await assertPermission(actor, ...IMPORT_FILES);
  return kind === "registry" ? { rows: await registryRows(actor, lists, asOf) } : returnsRows(actor, lists, asOf);
}

async function registryRows(actor: CurrentUser, lists: ReferenceLists, asOf: Date): Promise<TemplateRow[]> {
  const scope = projectWhere(actor, "edit");
  if (!scope) return [];
  const label = labelsOf(lists);
  const year = chinaDay(asOf).getUTCFullYear();
  const projects = await prisma.project.findMany({
    where: scope,
    orderBy: [{ planKey: "asc" }, { name: "asc" }],
    select: {
      projectCode: true, name: true, ownerOrgId: true, projectType: true, nature: true, lifecycleStage: true, targetStage2025: true,
      plannedStart: true, plannedCompletion: true, totalInvestment: true, plannedInvestment: true, sectorCode: true,
      programme: { select: { key: true } },
      locations: { select: { divisionCode: true }, orderBy: { divisionCode: "asc" } },
      annualPlans: { select: { year: true, amount: true }, orderBy: { year: "desc" } },
      fundingPlans: { select: { sourceCode: true, amount: true } },
    },
  });
  const sourceOrder = new Map(lists.fundingSource.map((e, i) => [e.code, i]));
  return projects.map((p) => {
    const row: TemplateRow = {
      projectCode: p.projectCode,
      name: p.name,
      county: label("county", p.locations[0]?.divisionCode ?? null),
      programme: label("programme", p.programme?.key ?? null),
      sectorCode: label("sector", p.sectorCode),
      owner: label("owner", p.ownerOrgId),
      projectType: label("projectType", p.projectType),
      nature: label("nature", p.nature),
      lifecycleStage: label("stage", p.lifecycleStage),
      targetStage2025: label("target", p.targetStage2025),
      plannedStart: day(p.plannedStart),
      plannedCompletion: day(p.plannedCompletion),
      totalInvestment: num(p.totalInvestment),
      plannedInvestment: num(p.plannedInvestment),
    };
    // One 年度计划 column pair: this year's plan, else the latest one on record.
    const annual = p.annualPlans.find((a) => a.year === year) ?? p.annualPlans[0];
    if (annual) {
      row.annualPlanYear = annual.year;
      row.annualPlanAmount = num(annual.amount);
    }
    // Three 资金来源 pairs: further sources stay as they are (blank means "leave as is").
    const funding = [...p.fundingPlans].sort((a, b) => (sourceOrder.get(a.sourceCode) ?? 99) - (sourceOrder.get(b.sourceCode) ?? 99)).slice(0, FUNDING_PAIRS);
    funding.forEach((f, i) => {
      row[`funding.${i + 1}.source`] = label("fundingSource", f.sourceCode);
      row[`funding.${i + 1}.amount`] = num(f.amount);
    });
    return row;
  });
}

/**
 * The projects owing (or holding) a return for the month due, one row each. Figures are filled
 * only where uploading them again changes nothing: an approved month, or a month the owner unit
 * has submitted (for a reviewer a submitted month would be approved, so it stays blank). A row
 * with every figure blank is skipped by the import.
 */
async function returnsRows(actor: CurrentUser, lists: ReferenceLists, asOf: Date): Promise<PrefilledRows> {
  const period = nextDueMonth(asOf, env.RETURN_DUE_DAY);
  // The same precedence as the returns import: someone who files returns imports as the owner.
  const role = projectReach(actor, "fileReturns") !== "none" ? "owner" : projectReach(actor, "reviewReturns") !== "none" ? "reviewer" : null;
  const scope = role ? projectWhere(actor, role === "owner" ? "fileReturns" : "reviewReturns") : null;
  if (!scope) return { rows: [], period };
  const label = labelsOf(lists);
  const projects = await prisma.project.findMany({
    where: { AND: [scope, { OR: [{ lifecycleStage: "CONSTRUCTION" }, { monthlyReturns: { some: { period: periodStart(period) } } }] }] },
    orderBy: [{ planKey: "asc" }, { name: "asc" }],
    select: {
      projectCode: true, name: true, lifecycleStage: true, plannedStart: true, createdAt: true,
      locations: { select: { divisionCode: true }, orderBy: { divisionCode: "asc" } },
      milestones: { where: { kind: "START" }, select: { kind: true, actualDate: true } },
      monthlyReturns: { where: { period: periodStart(period) }, include: { funds: true, milestones: true } },
    },
  });
  const rows: TemplateRow[] = [];
  for (const p of projects) {
    const existing = p.monthlyReturns[0] ?? null;
    if (!existing && !owesReturnFor(obligationOf(p), period)) continue;
    const row: TemplateRow = { projectCode: p.projectCode, name: p.name, county: label("county", p.locations[0]?.divisionCode ?? null), period };
    const settled = existing && (existing.status === "APPROVED" || (existing.status === "SUBMITTED" && role === "owner"));
    if (settled) Object.assign(row, figureCells(figureValues(existing), label));
    rows.push(row);
  }
  return { rows, period };
}

/** A return's figures as template cells, or nothing when the layout's pairs cannot hold them all. */
function figureCells(v: FigureValues, label: (list: ListName, code: string | null) => string | null): TemplateRow {
  const funds = Object.entries(v.funds);
  const milestones = Object.entries(v.milestones);
  if (funds.length > FUNDING_PAIRS || milestones.length > MILESTONE_PAIRS) return {};
  const cells: Record<string, TemplateCell> = {
    completedInvestment: num(v.completedInvestment),
    payments: num(v.payments),
    progressPercent: num(v.progressPercent),
    progressText: v.progressText,
    overrunNote: v.overrunNote,
    fundsNote: v.fundsNote,
    progressNote: v.progressNote,
  };
  funds.forEach(([source, amount], i) => {
    cells[`funds.${i + 1}.source`] = label("fundingSource", source);
    cells[`funds.${i + 1}.amount`] = num(amount);
  });
  milestones.forEach(([kind, date], i) => {
    cells[`milestones.${i + 1}.kind`] = label("milestone", kind);
    cells[`milestones.${i + 1}.date`] = new Date(`${date}T00:00:00Z`);
  });
  return cells;
}
