// The project library as an OC4IDS 0.9 project package (docs/decisions/0008-oc4ids-export.md).
// Pure: plain rows in (as lib/data/oc4ids.ts loads them), schema-valid JSON out. The package is
// in Chinese (language "zh"); amounts are whole 元 converted exactly from the stored 万元.
import { OC4IDS_MILESTONE, OC4IDS_MILESTONE_STATUS, OC4IDS_PROJECT_STATUS, OC4IDS_PROJECT_TYPE } from "@/lib/domain/project-codes";
import { toDecimal, wanToYuanNumber, type DecimalLike } from "@/lib/domain/money";
import type { DivisionKind, LifecycleStage, MilestoneKind, MilestoneStatus, ProjectType } from "@/lib/generated/prisma/enums";
import zh from "@/messages/zh-CN.json";
import { ownEntry } from "@/lib/validations/untrusted";

/** The schema version the package declares (major.minor); validated against the 0.9.5 schema. */
export const OC4IDS_VERSION = "0.9";
/** Prefix of every project id: ours, ocid-style, not a registered OC4IDS prefix. */
export const OC4IDS_ID_PREFIX = "oc4ids-zunyi-";
export const OC4IDS_LANGUAGE = "zh";
/** The location gazetteer for county codes: GB/T 2260 行政区划代码 (an open-codelist value of ours). */
export const GAZETTEER_GBT2260 = "GBT2260";
/** Identifier schemes of a project, in the order they are listed. */
export const IDENTIFIER_SCHEMES = {
  libraryId: "zunyi-project-library", // the row's uuid in this library
  planKey: "zunyi-urbanization-plan-2021-2025", // e.g. C09-P01-001, projects named in the plan
  projectCode: "CN-national-investment-project-code", // 全国投资项目在线审批监管平台 项目代码
} as const;

// ---------------------------------------------------------------------------------------------
// Input: what the loader reads. Amounts are Decimal (or decimal strings) in 万元; dates of
// @db.Date columns are UTC midnights of the calendar day.

export interface Oc4idsDivisionSource {
  code: string;
  gbCode: string | null;
  name: string;
  kind: DivisionKind;
}

export interface Oc4idsAuditEventSource {
  seq: bigint | number | string;
  at: Date;
  action: string;
  details: unknown;
}

export interface Oc4idsProjectSource {
  id: string;
  planKey: string | null;
  projectCode: string | null;
  name: string;
  sourcePhrase: string;
  sectorCode: string | null;
  projectType: ProjectType | null;
  lifecycleStage: LifecycleStage;
  plannedStart: Date | null;
  plannedCompletion: Date | null;
  totalInvestment: DecimalLike | null;
  plannedInvestment: DecimalLike | null;
  demoFields: string[];
  updatedAt: Date;
  plan: { title: string };
  column: { number: number; title: string };
  /** `key` is the 子工程's code in the plan ("C09-P01"); without it no relatedProjects are written. */
  programme: { name: string; key?: string };
  ownerOrg: { id: string; name: string; isDemo: boolean; division: Oc4idsDivisionSource | null } | null;
  locations: { division: Oc4idsDivisionSource }[];
  fundingPlans: { sourceCode: string; amount: DecimalLike; isDemo: boolean; source: { nameZh: string; nameEn: string; sortOrder: number } }[];
  annualPlans: { year: number; amount: DecimalLike; isDemo: boolean }[];
  milestones: {
    kind: MilestoneKind;
    baselineDate: Date | null;
    forecastDate: Date | null;
    actualDate: Date | null;
    status: MilestoneStatus;
    isDemo: boolean;
    updatedAt: Date;
  }[];
  /** AuditEvent rows with entityType "Project" and this project's id, any order. */
  auditEvents: Oc4idsAuditEventSource[];
  /** Evidence files of the project's approved monthly returns, with the link the loader built. */
  evidence?: Oc4idsEvidenceSource[];
}

export interface Oc4idsEvidenceSource {
  id: string;
  fileName: string;
  mimeType: string;
  sha256: string;
  createdAt: Date;
  /** The month of the approved return the file is evidence for (UTC midnight of its first day). */
  period: Date;
  /** When the return was approved. */
  approvedAt: Date | null;
  /** The file's address in this library: it needs a signed-in user who may read the project's returns. */
  url: string;
}

// ---------------------------------------------------------------------------------------------
// Output: the part of OC4IDS this export fills, plus the documented extension fields
// (isDemo, demoFields, forecastDate, modifications; the schema allows additional properties).

export interface Oc4idsValue {
  amount: number;
  currency: "CNY";
}

export interface Oc4idsPeriod {
  startDate?: string;
  endDate?: string;
  durationInDays?: number;
}

export interface Oc4idsAddress {
  locality?: string;
  region?: string;
  countryName?: string;
}

export interface Oc4idsBudgetBreakdown {
  id: string;
  description?: string;
  amount: Oc4idsValue;
  period?: Oc4idsPeriod;
  isDemo?: true;
}

export interface Oc4idsBudget {
  description?: string;
  amount?: Oc4idsValue;
  budgetBreakdowns?: { id: string; description: string; budgetBreakdown: Oc4idsBudgetBreakdown[] }[];
}

export interface Oc4idsMilestone {
  id: string;
  title: string;
  type: string;
  code?: string;
  description?: string;
  status: "scheduled" | "met" | "notMet" | "partiallyMet";
  dueDate?: string;
  dateMet?: string;
  dateModified: string;
  /** Extension: the current forecast (预测日期) while the milestone is not met. */
  forecastDate?: string;
  isDemo?: true;
}

/** The OC4IDS Modification object, used at project level (see the decision record). */
export interface Oc4idsModification {
  id: string;
  date: string;
  description: string;
  rationale?: string;
  type?: "value" | "duration" | "scope";
  oldContractValue?: Oc4idsValue;
  newContractValue?: Oc4idsValue;
  oldContractPeriod?: Oc4idsPeriod;
  newContractPeriod?: Oc4idsPeriod;
}

export interface Oc4idsParty {
  id: string;
  name: string;
  roles: string[];
  address?: Oc4idsAddress;
  isDemo?: true;
}

export interface Oc4idsLocation {
  id: string;
  description: string;
  gazetteer?: { scheme: string; identifiers: string[] };
  address: Oc4idsAddress;
}

/** OC4IDS RelatedProject: here the plan's 专栏 and 子工程 the project belongs to (ADR 0008). */
export interface Oc4idsRelatedProject {
  id: string;
  scheme: string;
  identifier: string;
  relationship: string;
  title: string;
}

/** OC4IDS Document, with the file's SHA-256 as an extension field. */
export interface Oc4idsDocument {
  id: string;
  documentType: string;
  title: string;
  description: string;
  url: string;
  datePublished: string;
  dateModified: string;
  format: string;
  language: string;
  accessDetails: string;
  /** Extension: SHA-256 (hex) of the file's bytes, so a copy can be checked against the library. */
  sha256: string;
}

export interface Oc4idsProject {
  id: string;
  updated: string;
  language: string;
  identifiers: { id: string; scheme: string }[];
  title: string;
  description: string;
  status?: string;
  type?: string;
  sector?: string[];
  publicAuthority?: { id: string; name: string };
  parties?: Oc4idsParty[];
  period?: Oc4idsPeriod;
  locations?: Oc4idsLocation[];
  budget?: Oc4idsBudget;
  milestones?: Oc4idsMilestone[];
  relatedProjects?: Oc4idsRelatedProject[];
  documents?: Oc4idsDocument[];
  completion?: { endDate: string; endDateDetails: string };
  /** Extension: project-level changes from the audit log, shaped as OC4IDS Modification. */
  modifications?: Oc4idsModification[];
  /** Extension: OC4IDS paths in this project whose values are generated demo data (示例数据). */
  demoFields?: string[];
}

export interface Oc4idsPublisher {
  name: string;
  uri?: string;
}

export interface Oc4idsPackage {
  uri: string;
  publishedDate: string;
  version: typeof OC4IDS_VERSION;
  publisher: Oc4idsPublisher;
  projects: Oc4idsProject[];
}

// ---------------------------------------------------------------------------------------------

/** A calendar day as the start of that day in China (UTC+8 all year). */
function dayStart(date: Date): string {
  return `${date.toISOString().slice(0, 10)}T00:00:00+08:00`;
}

function dayEnd(date: Date): string {
  return `${date.toISOString().slice(0, 10)}T23:59:59+08:00`;
}

/** "2025-06-30" (as stored in audit details) → Date at UTC midnight, or null. */
function parseDay(value: unknown): Date | null {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
}

const DAY_MS = 86_400_000;

function value(wan: DecimalLike): Oc4idsValue {
  return { amount: wanToYuanNumber(wan), currency: "CNY" };
}

function latest(dates: Date[]): Date {
  return dates.reduce((a, b) => (b.getTime() > a.getTime() ? b : a));
}

export function oc4idsProjectId(project: Pick<Oc4idsProjectSource, "id" | "planKey">): string {
  // Plan keys (C09-P01-001) never look like a uuid, so the two kinds of id cannot collide.
  return `${OC4IDS_ID_PREFIX}${project.planKey ?? project.id}`;
}

const CITY_NAME = "遵义市";
const PROVINCE = "贵州省";
const COUNTRY = "中国";

function divisionAddress(division: Oc4idsDivisionSource): Oc4idsAddress {
  return { countryName: COUNTRY, region: PROVINCE, locality: division.kind === "CITY" ? CITY_NAME : division.name };
}

function location(division: Oc4idsDivisionSource): Oc4idsLocation {
  return {
    id: division.code,
    description: division.kind === "CITY" ? `${PROVINCE}${CITY_NAME}（市级，不限于单一区县）` : `${PROVINCE}${CITY_NAME}${division.name}`,
    ...(division.gbCode ? { gazetteer: { scheme: GAZETTEER_GBT2260, identifiers: [division.gbCode] } } : {}),
    address: divisionAddress(division),
  };
}

const FIELD_LABELS: Record<string, string> = {
  ...zh.projectFields,
  ownerOrgId: zh.project.owner,
  deliveryConfidence: zh.project.deliveryConfidence,
};

const ENUM_LABELS: Record<string, Record<string, string>> = {
  lifecycleStage: zh.enums.LifecycleStage,
  projectType: zh.enums.ProjectType,
  nature: zh.enums.ProjectNature,
  deliveryConfidence: zh.enums.DeliveryConfidence,
};

function fieldLabel(field: string): string {
  return ownEntry(FIELD_LABELS, field) ?? field;
}

function shown(field: string, raw: unknown): string {
  if (raw === null || raw === undefined || raw === "") return "（空）";
  const text = typeof raw === "string" ? raw : JSON.stringify(raw);
  const labels = ownEntry(ENUM_LABELS, field);
  return (labels && ownEntry(labels, text)) ?? text;
}

/** Project.demoFields → the OC4IDS paths that carry those values. Fields not exported map to none. */
const DEMO_PATHS: Record<string, string[]> = {
  totalInvestment: ["budget.amount"],
  plannedInvestment: ["budget.description"],
  plannedStart: ["period"],
  plannedCompletion: ["period"],
  lifecycleStage: ["status"],
  ownerOrgId: ["publicAuthority", "parties"],
};

const VALUE_FIELDS = ["totalInvestment", "plannedInvestment"];
const PERIOD_FIELDS = ["plannedStart", "plannedCompletion"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function changeText(fields: string[], before: Record<string, unknown>, after: Record<string, unknown>): string {
  return fields.map((f) => `${fieldLabel(f)}：${shown(f, before[f])} → ${shown(f, after[f])}`).join("；");
}

/** An amount from audit details; audit rows are immutable, so one odd value must not break every export. */
function wanValue(raw: unknown): Oc4idsValue | undefined {
  if (typeof raw !== "string" || !/^-?\d+(\.\d{1,4})?$/.test(raw)) return undefined;
  try {
    return value(raw);
  } catch {
    return undefined; // beyond exact JSON numbers: the description still shows it
  }
}

function contractPeriod(values: Record<string, unknown>): Oc4idsPeriod | undefined {
  const start = parseDay(values.plannedStart);
  const end = parseDay(values.plannedCompletion);
  const period: Oc4idsPeriod = { ...(start ? { startDate: dayStart(start) } : {}), ...(end ? { endDate: dayEnd(end) } : {}) };
  return Object.keys(period).length ? period : undefined;
}

/**
 * Audit events → modifications, oldest first. A registry edit (details.before/after) becomes up to
 * three: a "value" change (总投资, with the old and new amount when 总投资 changed; 十四五计划投资 in
 * the description), a "duration" change (planned start/completion), and one for the remaining
 * fields, described only. Events without before/after are listed by their action.
 */
export function oc4idsModifications(events: Oc4idsAuditEventSource[]): Oc4idsModification[] {
  const sorted = [...events].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0));
  return sorted.flatMap((event): Oc4idsModification[] => {
    const id = `audit-${event.seq.toString()}`;
    const date = event.at.toISOString();
    const details = isRecord(event.details) ? event.details : {};
    const rationale = typeof details.reason === "string" && details.reason.trim() ? { rationale: details.reason.trim() } : {};
    const { before, after } = details;
    if (!isRecord(before) || !isRecord(after)) {
      return [{ id, date, description: `${event.action}（审计事件 #${event.seq.toString()}）`, ...rationale }];
    }
    const listed = Array.isArray(details.fields) ? details.fields.filter((f): f is string => typeof f === "string") : [];
    const fields = [...new Set([...listed, ...Object.keys(before), ...Object.keys(after)])];
    const result: Oc4idsModification[] = [];
    const valueFields = fields.filter((f) => VALUE_FIELDS.includes(f));
    if (valueFields.length) {
      const oldValue = valueFields.includes("totalInvestment") ? wanValue(before.totalInvestment) : undefined;
      const newValue = valueFields.includes("totalInvestment") ? wanValue(after.totalInvestment) : undefined;
      result.push({
        id: `${id}-value`, date, type: "value", description: changeText(valueFields, before, after), ...rationale,
        ...(oldValue ? { oldContractValue: oldValue } : {}),
        ...(newValue ? { newContractValue: newValue } : {}),
      });
    }
    const periodFields = fields.filter((f) => PERIOD_FIELDS.includes(f));
    if (periodFields.length) {
      const oldPeriod = contractPeriod(before);
      const newPeriod = contractPeriod(after);
      result.push({
        id: `${id}-duration`, date, type: "duration", description: changeText(periodFields, before, after), ...rationale,
        ...(oldPeriod ? { oldContractPeriod: oldPeriod } : {}),
        ...(newPeriod ? { newContractPeriod: newPeriod } : {}),
      });
    }
    const otherFields = fields.filter((f) => !VALUE_FIELDS.includes(f) && !PERIOD_FIELDS.includes(f));
    if (otherFields.length) result.push({ id, date, description: changeText(otherFields, before, after), ...rationale });
    return result;
  });
}

/**
 * Relationship codes of ours in the open relatedProject codelist (ADR 0008): the project is one of
 * the plan's 子工程 (`planProgramme`, its parent) and so of its 专栏 (`planColumn`, the parent's parent).
 */
export const RELATED_PROJECT_CODES = { programme: "planProgramme", column: "planColumn" } as const;

/** 专栏 → 子工程 → project, as relatedProjects in the plan's identifier scheme. */
function relatedProjects(project: Oc4idsProjectSource): Oc4idsRelatedProject[] {
  const programmeKey = project.programme.key;
  if (!programmeKey) return [];
  const columnKey = programmeKey.split("-")[0]!;
  return [
    { id: "planProgramme", scheme: IDENTIFIER_SCHEMES.planKey, identifier: programmeKey, relationship: RELATED_PROJECT_CODES.programme, title: `子工程 ${project.programme.name}` },
    { id: "planColumn", scheme: IDENTIFIER_SCHEMES.planKey, identifier: columnKey, relationship: RELATED_PROJECT_CODES.column, title: `专栏${project.column.number} ${project.column.title}` },
  ];
}

/** Evidence of approved monthly returns as OC4IDS documents (physical progress reports), oldest month first. */
export function oc4idsDocuments(evidence: readonly Oc4idsEvidenceSource[]): Oc4idsDocument[] {
  return [...evidence]
    .sort((a, b) => a.period.getTime() - b.period.getTime() || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
    .map((file) => {
      const month = file.period.toISOString().slice(0, 7);
      return {
        id: file.id,
        documentType: "physicalProgressReport",
        title: file.fileName,
        description: `${month} 月报（已审核）的佐证材料。SHA-256：${file.sha256}`,
        url: file.url,
        datePublished: (file.approvedAt ?? file.createdAt).toISOString(),
        dateModified: file.createdAt.toISOString(),
        format: file.mimeType,
        language: OC4IDS_LANGUAGE,
        accessDetails: "须登录遵义市城镇化重点项目库，并有权查看该项目的月报。",
        sha256: file.sha256,
      };
    });
}

const MILESTONE_ORDER = Object.keys(OC4IDS_MILESTONE) as MilestoneKind[];

function milestones(project: Oc4idsProjectSource): Oc4idsMilestone[] {
  return [...project.milestones]
    .sort((a, b) => MILESTONE_ORDER.indexOf(a.kind) - MILESTONE_ORDER.indexOf(b.kind))
    .map((m) => {
      const { type, code } = OC4IDS_MILESTONE[m.kind];
      const due = m.baselineDate ?? m.forecastDate;
      const dates = [
        m.baselineDate && `${zh.project.baseline} ${m.baselineDate.toISOString().slice(0, 10)}`,
        m.forecastDate && `${zh.project.forecast} ${m.forecastDate.toISOString().slice(0, 10)}`,
        m.actualDate && `${zh.project.actual} ${m.actualDate.toISOString().slice(0, 10)}`,
      ].filter(Boolean);
      return {
        id: m.kind,
        title: zh.enums.MilestoneKind[m.kind],
        type,
        ...(code ? { code } : {}),
        ...(dates.length ? { description: dates.join("；") } : {}),
        status: OC4IDS_MILESTONE_STATUS[m.status],
        ...(due ? { dueDate: dayStart(due) } : {}),
        ...(m.actualDate ? { dateMet: dayStart(m.actualDate) } : {}),
        dateModified: m.updatedAt.toISOString(),
        ...(m.forecastDate && !m.actualDate ? { forecastDate: dayStart(m.forecastDate) } : {}),
        ...(m.isDemo ? { isDemo: true as const } : {}),
      };
    });
}

function budget(project: Oc4idsProjectSource): Oc4idsBudget | undefined {
  const breakdowns: NonNullable<Oc4idsBudget["budgetBreakdowns"]> = [];
  if (project.fundingPlans.length) {
    breakdowns.push({
      id: "fundingSource",
      description: "按资金来源的资金计划（资金来源计划）",
      budgetBreakdown: [...project.fundingPlans]
        .sort((a, b) => a.source.sortOrder - b.source.sortOrder)
        .map((f) => ({
          id: f.sourceCode,
          description: `${f.source.nameZh}（${f.source.nameEn}）`,
          amount: value(f.amount),
          ...(f.isDemo ? { isDemo: true as const } : {}),
        })),
    });
  }
  if (project.annualPlans.length) {
    breakdowns.push({
      id: "annualPlan",
      description: "按年度的计划投资（年度计划投资）",
      budgetBreakdown: [...project.annualPlans]
        .sort((a, b) => a.year - b.year)
        .map((a) => ({
          id: String(a.year),
          description: `${a.year}年度计划投资`,
          amount: value(a.amount),
          period: { startDate: `${a.year}-01-01T00:00:00+08:00`, endDate: `${a.year}-12-31T23:59:59+08:00` },
          ...(a.isDemo ? { isDemo: true as const } : {}),
        })),
    });
  }
  const text = [
    project.totalInvestment !== null && `总投资 ${toDecimal(project.totalInvestment).toFixed()} 万元`,
    project.plannedInvestment !== null && `其中“十四五”计划投资 ${toDecimal(project.plannedInvestment).toFixed()} 万元`,
  ].filter(Boolean);
  const result: Oc4idsBudget = {
    ...(text.length ? { description: `${text.join("；")}（金额以人民币元发布：1 万元 = 10,000 元）` } : {}),
    ...(project.totalInvestment !== null ? { amount: value(project.totalInvestment) } : {}),
    ...(breakdowns.length ? { budgetBreakdowns: breakdowns } : {}),
  };
  return Object.keys(result).length ? result : undefined;
}

function period(project: Oc4idsProjectSource): Oc4idsPeriod | undefined {
  const { plannedStart: start, plannedCompletion: end } = project;
  const result: Oc4idsPeriod = {
    ...(start ? { startDate: dayStart(start) } : {}),
    ...(end ? { endDate: dayEnd(end) } : {}),
    ...(start && end && end >= start ? { durationInDays: Math.round((end.getTime() - start.getTime()) / DAY_MS) + 1 } : {}),
  };
  return Object.keys(result).length ? result : undefined;
}

/** 建成 projects: the actual date of 竣工验收, else of 主体完工. */
function completion(project: Oc4idsProjectSource) {
  if (project.lifecycleStage !== "COMPLETED") return undefined;
  for (const kind of ["ACCEPTANCE", "MAIN_WORKS_DONE"] as const) {
    const milestone = project.milestones.find((m) => m.kind === kind && m.actualDate);
    if (milestone?.actualDate) {
      return { value: { endDate: dayEnd(milestone.actualDate), endDateDetails: `${zh.enums.MilestoneKind[kind]}实际日期` }, isDemo: milestone.isDemo };
    }
  }
  return undefined;
}

export function oc4idsProject(project: Oc4idsProjectSource): Oc4idsProject {
  const status = OC4IDS_PROJECT_STATUS[project.lifecycleStage];
  const owner = project.ownerOrg;
  const ownerIsDemo = !!owner && (owner.isDemo || project.demoFields.includes("ownerOrgId"));
  const mappedMilestones = milestones(project);
  const finished = completion(project);
  const projectBudget = budget(project);
  const modifications = oc4idsModifications(project.auditEvents);
  const related = relatedProjects(project);
  const documents = oc4idsDocuments(project.evidence ?? []);

  const demoPaths = new Set(project.demoFields.flatMap((f) => DEMO_PATHS[f] ?? []));
  if (!owner) {
    demoPaths.delete("publicAuthority");
    demoPaths.delete("parties");
  }
  if (project.totalInvestment === null) demoPaths.delete("budget.amount");
  if (project.plannedInvestment === null && project.totalInvestment === null) demoPaths.delete("budget.description");
  if (!status) demoPaths.delete("status");
  if (!project.plannedStart && !project.plannedCompletion) demoPaths.delete("period");
  if ([...project.fundingPlans, ...project.annualPlans].some((row) => row.isDemo)) demoPaths.add("budget.budgetBreakdowns");
  if (project.milestones.some((m) => m.isDemo)) demoPaths.add("milestones");
  if (finished && (finished.isDemo || project.demoFields.includes("lifecycleStage"))) demoPaths.add("completion");
  const demoFields = [...demoPaths].sort();

  // Named without "（万元）": the package publishes 元. Fields the export leaves out are not named.
  const demoLabels = [
    ...new Set([
      ...project.demoFields.filter((f) => f in DEMO_PATHS).map(fieldLabel),
      ...(project.annualPlans.some((a) => a.isDemo) ? [zh.project.annualPlans] : []),
      ...(project.fundingPlans.some((f) => f.isDemo) ? [zh.project.funding] : []),
      ...(project.milestones.some((m) => m.isDemo) ? [zh.project.milestones] : []),
    ].map((label) => label.replace(/（万元）$/, ""))),
  ];
  const description = [
    `《${project.plan.title}》专栏${project.column.number} ${project.column.title} · ${project.programme.name}。规划原文：“${project.sourcePhrase}”。`,
    ...(project.lifecycleStage === "SUSPENDED" ? ["项目当前暂停（OC4IDS projectStatus 无“暂停”代码，故未填 status）。"] : []),
    ...(demoLabels.length ? [`示例数据：本项目的${demoLabels.join("、")}是系统生成的演示数据，并非规划或实际填报数值（见 demoFields 与 isDemo）。`] : []),
  ].join("");

  const updated = oc4idsUpdated(project);

  const projectPeriod = period(project);
  const locations = project.locations.map((l) => location(l.division));
  return {
    id: oc4idsProjectId(project),
    updated: updated.toISOString(),
    language: OC4IDS_LANGUAGE,
    identifiers: [
      { id: project.id, scheme: IDENTIFIER_SCHEMES.libraryId },
      ...(project.planKey ? [{ id: project.planKey, scheme: IDENTIFIER_SCHEMES.planKey }] : []),
      ...(project.projectCode ? [{ id: project.projectCode, scheme: IDENTIFIER_SCHEMES.projectCode }] : []),
    ],
    title: project.name,
    description,
    ...(status ? { status } : {}),
    ...(project.projectType ? { type: OC4IDS_PROJECT_TYPE[project.projectType] } : {}),
    ...(project.sectorCode ? { sector: [project.sectorCode] } : {}),
    ...(owner
      ? {
          publicAuthority: { id: owner.id, name: owner.name },
          parties: [
            {
              id: owner.id,
              name: owner.name,
              roles: ["publicAuthority"],
              ...(owner.division ? { address: divisionAddress(owner.division) } : {}),
              ...(ownerIsDemo ? { isDemo: true as const } : {}),
            },
          ],
        }
      : {}),
    ...(projectPeriod ? { period: projectPeriod } : {}),
    ...(locations.length ? { locations } : {}),
    ...(projectBudget ? { budget: projectBudget } : {}),
    ...(mappedMilestones.length ? { milestones: mappedMilestones } : {}),
    ...(related.length ? { relatedProjects: related } : {}),
    ...(documents.length ? { documents } : {}),
    ...(finished ? { completion: finished.value } : {}),
    ...(modifications.length ? { modifications } : {}),
    ...(demoFields.length ? { demoFields } : {}),
  };
}

/**
 * A project's `updated`: the latest of its row, its milestones and its audit events. The streamed
 * export also reads it before any project is written, for the package's publishedDate.
 */
export function oc4idsUpdated(project: { updatedAt: Date; milestones: readonly { updatedAt: Date }[]; auditEvents: readonly { at: Date }[] }): Date {
  return latest([project.updatedAt, ...project.milestones.map((m) => m.updatedAt), ...project.auditEvents.map((e) => e.at)]);
}

function envelope(meta: { uri: string; publisher: Oc4idsPublisher }, publishedDate: Date, projects: Oc4idsProject[]): Oc4idsPackage {
  return { uri: meta.uri, publishedDate: publishedDate.toISOString(), version: OC4IDS_VERSION, publisher: meta.publisher, projects };
}

/**
 * The package around mapped projects. publishedDate is the latest `updated` of its projects, as
 * the schema asks of packages generated on demand, so the same data gives the same package.
 */
export function oc4idsPackage(meta: { uri: string; publisher: Oc4idsPublisher; now: Date }, projects: Oc4idsProject[]): Oc4idsPackage {
  const publishedDate = projects.length ? latest(projects.map((p) => new Date(p.updated))) : meta.now;
  return envelope(meta, publishedDate, projects);
}

/**
 * The package serialized around its projects, for a streamed body: `head`, then each
 * JSON.stringify(project) separated by `separator`, then `tail` is byte for byte
 * JSON.stringify(oc4idsPackage(…)) when publishedDate is the latest `updated` of those projects.
 */
export function oc4idsPackageFrame(meta: { uri: string; publisher: Oc4idsPublisher; publishedDate: Date }): { head: string; separator: string; tail: string } {
  const empty = JSON.stringify(envelope(meta, meta.publishedDate, []));
  // `projects` is the envelope's last key, so the text ends with its empty array and the closing brace.
  if (!empty.endsWith(`"projects":[]}`)) throw new Error("the OC4IDS package must end with its projects");
  return { head: empty.slice(0, -2), separator: ",", tail: "]}" };
}
