// The state of the project library table as it lives in the URL, parsed through a whitelist:
// unknown parameters, sort ids or filter values are rejected with a message naming the field,
// never passed to Prisma. Shared by the page and the export route; the client table takes the
// ids alone from project-list-ids.ts (no zod in the browser).
import { z } from "zod";
import { searchParamsObject, zodProblems, type SearchParamsInput } from "./untrusted";

export { DEFAULT_COLUMNS, LIGHT_FILTER, MAX_PER_PAGE, PER_PAGE_OPTIONS, PROJECT_COLUMN_IDS, PROJECT_SORT_IDS, type ProjectColumnId, type ProjectSortId } from "./project-list-ids";
import { LIGHT_FILTER, MAX_PER_PAGE, PROJECT_COLUMN_IDS, PROJECT_SORT_IDS, type ProjectSortId } from "./project-list-ids";

const LIFECYCLE = ["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED", "CANCELLED"] as const;
const TARGET = ["COMPLETE", "START", "CONSTRUCT", "PREPARE", "RELOCATE"] as const;

/** "a,b,c" → ["a","b","c"], each checked by `item`. */
function list<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .max(2000)
    .transform((value) => value.split(",").map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item).max(50));
}

const sort = z
  .string()
  .regex(/^[A-Za-z0-9]+\.(asc|desc)$/, "validation.sortFormat")
  .transform((value) => {
    const [id, direction] = value.split(".") as [string, "asc" | "desc"];
    return { id, direction };
  })
  .refine((s): s is { id: ProjectSortId; direction: "asc" | "desc" } => (PROJECT_SORT_IDS as readonly string[]).includes(s.id), "validation.unknownSort");

/** The `plan` parameter: a plan id (e.g. zunyi-14th-fyp-urbanization); whether it names a loaded plan is lib/plans resolvePlan's question (docs/decisions/0028). */
export const planParam = z.string().regex(/^[a-z0-9-]{1,80}$/, "validation.plan");

/** A county (AdminDivision code: six digits, or XP for 新蒲新区); whether it exists is the reader's question. */
export const countyCode = z.string().regex(/^(\d{6}|XP)$/, "validation.county");

/**
 * A page's `county` search parameter (the dashboard narrowed by the map, /notices): undefined for
 * the whole scope, a county code, or the message key of what is wrong with it (the field is `county`).
 */
export function countyParam(raw: string | string[] | undefined): { ok: true; county: string | undefined } | { ok: false; message: string } {
  if (raw === undefined || raw === "") return { ok: true, county: undefined };
  const parsed = countyCode.safeParse(raw);
  return parsed.success ? { ok: true, county: parsed.data } : { ok: false, message: "validation.county" };
}

export const projectListQuery = z
  .object({
    plan: planParam.optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    perPage: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(50),
    sort: sort.optional(),
    q: z.string().trim().max(100).optional(),
    column: list(z.string().regex(/^\d{1,2}$/).transform(Number)).optional(),
    programme: list(z.string().regex(/^C\d{2}-P\d{2}$/)).optional(),
    county: list(countyCode).optional(),
    sector: list(z.string().regex(/^[a-zA-Z.]{2,40}$/)).optional(),
    stage: list(z.enum(LIFECYCLE)).optional(),
    target: list(z.enum(TARGET)).optional(),
    owner: list(z.uuid()).optional(),
    funding: list(z.string().regex(/^[A-Z_]{2,30}$/)).optional(),
    budget: z.enum(["has", "missing"]).optional(),
    demo: z.enum(["yes", "no"]).optional(),
    light: list(z.enum(LIGHT_FILTER)).optional(),
    cols: list(z.enum(PROJECT_COLUMN_IDS)).optional(),
    /** The table's exact count and sums of a large filtered set, asked for (docs/decisions/0043). */
    totals: z.enum(["exact"]).optional(),
  })
  .strict();

export type ProjectListQuery = z.infer<typeof projectListQuery>;

/** Search params (first value of each) → the parsed query, or the problems by field. */
export function parseProjectListParams(
  params: SearchParamsInput,
): { ok: true; query: ProjectListQuery } | { ok: false; problems: { field: string; message: string }[] } {
  const { values: raw, problems } = searchParamsObject(params);
  if (problems.length) return { ok: false, problems };
  const parsed = projectListQuery.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  return { ok: false, problems: zodProblems(parsed.error) };
}
