// Loads a plan's project library and indicators from its CSV files and checks them: the seed's
// 十四五 plan from the reviewed files in prisma/data/plan (see its README for how they were read from
// the plan), and any later plan from a folder of the same layout plus plan.csv (`npm run plan:load`,
// docs/decisions/0028). One parser and one set of rules for both.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { OC4IDS_PROJECT_TYPES, PROJECT_TYPE_FROM_OC4IDS } from "../../lib/domain/project-codes";
import { CSV_DIVISION_CODES, DIVISIONS, PLAN } from "../data/reference";

/** The seed's plan (十四五): its data folder; its id, title, period and target are PLAN. */
export const SEED_PLAN_DIR = path.join(__dirname, "..", "data", "plan");
const files = ["columns.csv", "programmes.csv", "projects.csv", "indicators.csv"] as const;

const divisionCodes = new Set<string>(DIVISIONS.map((d) => d.code));

const columnRow = z.object({
  column_no: z.coerce.number().int(),
  title: z.string().min(1),
  has_projects: z.enum(["true", "false"]).transform((v) => v === "true"),
});

const programmeRow = z.object({
  programme_key: z.string().regex(/^C\d{2}-P\d{2}$/),
  column_no: z.coerce.number().int(),
  seq: z.coerce.number().int().positive(),
  name: z.string().min(1),
});

const targetStages = { complete: "COMPLETE", start: "START", construct: "CONSTRUCT", prepare: "PREPARE", relocate: "RELOCATE" } as const;

const projectRow = z.object({
  project_key: z.string().regex(/^C\d{2}-P\d{2}-\d{3}$/),
  column_no: z.coerce.number().int(),
  programme_key: z.string(),
  seq: z.coerce.number().int().positive(),
  name: z.string().min(1),
  counties: z
    .string()
    .transform((v) => (v ? v.split(";").map((c) => CSV_DIVISION_CODES[c.trim()] ?? c.trim()) : []))
    .refine((codes) => codes.every((c) => divisionCodes.has(c)), "unknown county code"),
  sector: z.string(),
  project_type: z
    .enum(["", ...OC4IDS_PROJECT_TYPES])
    .transform((v) => (v ? PROJECT_TYPE_FROM_OC4IDS[v] : null)),
  target_stage: z.enum(["complete", "start", "construct", "prepare", "relocate"]).transform((v) => targetStages[v]),
  source_phrase: z.string().min(1),
  line_no: z.coerce.number().int().positive(),
  /** The name shown everywhere, standing alone (docs/decisions/0022); \`name\` is the plan's words. */
  display_name: z.string().min(1),
  /** Where the counties come from: "plan", "knowledge: …", or why none is settled. */
  county_note: z.string().min(1),
  county_pending: z.enum(["true", "false"]).transform((v) => v === "true"),
  /** 续建: "<planId>/<project_key>" of the same project in an earlier plan (later plans only). */
  continues: z
    .string()
    .regex(/^([a-z0-9-]+\/C\d{2}-P\d{2}-\d{3})?$/, "not <planId>/<project_key>")
    .optional()
    .transform((v) => (v ? { planId: v.split("/")[0]!, planKey: v.split("/")[1]! } : null)),
  /** This plan's planned investment for the project (万元), when the plan gives one. */
  planned_investment: z
    .string()
    .regex(/^(\d+(\.\d{1,4})?)?$/, "not an amount in 万元")
    .optional()
    .transform((v) => (v ? v : null)),
});

/** plan.csv of a loaded plan: one row naming it (the seed's plan is PLAN in prisma/data/reference.ts). */
const planRow = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, "lowercase letters, digits and hyphens"),
  title: z.string().min(1),
  period_start: z.coerce.number().int().min(2000).max(2100),
  period_end: z.coerce.number().int().min(2000).max(2100),
  key_investment_target_wan: z.string().regex(/^\d+(\.\d{1,4})?$/, "not an amount in 万元"),
  key_investment_target_text: z.string().min(1),
}).refine((p) => p.period_end >= p.period_start, { path: ["period_end"], message: "before period_start" });

const optionalNumber = z.string().transform((v) => (v.trim() === "" ? null : v.trim())).refine((v) => v === null || /^-?\d+(\.\d+)?$/.test(v), "not a number");

const indicatorRow = z.object({
  no: z.coerce.number().int().min(1).max(36),
  category: z.string().min(1),
  name: z.string().min(1),
  unit: z.string(),
  baseline_2020: z.string(),
  target_2025_text: z.string().min(1),
  target_2025: optionalNumber,
  cumulative: z.enum(["true", "false"]).transform((v) => v === "true"),
  comparator: z.enum(["about", "atLeast", "atMost", "exact"]),
  direction: z.enum(["up", "down"]).transform((v) => (v === "up" ? "UP" : "DOWN")),
  note: z.string().optional().default(""),
});

export type PlanColumnRecord = z.infer<typeof columnRow>;
export type ProgrammeRecord = z.infer<typeof programmeRow>;
export type ProjectRecord = z.infer<typeof projectRow>;

export interface IndicatorRecord {
  number: number;
  category: string;
  name: string;
  unit: string;
  baseline2020: string | null;
  baselineText: string | null;
  target2025: string | null;
  targetText: string;
  cumulative: boolean;
  comparator: "ABOUT" | "AT_LEAST" | "AT_MOST" | "EXACT";
  direction: "UP" | "DOWN";
  note: string | null;
}

export interface PlanMeta {
  id: string;
  title: string;
  periodStart: number;
  periodEnd: number;
  keyInvestmentTargetWan: string;
  keyInvestmentTargetText: string;
  sourceFile: string;
}

export interface PlanData {
  plan: PlanMeta;
  columns: PlanColumnRecord[];
  programmes: ProgrammeRecord[];
  projects: ProjectRecord[];
  indicators: IndicatorRecord[];
  source: string;
  checksum: string;
}

function readCsv(dir: string, file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(dir, file), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function parseRows<T>(dir: string, file: string, schema: z.ZodType<T>): T[] {
  return readCsv(dir, file).map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`${file} row ${index + 2}: ${problems}`);
    }
    return parsed.data;
  });
}

const comparatorMap = { about: "ABOUT", atLeast: "AT_LEAST", atMost: "AT_MOST", exact: "EXACT" } as const;

function planMeta(dir: string): PlanMeta {
  if (path.resolve(dir) === path.resolve(SEED_PLAN_DIR)) return { ...PLAN };
  const rows = parseRows(dir, "plan.csv", planRow);
  if (rows.length !== 1) throw new Error(`plan.csv: ${rows.length} rows, expected 1`);
  const p = rows[0]!;
  return {
    id: p.id,
    title: p.title,
    periodStart: p.period_start,
    periodEnd: p.period_end,
    keyInvestmentTargetWan: p.key_investment_target_wan,
    keyInvestmentTargetText: p.key_investment_target_text,
    sourceFile: path.join(path.relative(process.cwd(), dir) || ".", "source.txt"),
  };
}

/** The rules across files: unique keys and numbers, every reference to a column or programme resolves. */
function checkReferences(data: Omit<PlanData, "checksum" | "source">): void {
  const problems: string[] = [];
  const duplicates = (file: string, keys: (string | number)[]) => {
    const seen = new Set<string | number>();
    for (const key of keys) {
      if (seen.has(key)) problems.push(`${file}: duplicate ${key}`);
      seen.add(key);
    }
  };
  duplicates("columns.csv", data.columns.map((c) => c.column_no));
  duplicates("programmes.csv", data.programmes.map((p) => p.programme_key));
  duplicates("projects.csv", data.projects.map((p) => p.project_key));
  duplicates("indicators.csv", data.indicators.map((i) => i.number));
  duplicates("projects.csv continues", data.projects.flatMap((p) => (p.continues ? [`${p.continues.planId}/${p.continues.planKey}`] : [])));
  const columns = new Map(data.columns.map((c) => [c.column_no, c]));
  const programmes = new Map(data.programmes.map((p) => [p.programme_key, p]));
  for (const p of data.programmes) {
    if (!columns.has(p.column_no)) problems.push(`programmes.csv ${p.programme_key}: no column ${p.column_no}`);
    if (!p.programme_key.startsWith(`C${String(p.column_no).padStart(2, "0")}-`)) problems.push(`programmes.csv ${p.programme_key}: key does not match column ${p.column_no}`);
  }
  for (const p of data.projects) {
    const programme = programmes.get(p.programme_key);
    if (!programme) problems.push(`projects.csv ${p.project_key}: no programme ${p.programme_key}`);
    else if (programme.column_no !== p.column_no) problems.push(`projects.csv ${p.project_key}: programme ${p.programme_key} is not in column ${p.column_no}`);
    if (!p.project_key.startsWith(`${p.programme_key}-`)) problems.push(`projects.csv ${p.project_key}: key does not match programme ${p.programme_key}`);
    if (columns.get(p.column_no)?.has_projects === false) problems.push(`projects.csv ${p.project_key}: column ${p.column_no} has no projects`);
    if (p.continues && p.continues.planId === data.plan.id) problems.push(`projects.csv ${p.project_key}: continues a project of its own plan`);
  }
  if (problems.length) throw new Error(problems.join("\n"));
}

/**
 * Reads and checks the plan in `dir` (default: the seed's 十四五 plan). Throws naming the file, row
 * and field of the first problem in a file, or every broken reference across files.
 */
export function loadPlanData(dir: string = SEED_PLAN_DIR): PlanData {
  const plan = planMeta(dir);
  const hash = createHash("sha256");
  for (const file of [...files, "source.txt"]) hash.update(readFileSync(path.join(dir, file)));
  const source = readFileSync(path.join(dir, "source.txt"), "utf8");
  const indicators = parseRows(dir, "indicators.csv", indicatorRow).map((row): IndicatorRecord => {
    const baseline = row.baseline_2020.trim();
    const numericBaseline = /^-?\d+(\.\d+)?$/.test(baseline) ? baseline : null;
    return {
      number: row.no,
      category: row.category,
      name: row.name,
      unit: row.unit,
      baseline2020: numericBaseline,
      baselineText: baseline === "" ? null : baseline,
      target2025: row.target_2025,
      targetText: row.target_2025_text,
      cumulative: row.cumulative,
      comparator: comparatorMap[row.comparator],
      direction: row.direction,
      note: row.note?.trim() ? row.note.trim() : null,
    };
  });
  const data = {
    plan,
    columns: parseRows(dir, "columns.csv", columnRow),
    programmes: parseRows(dir, "programmes.csv", programmeRow),
    projects: parseRows(dir, "projects.csv", projectRow),
    indicators,
  };
  checkReferences(data);
  return { ...data, source, checksum: hash.digest("hex") };
}
