// The demo overlay: deterministic, clearly flagged figures for the plan's own projects so the
// product can be tried before owner units report. Pure: same input and seed → same output.
// Nothing here is a plan or reported figure; every value is written with isDemo / demoFields.
import Decimal from "decimal.js";

export const DEMO_SEED = "zunyi-demo-2021";

export interface DemoProjectInput {
  id: string;
  planKey: string;
  name: string;
  columnNumber: number;
  sectorCode: string | null;
  targetStage2025: "COMPLETE" | "START" | "CONSTRUCT" | "PREPARE" | "RELOCATE";
  divisionCodes: string[];
}

export interface DemoMonth {
  period: string; // YYYY-MM-01
  completedInvestment: string;
  payments: string;
  progressPercent: string;
  progressText: string;
  funds: { sourceCode: string; amount: string }[];
  /** Approved unless the demo leaves the latest month awaiting review. */
  status: "APPROVED" | "SUBMITTED";
}

export interface DemoMilestone {
  kind: (typeof MILESTONE_OFFSETS)[number][0];
  baselineDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  status: "SCHEDULED" | "MET" | "NOT_MET";
}

export interface DemoProject {
  projectId: string;
  plannedInvestment: string;
  totalInvestment: string;
  plannedStart: string;
  plannedCompletion: string;
  nature: "PUBLIC_WELFARE" | "QUASI_PUBLIC" | "COMMERCIAL";
  deliveryConfidence: "GREEN" | "AMBER_GREEN" | "AMBER" | "AMBER_RED" | "RED";
  lifecycleStage: "PREPARATION" | "CONSTRUCTION" | "COMPLETED" | "SUSPENDED";
  ownerOrgName: string;
  late: boolean;
  annualPlans: { year: number; amount: string }[];
  funding: { sourceCode: string; amount: string }[];
  milestones: DemoMilestone[];
  returns: DemoMonth[];
}

/** The fields of Project the overlay fills; listed in Project.demoFields. */
export const DEMO_PROJECT_FIELDS = [
  "plannedInvestment",
  "totalInvestment",
  "plannedStart",
  "plannedCompletion",
  "nature",
  "deliveryConfidence",
  "lifecycleStage",
  "ownerOrgId",
] as const;

const MILESTONE_OFFSETS = [
  ["APPROVAL", -18, "start"],
  ["FEASIBILITY", -14, "start"],
  ["LAND_PRE_APPROVAL", -12, "start"],
  ["EIA_APPROVAL", -10, "start"],
  ["PRELIMINARY_DESIGN", -6, "start"],
  ["CONSTRUCTION_PERMIT", -2, "start"],
  ["START", 0, "start"],
  ["MAIN_WORKS_DONE", -4, "end"],
  ["ACCEPTANCE", 0, "end"],
  ["IN_SERVICE", 2, "end"],
] as const;

/** mulberry32 seeded by a string: small, fast and the same on every machine. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIZE_RULES: [RegExp, number][] = [
  [/铁路专线|专用线|存车场/, 10],
  [/新城|片区/, 40],
  [/铁路|高铁|城际/, 400],
  [/轨道交通|轻轨|地铁/, 300],
  [/高速/, 250],
  [/机场/, 120],
  [/开发区|园区|产业集群|基地/, 60],
  [/大型水库|水利枢纽/, 80],
  [/引水|水网|灌区|供水/, 25],
  [/水库/, 20],
  [/国道|省道|公路|大道|快速路|大桥/, 35],
  [/航道|港口|码头/, 25],
  [/大学|学院|职业技术/, 18],
  [/医院|医疗|卫生/, 10],
  [/综合管廊|管网/, 15],
  [/5G|数据中心|智慧/, 12],
  [/输电|线路|变电站|kV|千伏/, 6],
  [/天然气|管道|支线/, 6],
  [/棚户区|还房|安置|公租房|城中村/, 8],
  [/中学|小学|学校|高中/, 2.5],
  [/幼儿园/, 0.8],
  [/养老|福利/, 1.5],
  [/体育|场馆|运动/, 3],
  [/充电/, 2],
];

function sizeWeight(name: string): number {
  for (const [pattern, weight] of SIZE_RULES) if (pattern.test(name)) return weight;
  return 5;
}

function natureOf(project: DemoProjectInput): DemoProject["nature"] {
  const sector = project.sectorCode ?? "";
  if (/^(education|health|cultureSportsAndRecreation|naturalResources|governance)/.test(sector) || project.columnNumber === 11) return "PUBLIC_WELFARE";
  if (/^(energy|economy|communications)/.test(sector)) return "COMMERCIAL";
  return "QUASI_PUBLIC";
}

const FUNDING_MIX: Record<DemoProject["nature"], [string, number][]> = {
  PUBLIC_WELFARE: [["LOCAL_FISCAL", 35], ["CENTRAL_BUDGET", 25], ["SPECIAL_BOND", 30], ["ANTI_EPIDEMIC_BOND", 10]],
  QUASI_PUBLIC: [["SPECIAL_BOND", 30], ["POLICY_FINANCE", 25], ["LOCAL_FISCAL", 15], ["INTEGRATION_FUND", 15], ["ENTERPRISE_BOND", 15]],
  COMMERCIAL: [["COMMERCIAL_LOAN", 40], ["SOCIAL_CAPITAL", 40], ["ENTERPRISE_BOND", 20]],
};

const DEPARTMENT_BY_SECTOR: [RegExp, string][] = [
  [/^education/, "遵义市教育局"],
  [/^health/, "遵义市卫生健康局"],
  [/^transport/, "遵义市交通运输局"],
  [/^energy/, "遵义市能源局"],
  [/^waterAndWaste/, "遵义市水务局"],
  [/^socialHousing/, "遵义市住房和城乡建设局"],
  [/^communications/, "遵义市大数据发展管理局"],
  [/^economy/, "遵义市工业和信息化局"],
  [/^cultureSportsAndRecreation/, "遵义市体育局"],
  [/^naturalResources/, "遵义市生态环境局"],
];

export function ownerFor(project: DemoProjectInput, countyGovernment: (divisionCode: string) => string | undefined): string {
  const counties = project.divisionCodes.filter((code) => code !== "520300");
  if (counties.length === 1 && project.divisionCodes.length === 1) {
    const government = countyGovernment(counties[0]!);
    if (government) return government;
  }
  if (project.columnNumber === 11) return "遵义市民政局";
  if (project.columnNumber === 18) return "遵义市人力资源和社会保障局";
  for (const [pattern, department] of DEPARTMENT_BY_SECTOR) if (pattern.test(project.sectorCode ?? "")) return department;
  return "遵义市发展和改革委员会";
}

// Months are counted as year * 12 + (month - 1).
const monthIndex = (year: number, month: number) => year * 12 + (month - 1);
const monthDate = (index: number, day = 1) =>
  `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const SCHEDULES: Record<DemoProjectInput["targetStage2025"], { start: [number, number]; duration: [number, number]; totalFactor: [number, number] }> = {
  COMPLETE: { start: [monthIndex(2019, 6), monthIndex(2022, 12)], duration: [18, 40], totalFactor: [1.0, 1.3] },
  RELOCATE: { start: [monthIndex(2020, 1), monthIndex(2022, 12)], duration: [18, 36], totalFactor: [1.0, 1.2] },
  CONSTRUCT: { start: [monthIndex(2020, 1), monthIndex(2023, 6)], duration: [36, 72], totalFactor: [1.2, 1.8] },
  START: { start: [monthIndex(2023, 1), monthIndex(2025, 10)], duration: [24, 54], totalFactor: [1.5, 3] },
  PREPARE: { start: [monthIndex(2025, 9), monthIndex(2027, 12)], duration: [24, 48], totalFactor: [4, 10] },
};

function splitByWeights(total: Decimal, weights: number[]): Decimal[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => new Decimal(0));
  const parts = weights.map((w) => total.times(w).dividedBy(sum).toDecimalPlaces(0, Decimal.ROUND_DOWN));
  const rest = total.minus(parts.reduce((a, b) => a.plus(b), new Decimal(0)));
  const largest = weights.indexOf(Math.max(...weights));
  parts[largest] = parts[largest]!.plus(rest);
  return parts;
}

function progressText(percent: number): string {
  if (percent >= 100) return "已完工";
  if (percent >= 80) return "主体完工，附属及装饰装修施工中";
  if (percent >= 50) return "主体结构施工中";
  if (percent >= 20) return "基础及主体施工中";
  return "施工准备及场地平整";
}

export interface DemoOptions {
  seed?: string;
  /** The last month with returns (normally last month). */
  asOf: { year: number; month: number };
  countyGovernment: (divisionCode: string) => string | undefined;
  /** What 十四五计划投资 sums to (万元): the plan's target, read from the Plan row by the caller. */
  plannedTotal: Decimal.Value;
}

export function generateDemoOverlay(projects: DemoProjectInput[], options: DemoOptions): DemoProject[] {
  const seed = options.seed ?? DEMO_SEED;
  const asOf = monthIndex(options.asOf.year, options.asOf.month);
  const sorted = [...projects].sort((a, b) => a.planKey.localeCompare(b.planKey));
  const randoms = new Map(sorted.map((p) => [p.id, seededRandom(`${seed}:${p.planKey}`)]));

  // 1. Sizes, scaled so 十四五计划投资 sums to the plan's target (options.plannedTotal).
  const rawWeights = sorted.map((p) => {
    const random = randoms.get(p.id)!;
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return sizeWeight(p.name) * Math.exp(0.45 * gaussian);
  });
  const planned = splitByWeights(new Decimal(options.plannedTotal), rawWeights);

  return sorted.map((project, index): DemoProject => {
    const random = randoms.get(project.id)!;
    const schedule = SCHEDULES[project.targetStage2025];
    const plannedInvestment = planned[index]!;
    const totalFactor = schedule.totalFactor[0] + random() * (schedule.totalFactor[1] - schedule.totalFactor[0]);
    const totalInvestment = plannedInvestment.times(totalFactor).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
    const start = between(random, ...schedule.start);
    const end = start + between(random, ...schedule.duration);
    const late = random() < 0.18;
    const slip = late ? between(random, 3, 12) : between(random, 0, 1);
    const performance = late ? 0.4 + random() * 0.3 : 0.88 + random() * 0.2;
    const actualStart = start + slip;
    const actualEnd = end + Math.round(slip * 1.5);
    const nature = natureOf(project);

    // 2. Annual plans: 十四五 years share plannedInvestment; later years share the rest.
    const years = Array.from({ length: Math.floor(end / 12) - Math.floor(start / 12) + 1 }, (_, i) => Math.floor(start / 12) + i);
    const monthsIn = (year: number) => Math.max(0, Math.min(end, monthIndex(year, 12)) - Math.max(start, monthIndex(year, 1)) + 1);
    const fyp = [2021, 2022, 2023, 2024, 2025];
    const fypWeights = fyp.map(monthsIn);
    if (!fypWeights.some((w) => w > 0)) fypWeights[4] = 1; // preparation spending in 2025
    const later = years.filter((y) => y > 2025);
    const fypAmounts = splitByWeights(plannedInvestment, fypWeights);
    const laterAmounts = splitByWeights(Decimal.max(0, totalInvestment.minus(plannedInvestment)), later.map(monthsIn));
    const annualPlans = [
      ...fyp.map((year, i) => ({ year, amount: fypAmounts[i]! })),
      ...later.map((year, i) => ({ year, amount: laterAmounts[i]! })),
    ].filter((plan) => plan.amount.greaterThan(0));

    // 3. Funding mix.
    const mix = FUNDING_MIX[nature].map(([code, share]) => [code, share * (0.6 + random() * 0.8)] as [string, number]);
    const fundingAmounts = splitByWeights(totalInvestment, mix.map(([, w]) => w));
    const funding = mix.map(([sourceCode], i) => ({ sourceCode, amount: fundingAmounts[i]!.toString() }));

    // 4. Monthly returns from 2021-01 (or the actual start) to asOf.
    const planFor = new Map(annualPlans.map((p) => [p.year, p.amount]));
    const returns: DemoMonth[] = [];
    let cumulative = new Decimal(0);
    for (let m = Math.max(monthIndex(2021, 1), actualStart); m <= Math.min(asOf, actualEnd); m++) {
      const year = Math.floor(m / 12);
      const yearPlan = planFor.get(year) ?? new Decimal(0);
      const months = Math.max(1, monthsIn(year));
      let amount = yearPlan.dividedBy(months).times(performance * (0.7 + random() * 0.6)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      if (cumulative.plus(amount).greaterThan(totalInvestment)) amount = Decimal.max(0, totalInvestment.minus(cumulative));
      cumulative = cumulative.plus(amount);
      const elapsed = (m - actualStart + 1) / Math.max(1, actualEnd - actualStart + 1);
      const percent = Math.min(100, Math.round(elapsed * 100 * (late ? 0.8 : 1)));
      const fundsTotal = amount.times(0.8 + random() * 0.3);
      // Funds arrive from every source of the mix in proportion to its planned share, so cumulative
      // funds stay near the plan of each source (the return rules compare them per source).
      const fundParts = splitByWeights(fundsTotal.toDecimalPlaces(0, Decimal.ROUND_HALF_UP), mix.map(([, w]) => w));
      returns.push({
        period: monthDate(m),
        completedInvestment: amount.toFixed(2),
        payments: amount.times(0.85).toFixed(2),
        progressPercent: percent.toFixed(2),
        progressText: progressText(percent),
        funds: mix.map(([sourceCode], i) => ({ sourceCode, amount: fundParts[i]!.toString() })).filter((f) => f.amount !== "0"),
        status: "APPROVED",
      });
    }

    // 5. Milestones: baseline from the plan dates; actual or forecast shifted by the slip.
    const milestones = MILESTONE_OFFSETS.map(([kind, offset, anchor]): DemoMilestone => {
      const baseline = (anchor === "start" ? start : end) + offset;
      // On-time projects meet most milestones within days of the baseline; late ones slip months.
      const shifted = (anchor === "start" ? actualStart : actualEnd) + offset + (late ? 0 : random() < 0.85 ? 0 : 1);
      const done = shifted <= asOf;
      return {
        kind,
        baselineDate: monthDate(baseline, 15),
        forecastDate: done ? null : monthDate(shifted, 15),
        actualDate: done ? monthDate(shifted, late ? between(random, 1, 28) : between(random, 10, 25)) : null,
        status: done ? "MET" : baseline < asOf ? "NOT_MET" : "SCHEDULED",
      };
    });

    const lifecycleStage: DemoProject["lifecycleStage"] =
      random() < 0.01 ? "SUSPENDED" : actualEnd <= asOf ? "COMPLETED" : actualStart <= asOf ? "CONSTRUCTION" : "PREPARATION";
    const ratingRoll = random();
    const deliveryConfidence: DemoProject["deliveryConfidence"] = late
      ? ratingRoll < 0.5 ? "AMBER_GREEN" : ratingRoll < 0.85 ? "AMBER" : "AMBER_RED"
      : ratingRoll < 0.7 ? "GREEN" : "AMBER_GREEN";

    // 6. The reporting desk as of asOf: some late projects have not sent their last one or two
    //    returns (overdue), and some returns of the latest month await review. Drawn last so the
    //    figures above do not depend on it.
    const latest = returns.at(-1);
    if (latest && latest.period === monthDate(asOf) && lifecycleStage === "CONSTRUCTION") {
      const roll = random();
      if (late && roll < 0.5) returns.splice(roll < 0.2 ? -2 : -1);
      else if (roll > 0.75) latest.status = "SUBMITTED";
    }

    return {
      projectId: project.id,
      plannedInvestment: plannedInvestment.toString(),
      totalInvestment: totalInvestment.toString(),
      plannedStart: monthDate(start),
      plannedCompletion: monthDate(end, 28),
      nature,
      deliveryConfidence,
      lifecycleStage,
      ownerOrgName: ownerFor(project, options.countyGovernment),
      late,
      annualPlans: annualPlans.map((p) => ({ year: p.year, amount: p.amount.toString() })),
      funding,
      milestones,
      returns,
    };
  });
}
