// Monthly returns (月报), pure rules: reporting periods and due dates, the review workflow as a
// state machine, and the checks on a return's figures that need the project's context. No
// database and no clock in here: callers pass `asOf`.
import Decimal from "decimal.js";

/** The city (市级): reviews projects that are not inside exactly one county. */
export const CITY_DIVISION = "520300";

/** The 发改 office that reviews a project's returns: its county, or the city when it spans several. */
export function reviewDivisionOf(divisionCodes: readonly string[]): string {
  const unique = [...new Set(divisionCodes)];
  return unique.length === 1 && unique[0] !== CITY_DIVISION ? unique[0]! : CITY_DIVISION;
}

/** The page of a project's return for a month: every link, notification and redirect to a return goes here. */
export function returnPagePath(projectId: string, period: string): string {
  return `/projects/${projectId}/returns/${period}`;
}

/** What a workflow action reports on the return's page after it succeeded (`?done=`; returns.done.* in messages). */
export const RETURN_DONE = ["submitted", "saved", "approved", "returned", "correctionRequested", "correctionDecided", "attachmentRemoved"] as const;
export type ReturnDone = (typeof RETURN_DONE)[number];

// ---------------------------------------------------------------------------------------------
// Periods and due dates live in the reporting calendar (lib/domain/reporting-calendar.ts); they are
// re-exported here for the callers that import them with the rest of the return rules.

export {
  FIRST_PERIOD,
  LAST_PERIOD,
  addMonths,
  chinaDay,
  currentPeriod,
  dueDate,
  isOverdue,
  isPeriod,
  monthsBetween,
  periodEnd,
  periodOf,
  periodStart,
} from "@/lib/domain/reporting-calendar";
import { latestReportingMonth, periodEnd } from "@/lib/domain/reporting-calendar";

/** The latest period whose return is already due (its due day has passed) on `asOf`: the latest reporting month. */
export function lastDuePeriod(asOf: Date, dueDay: number): string {
  return latestReportingMonth(asOf, dueDay);
}

// ---------------------------------------------------------------------------------------------
// Workflow.

export type ReturnStatus = "DRAFT" | "SUBMITTED" | "APPROVED" | "RETURNED";
export type ReturnAction = "save" | "submit" | "approve" | "return";

/**
 * Allowed transitions. `null` is a return that does not exist yet. Saving keeps the status;
 * a returned return stays RETURNED while the owner fixes it, until it is submitted again.
 */
export const RETURN_TRANSITIONS: Record<ReturnAction, { from: readonly (ReturnStatus | null)[]; to: ReturnStatus | "same" }> = {
  save: { from: [null, "DRAFT", "RETURNED"], to: "same" },
  submit: { from: [null, "DRAFT", "RETURNED"], to: "SUBMITTED" },
  approve: { from: ["SUBMITTED"], to: "APPROVED" },
  return: { from: ["SUBMITTED"], to: "RETURNED" },
};

/** Who may take each action: the owner unit's editors, or the project's reviewing office. */
export const ACTION_ACTOR: Record<ReturnAction, "owner" | "reviewer"> = {
  save: "owner",
  submit: "owner",
  approve: "reviewer",
  return: "reviewer",
};

/** The status after `action`, or null when the workflow refuses it. */
export function nextStatus(current: ReturnStatus | null, action: ReturnAction): ReturnStatus | null {
  const rule = RETURN_TRANSITIONS[action];
  if (!rule.from.includes(current)) return null;
  return rule.to === "same" ? (current ?? "DRAFT") : rule.to;
}

/** The owner unit may change the figures only before submission or after it is returned. */
export function isEditable(status: ReturnStatus | null): boolean {
  return status === null || status === "DRAFT" || status === "RETURNED";
}

/** Approved months are locked: only an approved correction request changes them. */
export function isLocked(status: ReturnStatus | null): boolean {
  return status === "APPROVED";
}

/** Statuses whose figures count as reported (approved, or submitted and awaiting review). */
export const REPORTED_STATUSES = ["SUBMITTED", "APPROVED"] as const satisfies readonly ReturnStatus[];

// ---------------------------------------------------------------------------------------------
// Checks on a return's figures that need the project's context (the form schema has already
// refused negative amounts and percentages outside 0–100).

export const MILESTONE_ORDER = [
  "APPROVAL",
  "FEASIBILITY",
  "PRELIMINARY_DESIGN",
  "CONSTRUCTION_PERMIT",
  "START",
  "MAIN_WORKS_DONE",
  "ACCEPTANCE",
  "IN_SERVICE",
] as const;
/** Approvals that may come in any order among themselves but before the start of works. */
const BEFORE_START = ["LAND_PRE_APPROVAL", "EIA_APPROVAL"] as const;

/** The figures the checks compare, parsed from a return's FigureValues (checkReturnFigures). */
interface ParsedFigures {
  /** 本月完成投资 (万元) */
  completedInvestment: Decimal;
  progressPercent: Decimal | null;
  /** 本月资金到位 by funding source code (万元). */
  funds: Record<string, Decimal>;
  /** Milestone dates reached, reported in this return ("YYYY-MM-DD"). */
  milestones: Record<string, string>;
  overrunNote: string | null;
  fundsNote: string | null;
  progressNote: string | null;
}

function parseFigures(values: Pick<FigureValues, "completedInvestment" | "progressPercent" | "funds" | "overrunNote" | "fundsNote" | "progressNote"> & { milestones?: Record<string, string> }): ParsedFigures {
  return {
    completedInvestment: new Decimal(values.completedInvestment),
    progressPercent: values.progressPercent === null || values.progressPercent === "" ? null : new Decimal(values.progressPercent),
    funds: Object.fromEntries(Object.entries(values.funds).map(([k, v]) => [k, new Decimal(v)])),
    milestones: values.milestones ?? {},
    overrunNote: values.overrunNote,
    fundsNote: values.fundsNote,
    progressNote: values.progressNote,
  };
}

export interface ReturnContext {
  period: string;
  /** 总投资 (万元), when known. */
  totalInvestment: Decimal | null;
  /** Completed investment of the project's other reported returns up to this period. */
  completedBefore: Decimal;
  /** Planned funding by source (万元); a source missing here has no plan (0). */
  plannedFunding: Record<string, Decimal>;
  /** Funds in place by source in the project's other reported returns up to this period. */
  fundsBefore: Record<string, Decimal>;
  /** Progress % of the latest reported return before this period. */
  previousProgress: Decimal | null;
  /** The project's milestones and their actual dates already on record. */
  milestonesOnRecord: { kind: string; actualDate: Date | null }[];
}

export type FieldErrors = Record<string, string[]>;

function add(errors: FieldErrors, field: string, message: string) {
  (errors[field] ??= []).push(message);
}

/** The cumulative completed investment this return would make (never typed by anyone). */
export function cumulativeCompleted(figures: Pick<ParsedFigures, "completedInvestment">, context: Pick<ReturnContext, "completedBefore">): Decimal {
  return context.completedBefore.plus(figures.completedInvestment);
}

/** Sources whose cumulative funds in place would exceed their planned funding. */
export function fundsAbovePlan(figures: Pick<ParsedFigures, "funds">, context: Pick<ReturnContext, "plannedFunding" | "fundsBefore">): string[] {
  return Object.entries(figures.funds)
    .filter(([source, amount]) => amount.greaterThan(0) && (context.fundsBefore[source] ?? new Decimal(0)).plus(amount).greaterThan(context.plannedFunding[source] ?? new Decimal(0)))
    .map(([source]) => source);
}

/**
 * Field errors (message keys, by form field name) for the rules that need explanations or order:
 * a return's figures as stored (FigureValues) against the project's other returns and plan. The
 * form, the review page, corrections and the Excel import all call this; corrections change no
 * milestone and pass none.
 */
export function checkReturnFigures(values: Parameters<typeof parseFigures>[0], context: ReturnContext): FieldErrors {
  const figures = parseFigures(values);
  const errors: FieldErrors = {};
  const blank = (note: string | null) => !note || note.trim().length === 0;

  if (context.totalInvestment && cumulativeCompleted(figures, context).greaterThan(context.totalInvestment) && blank(figures.overrunNote)) {
    add(errors, "completedInvestment", "validation.return.aboveTotal");
    add(errors, "overrunNote", "validation.return.noteRequired");
  }

  const over = fundsAbovePlan(figures, context);
  if (over.length && blank(figures.fundsNote)) {
    for (const source of over) add(errors, `funds.${source}`, "validation.return.fundsAbovePlan");
    add(errors, "fundsNote", "validation.return.noteRequired");
  }

  if (figures.progressPercent && context.previousProgress && figures.progressPercent.lessThan(context.previousProgress) && blank(figures.progressNote)) {
    add(errors, "progressPercent", "validation.return.progressDecreased");
    add(errors, "progressNote", "validation.return.noteRequired");
  }

  const end = periodEnd(context.period);
  const dates = new Map<string, { date: Date; reported: boolean }>();
  for (const m of context.milestonesOnRecord) if (m.actualDate) dates.set(m.kind, { date: m.actualDate, reported: false });
  for (const [kind, value] of Object.entries(figures.milestones)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (date.getTime() > end.getTime()) add(errors, `milestones.${kind}`, "validation.return.milestoneAfterPeriod");
    dates.set(kind, { date, reported: true });
  }
  // Each reported date must not come before an earlier milestone's date, nor after a later one's.
  const ordered = MILESTONE_ORDER.filter((kind) => dates.has(kind));
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const earlier = dates.get(ordered[i]!)!;
      const later = dates.get(ordered[j]!)!;
      if ((earlier.reported || later.reported) && later.date.getTime() < earlier.date.getTime()) {
        add(errors, `milestones.${later.reported ? ordered[j] : ordered[i]}`, "validation.return.milestoneOrder");
      }
    }
  }
  const start = dates.get("START");
  for (const kind of BEFORE_START) {
    const approval = dates.get(kind);
    if (start && approval && (start.reported || approval.reported) && start.date.getTime() < approval.date.getTime()) {
      add(errors, `milestones.${approval.reported ? kind : "START"}`, "validation.return.milestoneOrder");
    }
  }
  for (const key of Object.keys(errors)) errors[key] = [...new Set(errors[key])];
  return errors;
}

/** Another reported return of the same project, as the rules compare against it. */
export interface ReportedReturn {
  period: string;
  completedInvestment: Decimal;
  progressPercent: Decimal | null;
  funds: Record<string, Decimal>;
}

/**
 * The context of a return for `period` from the project's other reported returns (any order):
 * what the form, the review and the Excel import check a return's figures against.
 */
export function buildReturnContext(
  project: { totalInvestment: Decimal | null; plannedFunding: Record<string, Decimal>; milestonesOnRecord: { kind: string; actualDate: Date | null }[] },
  period: string,
  others: readonly ReportedReturn[],
): ReturnContext & { completedThrough: Decimal } {
  const sorted = [...others].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  let completedBefore = new Decimal(0);
  let completedThrough = new Decimal(0);
  const fundsBefore: Record<string, Decimal> = {};
  let previousProgress: Decimal | null = null;
  for (const r of sorted) {
    completedBefore = completedBefore.plus(r.completedInvestment);
    if (r.period <= period) completedThrough = completedThrough.plus(r.completedInvestment);
    for (const [source, amount] of Object.entries(r.funds)) fundsBefore[source] = (fundsBefore[source] ?? new Decimal(0)).plus(amount);
    if (r.period < period && r.progressPercent !== null) previousProgress = r.progressPercent;
  }
  return {
    period,
    totalInvestment: project.totalInvestment,
    completedBefore,
    completedThrough,
    plannedFunding: project.plannedFunding,
    fundsBefore,
    previousProgress,
    milestonesOnRecord: project.milestonesOnRecord,
  };
}

/** The figures of a return as plain strings, for the stale-edit view, the audit log and corrections. */
export interface FigureValues {
  completedInvestment: string;
  payments: string | null;
  progressPercent: string | null;
  progressText: string | null;
  funds: Record<string, string>;
  milestones: Record<string, string>;
  overrunNote: string | null;
  fundsNote: string | null;
  progressNote: string | null;
}

/**
 * The parsed figures of a return, as lib/returns/schema.ts's `returnFiguresInput` produces them
 * (declared here so that lib/domain depends on nothing outside it).
 */
export interface ReturnFiguresValues {
  completedInvestment: string | null;
  payments: string | null;
  progressPercent: string | null;
  progressText: string | null;
  funds: Record<string, string | null>;
  milestones: Partial<Record<string, string | null>>;
  overrunNote: string | null;
  fundsNote: string | null;
  progressNote: string | null;
}

/** The figures as stored: zero and blank funds and milestones left out. */
export function inputValues(input: ReturnFiguresValues): FigureValues {
  const funds = Object.fromEntries(Object.entries(input.funds).filter((e): e is [string, string] => e[1] !== null && !new Decimal(e[1]).isZero()));
  const milestones = Object.fromEntries(Object.entries(input.milestones).filter((e): e is [string, string] => !!e[1]));
  return {
    completedInvestment: input.completedInvestment!,
    payments: input.payments,
    progressPercent: input.progressPercent === null ? null : new Decimal(input.progressPercent).toString(),
    progressText: input.progressText,
    funds,
    milestones,
    overrunNote: input.overrunNote,
    fundsNote: input.fundsNote,
    progressNote: input.progressNote,
  };
}

/** Field-level changes between two sets of figures: { "funds.CENTRAL": { from, to }, ... }. */
export function figureChanges(before: FigureValues | null, after: FigureValues): Record<string, { from: string | null; to: string | null }> {
  const flat = (v: FigureValues | null): Record<string, string | null> => {
    if (!v) return {};
    const { funds, milestones, ...scalars } = v;
    return {
      ...scalars,
      ...Object.fromEntries(Object.entries(funds).map(([k, x]) => [`funds.${k}`, x])),
      ...Object.fromEntries(Object.entries(milestones).map(([k, x]) => [`milestones.${k}`, x])),
    };
  };
  const a = flat(before);
  const b = flat(after);
  const changes: Record<string, { from: string | null; to: string | null }> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if ((a[key] ?? null) !== (b[key] ?? null)) changes[key] = { from: a[key] ?? null, to: b[key] ?? null };
  }
  return changes;
}

/** A step of a return's audit trail, as changesSinceReturned reads it (oldest first). */
export interface ReturnStep {
  action: string;
  at: Date;
  /** The figure changes a save or submit recorded; null for other steps. */
  changes: Record<string, { from: unknown; to: unknown }> | null;
}

/**
 * What the owner changed after the latest 退回 (return.return): every save and submit since,
 * merged per field (the value when it was returned → the value now); fields changed back to
 * what they were drop out. null when the return was never sent back.
 */
export function changesSinceReturned(steps: readonly ReturnStep[]): { returnedAt: Date; changes: Record<string, { from: string | null; to: string | null }> } | null {
  let last = -1;
  steps.forEach((s, i) => {
    if (s.action === "return.return") last = i;
  });
  if (last < 0) return null;
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v));
  const merged = new Map<string, { from: string | null; to: string | null }>();
  for (const step of steps.slice(last + 1)) {
    if (step.action !== "return.save" && step.action !== "return.submit") continue;
    for (const [field, change] of Object.entries(step.changes ?? {})) {
      const earlier = merged.get(field);
      merged.set(field, { from: earlier ? earlier.from : text(change.from), to: text(change.to) });
    }
  }
  return { returnedAt: steps[last]!.at, changes: Object.fromEntries([...merged].filter(([, c]) => c.from !== c.to)) };
}
