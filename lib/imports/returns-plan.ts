// The monthly-returns import as a pure plan. Each row is one project's month: it is checked with
// the return form's schema and the same rules (lib/returns/rules.ts), against the project's
// other reported months including earlier rows of the same file. An owner unit's rows become
// SUBMITTED (awaiting review) like a typed return; a reviewer's rows become APPROVED with the
// reviewer as approver. Approved months and months already submitted are never overwritten.
import Decimal from "decimal.js";
import { buildReturnContext, checkReturnFigures, figureChanges, inputValues, isPeriod, type FigureValues, type ReportedReturn, type ReturnStatus } from "@/lib/returns/rules";
import { mayOnProject, type PolicyActor, type ProjectApproval } from "@/lib/policy/definition";
import { returnFiguresInput } from "@/lib/returns/schema";
import { FUNDING_PAIRS, MILESTONE_PAIRS, type ListName } from "./layouts";
import { ProjectMatcher, RowReader, readPairs, readProjectKey, type CellError, type FieldChange, type MatchCandidate } from "./plan-common";
import type { ParsedFile } from "./read-file";
import type { Lookup } from "./reference";

/** An owner unit's import files its returns; a reviewer's approves them (lib/policy decides which projects). */
export interface ReturnsActor {
  role: "owner" | "reviewer";
  user: PolicyActor;
}

export interface ReturnsProject extends MatchCandidate {
  ownerOrgId: string | null;
  approval: ProjectApproval;
  reviewDivisionCode: string | null;
  totalInvestment: string | null;
  plannedFunding: Record<string, string>;
  milestones: { kind: string; actualDate: Date | null }[];
}

export interface ExistingReturn {
  id: string;
  projectId: string;
  period: string;
  status: ReturnStatus;
  version: number;
  values: FigureValues;
}

export interface ReturnRowPlan {
  row: number;
  action: "submit" | "approve" | "unchanged";
  projectId: string;
  name: string;
  period: string;
  existing: { id: string; version: number; status: ReturnStatus } | null;
  /** Write the figures and submit (absent when only an approval of what is there is needed). */
  write: boolean;
  values: FigureValues;
  changes: Record<string, FieldChange>;
}

export interface ReturnsPlan {
  rows: ReturnRowPlan[];
  errors: CellError[];
  /** Rows naming a project and month with every figure blank (a pre-filled template's unfilled rows): nothing to file. */
  skipped: number[];
}

/** The cells that name a row's project and month; every other cell is a figure. */
const KEY_COLUMNS = new Set(["projectCode", "name", "county", "period"]);

const dec = (v: string | null) => (v === null ? null : new Decimal(v));

function reported(values: FigureValues, period: string): ReportedReturn {
  return {
    period,
    completedInvestment: new Decimal(values.completedInvestment),
    progressPercent: dec(values.progressPercent),
    funds: Object.fromEntries(Object.entries(values.funds).map(([k, v]) => [k, new Decimal(v)])),
  };
}

function sameFigures(a: FigureValues, b: FigureValues): boolean {
  return Object.keys(figureChanges(normalizeFigures(a), normalizeFigures(b))).length === 0;
}

function normalizeFigures(v: FigureValues): FigureValues {
  const n = (x: string | null) => (x === null ? null : new Decimal(x).toString());
  return {
    ...v,
    completedInvestment: n(v.completedInvestment)!,
    payments: n(v.payments),
    progressPercent: n(v.progressPercent),
    funds: Object.fromEntries(Object.entries(v.funds).map(([k, x]) => [k, n(x)!])),
  };
}

export function planReturnsImport(
  file: ParsedFile,
  lists: Record<ListName, Lookup>,
  actor: ReturnsActor,
  projects: ReturnsProject[],
  existingReturns: ExistingReturn[],
  currentPeriod: string,
): ReturnsPlan {
  const matcher = new ProjectMatcher(projects);
  const errors: CellError[] = [];
  const seen = new Map<string, number>();
  // Reported months per project, updated as the plan goes (earlier rows count for later ones).
  const reportedByProject = new Map<string, Map<string, ReportedReturn>>();
  const existingByKey = new Map(existingReturns.map((r) => [`${r.projectId}|${r.period}`, r]));
  for (const r of existingReturns) {
    if (r.status !== "SUBMITTED" && r.status !== "APPROVED") continue;
    const map = reportedByProject.get(r.projectId) ?? new Map<string, ReportedReturn>();
    map.set(r.period, reported(r.values, r.period));
    reportedByProject.set(r.projectId, map);
  }

  interface Candidate { reader: RowReader; project: ReturnsProject; period: string; values: FigureValues; fundColumn: Map<string, string>; milestoneColumn: Map<string, string> }
  const candidates: Candidate[] = [];

  const skipped: number[] = [];
  const figureColumns = file.columns.filter((c) => !KEY_COLUMNS.has(c.column.key));

  for (const parsed of file.rows) {
    if (figureColumns.every((c) => (parsed.cells[c.index]?.kind ?? "blank") === "blank")) {
      skipped.push(parsed.rowNumber);
      continue;
    }
    const r = new RowReader(file, parsed, lists);
    const { name, county, code } = readProjectKey(r);
    const period = r.get("period");
    if (!period && !r.failedOn("period")) r.fail("period", "validation.required");
    else if (period && !isPeriod(period)) r.fail("period", "validation.return.period");
    else if (period && period > currentPeriod) r.fail("period", "validation.return.futurePeriod");

    const { values: funds, valueColumn: fundColumn } = readPairs(r, "funds", FUNDING_PAIRS, { key: "source", value: "amount" }, "import.error.duplicateSource");
    const { values: milestones, valueColumn: milestoneColumn } = readPairs(r, "milestones", MILESTONE_PAIRS, { key: "kind", value: "date" }, "import.error.duplicateMilestone");
    const input = {
      completedInvestment: r.get("completedInvestment"),
      payments: r.get("payments"),
      progressPercent: r.get("progressPercent"),
      progressText: r.get("progressText"),
      funds,
      milestones,
      overrunNote: r.get("overrunNote"),
      fundsNote: r.get("fundsNote"),
      progressNote: r.get("progressNote"),
    };
    const parsedInput = returnFiguresInput.safeParse(input);
    if (!parsedInput.success) {
      for (const issue of parsedInput.error.issues) {
        const [first, second] = issue.path as string[];
        const key = first === "funds" ? fundColumn.get(String(second)) ?? "funds.1.source" : first === "milestones" ? milestoneColumn.get(String(second)) ?? "milestones.1.kind" : String(first);
        if (!r.failedOn(key)) r.fail(key, issue.message.startsWith("validation.") ? issue.message : "validation.invalid");
      }
    }

    let project: ReturnsProject | null = null;
    if (name && county) {
      const match = matcher.match(code, name, county);
      if (match.kind === "error") r.fail(match.key, match.message, match.params);
      else if (match.kind === "none") r.fail(code ? "projectCode" : "name", "import.error.projectNotFound");
      else {
        const inScope = mayOnProject(actor.user, actor.role === "owner" ? "fileReturns" : "reviewReturns", match.project);
        if (!inScope) r.fail(match.by === "code" ? "projectCode" : "name", actor.role === "owner" ? "import.error.notOwnProject" : "import.error.notReviewedHere");
        else project = match.project;
      }
    }
    if (project && period && !r.failedOn("period")) {
      const key = `${project.id}|${period}`;
      const first = seen.get(key);
      if (first !== undefined) r.fail("period", "import.error.duplicateMonth", { row: first });
      else seen.set(key, parsed.rowNumber);
    }
    if (r.errors.length || !parsedInput.success || !project || !period) {
      errors.push(...r.errors);
      continue;
    }
    candidates.push({ reader: r, project, period, values: inputValues(parsedInput.data), fundColumn, milestoneColumn });
  }

  // Months in order within each project, so each is checked against the ones before it.
  candidates.sort((a, b) => (a.project.id < b.project.id ? -1 : a.project.id > b.project.id ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const rows: ReturnRowPlan[] = [];
  for (const c of candidates) {
    const { reader: r, project, period, values } = c;
    const existing = existingByKey.get(`${project.id}|${period}`) ?? null;
    const status = existing?.status ?? null;
    const same = existing ? sameFigures(existing.values, values) : false;
    let action: ReturnRowPlan["action"];
    let write = true;
    if (status === "APPROVED") {
      if (!same) r.fail("completedInvestment", "import.error.returnApproved");
      action = "unchanged";
      write = false;
    } else if (status === "SUBMITTED") {
      if (!same) r.fail("completedInvestment", actor.role === "owner" ? "import.error.returnSubmitted" : "import.error.returnSubmittedDiffers");
      action = actor.role === "owner" ? "unchanged" : "approve";
      write = false;
    } else {
      action = actor.role === "owner" ? "submit" : "approve";
    }
    if (!r.errors.length && write) {
      const others = [...(reportedByProject.get(project.id)?.values() ?? [])].filter((o) => o.period !== period);
      const context = buildReturnContext(
        {
          totalInvestment: dec(project.totalInvestment),
          plannedFunding: Object.fromEntries(Object.entries(project.plannedFunding).map(([k, v]) => [k, new Decimal(v)])),
          milestonesOnRecord: project.milestones,
        },
        period,
        others,
      );
      for (const [field, messages] of Object.entries(checkReturnFigures(values, context))) {
        const key = field.startsWith("funds.") ? c.fundColumn.get(field.slice(6)) ?? field : field.startsWith("milestones.") ? c.milestoneColumn.get(field.slice(11)) ?? field : field;
        r.fail(key, messages[0]!);
      }
    }
    if (r.errors.length) {
      errors.push(...r.errors);
      continue;
    }
    if (action !== "unchanged") {
      const map = reportedByProject.get(project.id) ?? new Map<string, ReportedReturn>();
      map.set(period, reported(values, period));
      reportedByProject.set(project.id, map);
    }
    rows.push({
      row: r.rowNumber, action, projectId: project.id, name: project.name, period,
      existing: existing ? { id: existing.id, version: existing.version, status: existing.status } : null,
      write, values,
      changes: write ? figureChanges(existing ? existing.values : null, values) : {},
    });
  }
  rows.sort((a, b) => a.row - b.row);
  errors.sort((a, b) => a.row - b.row || a.column.length - b.column.length || a.column.localeCompare(b.column));
  return { rows, errors, skipped };
}
