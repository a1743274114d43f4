// The registry import as a pure plan: each row of the file becomes a new project, an update of
// an existing one (field by field), unchanged, or errors at its cells. The same function runs
// for the preview and again inside the confirm transaction on the data read there, so what is
// written is exactly what the rules allow at that moment.
import Decimal from "decimal.js";
import { reviewDivisionOf } from "@/lib/returns/rules";
import { mayOnProject, type PolicyActor, type ProjectApproval } from "@/lib/policy/definition";
import { REGISTRY_FIELDS } from "@/lib/validations/project";
import { registryImportRow, type RegistryImportRow } from "@/lib/imports/schema";
import { sameBaselineValue } from "@/lib/baselines/rules";
import { FUNDING_PAIRS, type ListName } from "./layouts";
import { ProjectMatcher, RowReader, readProjectKey, type CellError, type FieldChange, type MatchCandidate } from "./plan-common";
import type { ParsedFile } from "./read-file";
import type { Lookup } from "./reference";

export const PROJECT_FIELDS = [...REGISTRY_FIELDS, "sectorCode"] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];
export type ProjectValues = Record<ProjectField, string | null>;

export interface ExistingProject extends MatchCandidate {
  version: number;
  ownerOrgId: string | null;
  approval: ProjectApproval;
  demoFields: string[];
  values: ProjectValues;
  /** year → amount (万元) */
  annualPlans: Record<string, string>;
  /** Years whose amount is generated demo data: not yet a baseline, so the import may set it (docs/decisions/0030). */
  demoAnnualPlanYears?: string[];
  /** funding source code → amount (万元) */
  funding: Record<string, string>;
}

/** The importing user: the policy's view of them, and their organization's name for messages. */
export interface RegistryActor extends PolicyActor {
  organizationName: string;
}

export interface ProgrammeRef {
  id: string;
  columnId: string;
}

export interface NewProject {
  name: string;
  countyCode: string;
  reviewDivisionCode: string;
  programmeKey: string;
  targetStage2025: string;
  values: ProjectValues;
}

export interface RegistryRowPlan {
  row: number;
  action: "create" | "update" | "unchanged";
  name: string;
  projectId: string | null;
  /** Field → before/after; annual plans as annualPlan.<year>, funding as funding.<code>. */
  changes: Record<string, FieldChange>;
  create?: NewProject;
  update?: { version: number; demoFields: string[]; values: ProjectValues; changedFields: ProjectField[] };
  annualPlan?: { year: number; amount: string };
  funding: { sourceCode: string; amount: string }[];
}

export interface RegistryPlan {
  rows: RegistryRowPlan[];
  errors: CellError[];
}

const FIELD_COLUMN: Record<string, string> = { annualPlanYear: "annualPlanYear", annualPlanAmount: "annualPlanAmount" };

const sameNumber = (a: string | null | undefined, b: string | null | undefined) =>
  a === b || (a != null && b != null && new Decimal(a).equals(b));

function normalizeValue(field: ProjectField, value: string | null): string | null {
  if (value === null) return null;
  if (field === "totalInvestment" || field === "plannedInvestment") return new Decimal(value).toString();
  return value;
}

export function planRegistryImport(
  file: ParsedFile,
  lists: Record<ListName, Lookup>,
  actor: RegistryActor,
  existing: ExistingProject[],
  programmes: Map<string, ProgrammeRef>,
): RegistryPlan {
  const matcher = new ProjectMatcher(existing);
  const rows: RegistryRowPlan[] = [];
  const errors: CellError[] = [];
  const seenTargets = new Map<string, number>();
  const seenCodes = new Map<string, number>();

  for (const parsed of file.rows) {
    const r = new RowReader(file, parsed, lists);
    const { name, county, code } = readProjectKey(r);
    if (name && name.length > 200) r.fail("name", "validation.tooLong");
    const owner = r.get("owner");
    if (owner && !mayOnProject(actor, "edit", { ownerOrgId: owner, approval: "ACCEPTED" })) r.fail("owner", "import.error.otherOrganization", { org: actor.organizationName });
    else if (r.failedOn("owner")) {
      // An owner not in the list is another organization too; say so plainly.
      r.errors[r.errors.length - 1] = { ...r.errors[r.errors.length - 1]!, message: "import.error.otherOrganization", params: { org: actor.organizationName } };
    }
    const cells: Record<string, string | null> = {};
    for (const key of ["programme", "sectorCode", "projectType", "nature", "lifecycleStage", "targetStage2025", "plannedStart", "plannedCompletion", "totalInvestment", "plannedInvestment", "annualPlanYear", "annualPlanAmount"]) {
      cells[key] = r.get(key);
    }
    const funding = Array.from({ length: FUNDING_PAIRS }, (_, i) => ({ pair: i + 1, sourceCode: r.get(`funding.${i + 1}.source`), amount: r.get(`funding.${i + 1}.amount`) }));

    if (!name || !county) {
      errors.push(...r.errors);
      continue;
    }
    const match = matcher.match(code, name, county);
    if (match.kind === "error") {
      r.fail(match.key, match.message, match.params);
      errors.push(...r.errors);
      continue;
    }
    const project = match.kind === "match" ? match.project : null;
    if (project && !mayOnProject(actor, "edit", project)) {
      r.fail(match.kind === "match" && match.by === "code" ? "projectCode" : "name", project.ownerOrgId ? "import.error.notOwnProject" : "import.error.unownedProject");
      errors.push(...r.errors);
      continue;
    }
    const target = project ? project.id : `new:${code ?? `${name}\u0000${county}`}`;
    const firstRow = seenTargets.get(target);
    if (firstRow !== undefined) {
      r.fail(code ? "projectCode" : "name", "import.error.duplicateRow", { row: firstRow });
      errors.push(...r.errors);
      continue;
    }
    seenTargets.set(target, parsed.rowNumber);

    // Blank cells leave an existing project's value as it is; a new project starts from nothing.
    const base: ProjectValues = project ? project.values : Object.fromEntries(PROJECT_FIELDS.map((f) => [f, null])) as ProjectValues;
    const pick = (field: ProjectField, cell: string | null) => (cell !== null ? cell : base[field]);
    const candidate = {
      projectCode: code ?? base.projectCode,
      projectType: pick("projectType", cells.projectType!),
      nature: pick("nature", cells.nature!),
      lifecycleStage: pick("lifecycleStage", cells.lifecycleStage!),
      plannedStart: pick("plannedStart", cells.plannedStart!),
      plannedCompletion: pick("plannedCompletion", cells.plannedCompletion!),
      totalInvestment: pick("totalInvestment", cells.totalInvestment!),
      plannedInvestment: pick("plannedInvestment", cells.plannedInvestment!),
      sectorCode: pick("sectorCode", cells.sectorCode!),
      annualPlanYear: cells.annualPlanYear,
      annualPlanAmount: cells.annualPlanAmount,
      funding,
    };
    if (!project) {
      if (!cells.programme && !r.failedOn("programme")) r.fail("programme", "import.error.requiredForNew");
      if (!candidate.lifecycleStage && !r.failedOn("lifecycleStage")) r.fail("lifecycleStage", "import.error.requiredForNew");
      if (!cells.targetStage2025 && !r.failedOn("targetStage2025")) r.fail("targetStage2025", "import.error.requiredForNew");
    }
    const parsedRow = registryImportRow.safeParse({ ...candidate, lifecycleStage: candidate.lifecycleStage ?? "" });
    if (!parsedRow.success) {
      for (const issue of parsedRow.error.issues) {
        const [first, index, sub] = issue.path as (string | number)[];
        const key = first === "funding" ? `funding.${funding[index as number]?.pair ?? 1}.${sub === "sourceCode" ? "source" : "amount"}` : (FIELD_COLUMN[String(first)] ?? String(first));
        if (r.failedOn(key)) continue;
        r.fail(key, issue.message.startsWith("validation.") || issue.message.startsWith("import.") ? issue.message : "validation.invalid");
      }
    }
    if (code) {
      const clash = matcher.byProjectCode(code);
      if (clash && clash.id !== project?.id) r.fail("projectCode", "validation.projectCodeTaken");
      const other = seenCodes.get(code);
      if (other !== undefined) r.fail("projectCode", "import.error.duplicateCode", { row: other });
      else seenCodes.set(code, parsed.rowNumber);
    }
    if (project && parsedRow.success) {
      // A set baseline (a real 总投资 or annual plan amount) changes only by an approved 项目调整申请.
      const d = parsedRow.data;
      const total = project.values.totalInvestment;
      if (total !== null && !project.demoFields.includes("totalInvestment") && d.totalInvestment !== null && !sameBaselineValue(total, d.totalInvestment)) {
        r.fail("totalInvestment", "import.error.baselineLocked", { value: total });
      }
      const year = d.annualPlanYear === null ? null : String(d.annualPlanYear);
      const amount = year === null ? undefined : project.annualPlans[year];
      if (year !== null && amount !== undefined && !(project.demoAnnualPlanYears ?? []).includes(year) && d.annualPlanAmount !== null && !sameBaselineValue(amount, d.annualPlanAmount)) {
        r.fail("annualPlanAmount", "import.error.baselineLocked", { value: amount });
      }
    }
    if (r.errors.length || !parsedRow.success) {
      errors.push(...r.errors);
      continue;
    }
    const v: RegistryImportRow = parsedRow.data;
    const values: ProjectValues = {
      projectCode: v.projectCode, projectType: v.projectType, nature: v.nature, lifecycleStage: v.lifecycleStage,
      plannedStart: v.plannedStart, plannedCompletion: v.plannedCompletion,
      totalInvestment: normalizeValue("totalInvestment", v.totalInvestment), plannedInvestment: normalizeValue("plannedInvestment", v.plannedInvestment),
      sectorCode: v.sectorCode,
    };
    const annualPlan = v.annualPlanYear !== null && v.annualPlanAmount !== null ? { year: v.annualPlanYear, amount: new Decimal(v.annualPlanAmount).toString() } : undefined;
    const fundingRows = v.funding.filter((f) => f.sourceCode && f.amount !== null).map((f) => ({ sourceCode: f.sourceCode!, amount: new Decimal(f.amount!).toString() }));

    const changes: Record<string, FieldChange> = {};
    const changedFields: ProjectField[] = [];
    for (const field of PROJECT_FIELDS) {
      const before = project ? project.values[field] : null;
      const after = values[field];
      const same = field === "totalInvestment" || field === "plannedInvestment" ? sameNumber(before, after) : before === after;
      if (!same) {
        changes[field] = { from: before, to: after };
        changedFields.push(field);
      }
    }
    if (annualPlan && !sameNumber(project?.annualPlans[String(annualPlan.year)], annualPlan.amount)) {
      changes[`annualPlan.${annualPlan.year}`] = { from: project?.annualPlans[String(annualPlan.year)] ?? null, to: annualPlan.amount };
    }
    for (const f of fundingRows) {
      if (!sameNumber(project?.funding[f.sourceCode], f.amount)) changes[`funding.${f.sourceCode}`] = { from: project?.funding[f.sourceCode] ?? null, to: f.amount };
    }

    if (!project) {
      const programme = programmes.get(cells.programme!);
      if (!programme) {
        r.fail("programme", "import.error.notInList", { value: cells.programme! });
        errors.push(...r.errors);
        continue;
      }
      rows.push({
        row: parsed.rowNumber, action: "create", name, projectId: null, changes,
        create: { name, countyCode: county, reviewDivisionCode: reviewDivisionOf([county]), programmeKey: cells.programme!, targetStage2025: cells.targetStage2025!, values },
        annualPlan, funding: fundingRows,
      });
      continue;
    }
    const changed = Object.keys(changes).length > 0;
    rows.push({
      row: parsed.rowNumber, action: changed ? "update" : "unchanged", name, projectId: project.id, changes,
      update: changed ? { version: project.version, demoFields: project.demoFields, values, changedFields } : undefined,
      annualPlan: annualPlan && changes[`annualPlan.${annualPlan.year}`] ? annualPlan : undefined,
      funding: fundingRows.filter((f) => changes[`funding.${f.sourceCode}`]),
    });
  }
  errors.sort((a, b) => a.row - b.row || a.column.length - b.column.length || a.column.localeCompare(b.column));
  return { rows, errors };
}
