// The read API's contract (/api/v1): one zod schema per query and per answer. The route handlers
// parse their query with these and check every answer against them (apiJson), and
// lib/api/openapi.ts generates the OpenAPI 3.1 document from the same objects, so the document
// cannot drift from what is sent. Field names are stable: add, never rename (docs/decisions/0025).
import { z } from "zod";
import { projectListQuery } from "@/lib/validations/project-list";
import { FIRST_PERIOD, LAST_PERIOD } from "@/lib/domain/reporting-calendar";

export const API_DESCRIPTION = "Read-only access for other systems (platform integration). Amounts are decimal strings in units of 10,000 yuan; dates are ISO 8601 (calendar days YYYY-MM-DD, instants in UTC).";

// ---------------------------------------------------------------------------------------------
// Building blocks

/** An amount in 万元 (10,000 yuan) as a decimal string, never a float. */
export const moneyWan = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ id: "MoneyWan", description: "An amount in units of 10,000 yuan, as a decimal string.", example: "12500.0000" });
export const isoDate = z.iso.date().meta({ id: "IsoDate", description: "A calendar date, YYYY-MM-DD." });
export const isoDateTime = z.iso.datetime({ offset: false }).meta({ id: "IsoDateTime", description: "An instant in UTC, ISO 8601." });
export const period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "validation.period")
  .refine((p) => p >= FIRST_PERIOD && p <= LAST_PERIOD, "validation.period")
  .meta({ description: "A reporting month, YYYY-MM." });
/** Every answer says its money unit. */
export const UNIT = "万元" as const;
export const unit = z.literal(UNIT).meta({ description: "The unit of every amount in this answer (10,000 yuan), always the same value." });

export const lifecycleStage = z.enum(["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED", "CANCELLED"]).meta({ id: "LifecycleStage" });
export const targetStage = z.enum(["COMPLETE", "START", "CONSTRUCT", "PREPARE", "RELOCATE"]).meta({ id: "TargetStage2025" });
export const lightColor = z.enum(["RED", "YELLOW", "NO_DATA", "GREEN", "NOT_APPLICABLE"]).meta({ id: "TrafficLight" });
export const deliveryConfidence = z.enum(["GREEN", "AMBER_GREEN", "AMBER", "AMBER_RED", "RED"]).meta({ id: "DeliveryConfidence" });

export const problem = z
  .strictObject({
    error: z.string(),
    problems: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
    retryAfterSeconds: z.number().int().optional(),
  })
  .meta({ id: "Problem", description: "An error; `problems` names each bad parameter." });

// ---------------------------------------------------------------------------------------------
// Projects

const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "validation.invalid").meta({ description: "The `nextCursor` of the previous page." });

/** The table's filters and sort (lib/validations/project-list.ts), with a cursor instead of pages. */
export const projectsQuery = projectListQuery
  .omit({ page: true, perPage: true, cols: true, totals: true })
  .extend({
    // The table's filters, described for the document (the same schemas parse them).
    plan: projectListQuery.shape.plan.meta({ description: "Plan id (e.g. `zunyi-14th-fyp-urbanization`); default the current plan by date. Unknown ids are a 400." }),
    sort: projectListQuery.shape.sort.meta({ description: "Column and direction, e.g. `plannedInvestment.desc`; default the plan's order." }),
    q: projectListQuery.shape.q.meta({ description: "Search in project names, organizations and codes, as the table's search box." }),
    column: projectListQuery.shape.column.meta({ description: "Plan column numbers, comma-separated (e.g. `1,3`)." }),
    programme: projectListQuery.shape.programme.meta({ description: "Programme codes, comma-separated (e.g. `C01-P02`)." }),
    county: projectListQuery.shape.county.meta({ description: "County division codes, comma-separated (e.g. `520382`; `XP` for Xinpu New District)." }),
    sector: projectListQuery.shape.sector.meta({ description: "Sector codes, comma-separated." }),
    stage: projectListQuery.shape.stage.meta({ description: "Lifecycle stages, comma-separated (e.g. `CONSTRUCTION`)." }),
    target: projectListQuery.shape.target.meta({ description: "The plan's 2025 target stages, comma-separated." }),
    owner: projectListQuery.shape.owner.meta({ description: "Owner organization ids, comma-separated." }),
    funding: projectListQuery.shape.funding.meta({ description: "Funding source codes, comma-separated." }),
    budget: projectListQuery.shape.budget.meta({ description: "`has`: with a planned investment; `missing`: without." }),
    demo: projectListQuery.shape.demo.meta({ description: "`yes`: only projects with generated demo data; `no`: only without." }),
    light: projectListQuery.shape.light.meta({ description: "Traffic lights, comma-separated (e.g. `RED,YELLOW`)." }),
    cursor: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: "Projects per page (1-100)." }),
  })
  .strict();
export type ProjectsQuery = z.infer<typeof projectsQuery>;

export const projectSummary = z
  .strictObject({
    id: z.uuid(),
    planKey: z.string().nullable().meta({ description: "Plan key: the project's place in the plan." }),
    projectCode: z.string().nullable().meta({ description: "The national investment project code." }),
    name: z.string().meta({ description: "The display name." }),
    column: z.strictObject({ number: z.number().int(), title: z.string() }).meta({ description: "The plan column." }),
    programme: z.string().meta({ description: "The plan programme." }),
    sector: z.strictObject({ code: z.string(), nameZh: z.string(), nameEn: z.string() }).nullable(),
    counties: z.array(z.strictObject({ code: z.string(), name: z.string() })),
    countyPending: z.boolean().meta({ description: "County pending: the county is still to be settled by a reviewer." }),
    owner: z.strictObject({ id: z.uuid(), name: z.string() }).nullable(),
    targetStage2025: targetStage,
    lifecycleStage,
    plannedStart: isoDate.nullable(),
    plannedCompletion: isoDate.nullable(),
    totalInvestment: moneyWan.nullable(),
    plannedInvestment: moneyWan.nullable().meta({ description: "Planned investment in the 14th Five-Year period (10,000 yuan)." }),
    completedInvestment: moneyWan.meta({ description: "Completed investment from approved monthly returns (10,000 yuan)." }),
    deliveryConfidence: deliveryConfidence.nullable(),
    trafficLight: lightColor.nullable(),
    demoFields: z.array(z.string()).meta({ description: "Fields whose value is generated demo data." }),
    approval: z.enum(["ACCEPTED", "PENDING", "REFUSED"]).meta({
      description: "ACCEPTED: in the library. A project an owner unit added waits for its review office (PENDING) or was refused by it (REFUSED); only the owner unit and the review office see those, and no total counts them.",
    }),
  })
  .meta({ id: "ProjectSummary" });

export const projectTotals = z.strictObject({
  count: z.number().int(),
  totalInvestment: moneyWan,
  plannedInvestment: moneyWan,
  completedInvestment: moneyWan,
});

export const projectsResponse = z
  .strictObject({
    unit,
    data: z.array(projectSummary),
    total: z.number().int().meta({ description: "Projects matching the filters in the caller's scope." }),
    totals: projectTotals,
    limit: z.number().int(),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .meta({ id: "ProjectList" });

export const projectIdParams = z.strictObject({ id: z.uuid().meta({ description: "The project's id." }) });

export const milestone = z.strictObject({
  kind: z.string(),
  status: z.enum(["SCHEDULED", "MET", "NOT_MET", "PARTIALLY_MET"]),
  baselineDate: isoDate.nullable(),
  forecastDate: isoDate.nullable(),
  actualDate: isoDate.nullable(),
});

export const projectDetail = projectSummary
  .extend({
    planName: z.string().nullable().meta({ description: "The plan's own words for the project." }),
    sourcePhrase: z.string().meta({ description: "The plan sentence the project comes from, quoted exactly." }),
    projectType: z.string().nullable(),
    nature: z.string().nullable(),
    milestones: z.array(milestone),
    funds: z.array(z.strictObject({ source: z.string(), nameZh: z.string(), nameEn: z.string(), amount: moneyWan })).meta({ description: "Planned funding by source (10,000 yuan)." }),
    annualPlans: z.array(z.strictObject({ year: z.number().int(), amount: moneyWan })),
    updatedAt: isoDateTime,
  })
  .meta({ id: "ProjectDetail" });

export const projectResponse = z.strictObject({ unit, data: projectDetail }).meta({ id: "ProjectAnswer" });

// ---------------------------------------------------------------------------------------------
// Monthly returns (approved only)

export const returnsQuery = z
  .strictObject({
    period: period.optional().meta({ description: "Only the return of this month (YYYY-MM)." }),
    from: period.optional().meta({ description: "First month (YYYY-MM), inclusive." }),
    to: period.optional().meta({ description: "Last month (YYYY-MM), inclusive." }),
  })
  .refine((q) => !(q.from && q.to && q.from > q.to), { path: ["to"], message: "validation.period" })
  .refine((q) => !(q.period && (q.from || q.to)), { path: ["period"], message: "validation.invalid" });

export const monthlyReturn = z
  .strictObject({
    period,
    completedInvestment: moneyWan.meta({ description: "Investment completed in the month (10,000 yuan)." }),
    approvedCumulative: moneyWan.meta({ description: "Cumulative completed investment: approved returns up to and including this month (10,000 yuan)." }),
    payments: moneyWan.nullable().meta({ description: "Payments made in the month (10,000 yuan), when reported." }),
    progressPercent: z.string().regex(/^-?\d+(\.\d+)?$/).nullable().meta({ description: "Physical progress, percent as a decimal string." }),
    funds: z.array(z.strictObject({ source: z.string(), amount: moneyWan })).meta({ description: "Funds in place in the month by source (10,000 yuan)." }),
    isDemo: z.boolean().meta({ description: "The return is generated demo data." }),
  })
  .meta({ id: "MonthlyReturn" });

export const returnsResponse = z
  .strictObject({ unit, projectId: z.uuid(), data: z.array(monthlyReturn).meta({ description: "Approved returns, oldest first." }) })
  .meta({ id: "MonthlyReturnList" });

// ---------------------------------------------------------------------------------------------
// Portfolio totals against the plan target

export const portfolioQuery = z.strictObject({
  plan: projectListQuery.shape.plan.meta({ description: "Plan id (e.g. `zunyi-14th-fyp-urbanization`); default the current plan by date. Unknown ids are a 400." }),
  month: period.optional().meta({ description: "The month the amounts are as of (YYYY-MM, up to the current month); default the latest reporting month." }),
});

const percent = z.string().regex(/^-?\d+(\.\d+)?$/).nullable().meta({ description: "A percentage as a decimal string; null when the base is zero." });
const countRate = z.strictObject({ numerator: z.number().int(), denominator: z.number().int(), percent });
const amountRate = z.strictObject({ numerator: moneyWan, denominator: moneyWan, percent });

export const portfolioResponse = z
  .strictObject({
    unit,
    plan: z
      .strictObject({ id: z.string(), title: z.string(), periodStart: z.number().int(), periodEnd: z.number().int() })
      .nullable()
      .meta({ description: "The plan these figures are of (the `plan` asked for, else the current plan by date); null before a plan is loaded." }),
    asOf: isoDate.meta({ description: "The statistics day (China time) of the lights and of the start-rate and on-time-completion counts." }),
    reportingPeriod: period.meta({ description: "The month every amount is as of." }),
    projectCount: z.number().int(),
    target: moneyWan.nullable().meta({ description: "The plan's key-project investment target (450 billion yuan = 45,000,000 × 10,000 yuan); null before the plan is loaded." }),
    completedInPlanPeriod: moneyWan.meta({ description: "Completed within the plan period (2021 to planPeriodEnd): the figure the target is about." }),
    planPeriodEnd: z.number().int(),
    plannedInvestment: moneyWan,
    totalInvestment: moneyWan,
    completedInvestment: moneyWan.meta({ description: "Cumulative completed investment as of reportingPeriod." }),
    metrics: z.strictObject({
      year: z.number().int(),
      elapsedMonths: z.number().int(),
      annualPlan: moneyWan,
      scheduleTarget: moneyWan.meta({ description: "The time-proportional target amount (10,000 yuan)." }),
      scheduleShare: percent,
      startRate: countRate.meta({ description: "Start rate." }),
      investmentCompletionRate: amountRate.meta({ description: "Investment completion rate." }),
      fundsInPlaceRate: amountRate.extend({ projectsWithoutFundsData: z.number().int() }).meta({ description: "Funds-in-place rate." }),
      onTimeCompletionRate: countRate.extend({ completionDateUnknown: z.number().int() }).meta({ description: "On-time completion rate." }),
      spi: z.string().nullable(),
      cpi: z.string().nullable(),
    }),
    byLight: z.record(lightColor, z.number().int()),
  })
  .meta({ id: "Portfolio" });

// ---------------------------------------------------------------------------------------------
// Indicators (the plan's 36 main indicators)

export const indicator = z
  .strictObject({
    number: z.number().int(),
    category: z.string(),
    name: z.string(),
    unit: z.string().meta({ description: "The indicator's own unit (not the money unit)." }),
    baseline2020: z.string().nullable(),
    baselineText: z.string().nullable(),
    target2025: z.string().nullable(),
    targetText: z.string(),
    cumulative: z.boolean().meta({ description: "The target is a five-year cumulative value." }),
    comparator: z.string(),
    direction: z.string(),
    values: z.array(z.strictObject({ year: z.number().int(), value: z.string(), sourceNote: z.string().nullable(), isDemo: z.boolean() })),
    progress: z.strictObject({
      latestYear: z.number().int().nullable(),
      current: z.string().nullable(),
      progressPercent: percent,
      expectedPercent: percent,
      status: z.string(),
    }),
  })
  .meta({ id: "Indicator" });

export const indicatorsResponse = z.strictObject({ unit, data: z.array(indicator) }).meta({ id: "IndicatorList" });

// ---------------------------------------------------------------------------------------------
// Lights with reasons

export const lightsQuery = z.strictObject({
  light: z
    .string()
    .regex(/^(RED|YELLOW)(,(RED|YELLOW))?$/, "validation.invalid")
    .optional()
    .meta({ description: "RED, YELLOW or RED,YELLOW (default both)." }),
  limit: z.coerce.number().int().min(1).max(2000).default(500).meta({ description: "Projects at most (1-2000), worst first." }),
});

export const lightReason = z
  .strictObject({
    code: z.string().meta({ description: "The rule's reason code (e.g. INVESTMENT_BEHIND_SCHEDULE)." }),
    light: lightColor,
    params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).meta({ description: "The reason's figures; amounts in 10,000 yuan as decimal strings, dates YYYY-MM-DD." }),
  })
  .meta({ id: "LightReason" });

export const projectLight = z
  .strictObject({
    projectId: z.uuid(),
    name: z.string(),
    planKey: z.string().nullable(),
    light: z.enum(["RED", "YELLOW"]),
    severity: z.number(),
    reasons: z.array(lightReason),
    owner: z.strictObject({ id: z.uuid(), name: z.string() }).nullable(),
    counties: z.array(z.string()),
    deliveryConfidence: deliveryConfidence.nullable(),
    openNotices: z.number().int().meta({ description: "Supervision notices not closed." }),
  })
  .meta({ id: "ProjectLight" });

export const lightsResponse = z
  .strictObject({ unit, asOf: isoDate, total: z.number().int().meta({ description: "Red/yellow projects in scope (before limit)." }), data: z.array(projectLight) })
  .meta({ id: "LightList" });

// ---------------------------------------------------------------------------------------------
// The document itself

export const noQuery = z.strictObject({});

export const indicatorsQuery = z.strictObject({
  plan: projectListQuery.shape.plan.meta({ description: "Plan id (e.g. `zunyi-14th-fyp-urbanization`); default the current plan by date. Unknown ids are a 400." }),
});
