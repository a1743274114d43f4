// Loads the plan's project library and indicators from the reviewed CSV files in
// prisma/data/plan (see its README for how they were read from the plan) and checks them.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { OC4IDS_PROJECT_TYPES, PROJECT_TYPE_FROM_OC4IDS } from "../../lib/domain/project-codes";
import { CSV_DIVISION_CODES, DIVISIONS } from "../data/reference";

const dataDir = path.join(__dirname, "..", "data", "plan");
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
});

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

export interface PlanData {
  columns: PlanColumnRecord[];
  programmes: ProgrammeRecord[];
  projects: ProjectRecord[];
  indicators: IndicatorRecord[];
  source: string;
  checksum: string;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(dataDir, file), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function parseRows<T>(file: string, schema: z.ZodType<T>): T[] {
  return readCsv(file).map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`${file} row ${index + 2}: ${problems}`);
    }
    return parsed.data;
  });
}

const comparatorMap = { about: "ABOUT", atLeast: "AT_LEAST", atMost: "AT_MOST", exact: "EXACT" } as const;

export function loadPlanData(): PlanData {
  const hash = createHash("sha256");
  for (const file of [...files, "source.txt"]) hash.update(readFileSync(path.join(dataDir, file)));
  const source = readFileSync(path.join(dataDir, "source.txt"), "utf8");
  const indicators = parseRows("indicators.csv", indicatorRow).map((row): IndicatorRecord => {
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
  return {
    columns: parseRows("columns.csv", columnRow),
    programmes: parseRows("programmes.csv", programmeRow),
    projects: parseRows("projects.csv", projectRow),
    indicators,
    source,
    checksum: hash.digest("hex"),
  };
}
