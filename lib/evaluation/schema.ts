// The evaluation's query string (/evaluation and /api/evaluation): the approval basis and cut-off
// day, and the filters of its project list (the links behind each rate). Strict: an unknown or
// malformed parameter is refused naming the field.
import { z } from "zod";
import { chinaDay } from "@/lib/domain/reporting-calendar";
import { isPlausibleDay, isoDay } from "@/lib/domain/dates";
import { EVALUATION_END_DAY } from "./rules";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A cut-off day from the plan's last day up to today (China). */
export function isCutoffDay(value: string, now: Date = new Date()): boolean {
  if (!DAY.test(value) || !isPlausibleDay(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  // A real calendar day (2026-02-30 is not), within the range.
  return !Number.isNaN(date.getTime()) && isoDay(date) === value && value >= EVALUATION_END_DAY && value <= isoDay(chinaDay(now));
}

export const evaluationQuery = z
  .object({
    basis: z.enum(["cutoff", "now"], { message: "validation.invalid" }).optional(),
    cutoff: z.string().refine((v) => isCutoffDay(v), { message: "validation.evaluation.cutoff" }).optional(),
    column: z.string().regex(/^\d{1,2}$/, { message: "validation.invalid" }).transform(Number).optional(),
    programme: z.string().regex(/^C\d{2}-P\d{2}$/, { message: "validation.invalid" }).optional(),
    // "none": the projects without a county (区县待确认) or without an owner unit.
    county: z.string().regex(/^(\d{6}|[A-Z]{2}|none)$/, { message: "validation.invalid" }).optional(),
    owner: z.union([z.literal("none"), z.string().uuid()], { message: "validation.invalid" }).optional(),
    met: z.enum(["yes", "no"], { message: "validation.invalid" }).optional(),
  })
  .strict();

export type EvaluationQuery = z.infer<typeof evaluationQuery>;

export interface EvaluationOptions {
  basis: "cutoff" | "now";
  /** YYYY-MM-DD, China day; used when basis = "cutoff". */
  cutoff: string;
}

export function evaluationOptions(query: EvaluationQuery): EvaluationOptions {
  return { basis: query.basis ?? "cutoff", cutoff: query.cutoff ?? EVALUATION_END_DAY };
}

export interface ProjectFilter {
  column?: number;
  programme?: string;
  county?: string;
  owner?: string;
  met?: "yes" | "no";
}

/** The query string of a view of the evaluation (basis, cut-off and list filter), defaults left out. */
export function evaluationSearch(options: EvaluationOptions, filter: ProjectFilter = {}): string {
  const params = new URLSearchParams();
  if (options.basis !== "cutoff") params.set("basis", options.basis);
  if (options.basis === "cutoff" && options.cutoff !== EVALUATION_END_DAY) params.set("cutoff", options.cutoff);
  if (filter.column !== undefined) params.set("column", String(filter.column));
  if (filter.programme) params.set("programme", filter.programme);
  if (filter.county) params.set("county", filter.county);
  if (filter.owner) params.set("owner", filter.owner);
  if (filter.met) params.set("met", filter.met);
  const s = params.toString();
  return s ? `?${s}` : "";
}
