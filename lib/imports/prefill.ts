// "下载我的项目": the import templates pre-filled with the projects the user may import for (the
// registry: the projects it may edit; returns: the projects it files, or reviews, for the month
// due). Every pre-filled value is what the import would compare it with, so the file uploaded
// back unchanged plans no change at all; a cell the layout cannot hold is left blank ("leave as is").
// Pure: lib/imports/batches.ts (myTemplateRows) reads the projects and calls these.
import Decimal from "decimal.js";
import { obligationOf, owesReturnFor } from "@/lib/domain/reporting-calendar";
import type { FigureValues } from "@/lib/returns/rules";
import { FUNDING_PAIRS, MILESTONE_PAIRS, type ListName } from "./layouts";
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

type Amount = { toString(): string };

/** A project as the registry template shows it (what lib/imports/batches.ts reads). */
export interface RegistryTemplateProject {
  projectCode: string | null;
  name: string;
  ownerOrgId: string | null;
  projectType: string | null;
  nature: string | null;
  lifecycleStage: string;
  targetStage2025: string;
  plannedStart: Date | null;
  plannedCompletion: Date | null;
  totalInvestment: Amount | null;
  plannedInvestment: Amount | null;
  sectorCode: string | null;
  programme: { key: string } | null;
  /** Sorted by division code: the first is the row's 所在区县. */
  locations: { divisionCode: string }[];
  annualPlans: { year: number; amount: Amount }[];
  fundingPlans: { sourceCode: string; amount: Amount }[];
}

/** The registry rows: every field the import compares, as the import reads it back. */
export function registryTemplateRows(projects: readonly RegistryTemplateProject[], lists: ReferenceLists, year: number): TemplateRow[] {
  const label = labelsOf(lists);
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
    const annual = p.annualPlans.find((a) => a.year === year) ?? [...p.annualPlans].sort((a, b) => b.year - a.year)[0];
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

/** A project as the returns template shows it, with its return for the month (if any). */
export interface ReturnsTemplateProject {
  projectCode: string | null;
  name: string;
  lifecycleStage: string;
  plannedStart: Date | null;
  createdAt: Date;
  locations: { divisionCode: string }[];
  milestones: { kind: string; actualDate: Date | null }[];
  monthReturn: { status: string; values: FigureValues } | null;
}

/**
 * The projects owing (or holding) a return for `period`, one row each. Figures are filled only
 * where uploading them again changes nothing: an approved month, or a month the owner unit has
 * submitted (for a reviewer a submitted month would be approved, so it stays blank). A row with
 * every figure blank is skipped by the import.
 */
export function returnsTemplateRows(projects: readonly ReturnsTemplateProject[], lists: ReferenceLists, period: string, role: "owner" | "reviewer"): TemplateRow[] {
  const label = labelsOf(lists);
  const rows: TemplateRow[] = [];
  for (const p of projects) {
    const existing = p.monthReturn;
    if (!existing && !owesReturnFor(obligationOf(p), period)) continue;
    const row: TemplateRow = { projectCode: p.projectCode, name: p.name, county: label("county", p.locations[0]?.divisionCode ?? null), period };
    const settled = existing && (existing.status === "APPROVED" || (existing.status === "SUBMITTED" && role === "owner"));
    if (settled) Object.assign(row, figureCells(existing.values, label));
    rows.push(row);
  }
  return rows;
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
