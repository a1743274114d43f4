// Writes the plan, its columns, programmes, projects and indicators, plus reference data.
// Idempotent: every row is upserted on its natural key, so running it twice changes nothing.
import type { Prisma } from "../../lib/generated/prisma/client";

type PrismaClient = Prisma.TransactionClient;
import {
  AUDIT_OFFICE,
  CITY_DEPARTMENTS,
  CITY_GOVERNMENT,
  DIVISIONS,
  FUNDING_SOURCES,
  LEADERSHIP_OFFICE,
  PLAN,
  SECTOR_LABELS_ZH,
  countyOrganizations,
} from "../data/reference";
import { CITY_DIVISION, reviewDivisionOf } from "../../lib/returns/rules";
import { loadPlanData, type PlanData } from "./plan-data";
import { loadOc4idsSectors } from "./oc4ids-sectors";

export async function seedReferenceData(prisma: PrismaClient): Promise<void> {
  for (const [index, division] of DIVISIONS.entries()) {
    const data = { gbCode: division.gbCode, name: division.name, kind: division.kind, sortOrder: index };
    await prisma.adminDivision.upsert({ where: { code: division.code }, create: { code: division.code, ...data }, update: data });
  }
  for (const [index, source] of FUNDING_SOURCES.entries()) {
    const data = { nameZh: source.nameZh, nameEn: source.nameEn, sortOrder: index };
    await prisma.fundingSource.upsert({ where: { code: source.code }, create: { code: source.code, ...data }, update: data });
  }
  for (const [index, sector] of loadOc4idsSectors().entries()) {
    const data = { nameEn: sector.title, nameZh: SECTOR_LABELS_ZH[sector.code] ?? sector.title, sortOrder: index };
    await prisma.sector.upsert({ where: { code: sector.code }, create: { code: sector.code, ...data }, update: data });
  }
  const city = await prisma.organization.upsert({
    where: { name: CITY_GOVERNMENT },
    create: { name: CITY_GOVERNMENT, kind: "CITY_GOVERNMENT", divisionCode: "520300" },
    update: {},
  });
  const cityChildren: [string, "CITY_DEPARTMENT" | "LEADERSHIP_OFFICE" | "AUDIT_OFFICE"][] = [
    ...CITY_DEPARTMENTS.map((name) => [name, "CITY_DEPARTMENT"] as [string, "CITY_DEPARTMENT"]),
    [LEADERSHIP_OFFICE, "LEADERSHIP_OFFICE"],
    [AUDIT_OFFICE, "AUDIT_OFFICE"],
  ];
  for (const [name, kind] of cityChildren) {
    await prisma.organization.upsert({
      where: { name },
      create: { name, kind, parentId: city.id, divisionCode: "520300" },
      update: {},
    });
  }
  for (const division of DIVISIONS.filter((d) => d.kind !== "CITY")) {
    const { government, reviewOffice } = countyOrganizations(division.name);
    const county = await prisma.organization.upsert({
      where: { name: government },
      create: { name: government, kind: "COUNTY_GOVERNMENT", parentId: city.id, divisionCode: division.code },
      update: {},
    });
    await prisma.organization.upsert({
      where: { name: reviewOffice },
      create: { name: reviewOffice, kind: "COUNTY_DEPARTMENT", parentId: county.id, divisionCode: division.code },
      update: {},
    });
  }
}

/** A programme's key in the database: the CSV's key for the seed plan, "<planId>/<key>" for any other. */
export function programmeDbKey(planId: string, key: string): string {
  return planId === PLAN.id ? key : `${planId}/${key}`;
}

/**
 * Writes one plan (default: the seed's 十四五 plan) with its columns, programmes, projects and
 * indicators. A project row with `continues` is a 续建: the earlier plan's project gets a
 * PlanContinuation row in this plan and keeps its one history (docs/decisions/0028).
 */
export async function seedPlan(prisma: PrismaClient, data: PlanData = loadPlanData()): Promise<{ projects: number; continued: number }> {
  await seedReferenceData(prisma);
  const planId = data.plan.id;
  const planData = {
    title: data.plan.title,
    periodStart: data.plan.periodStart,
    periodEnd: data.plan.periodEnd,
    keyInvestmentTarget: data.plan.keyInvestmentTargetWan,
    keyInvestmentTargetText: data.plan.keyInvestmentTargetText,
    sourceFile: data.plan.sourceFile,
  };
  await prisma.plan.upsert({ where: { id: planId }, create: { id: planId, ...planData }, update: planData });

  const columnIds = new Map<number, string>();
  for (const column of data.columns) {
    const fields = { title: column.title, hasProjects: column.has_projects };
    const row = await prisma.planColumn.upsert({
      where: { planId_number: { planId, number: column.column_no } },
      create: { planId, number: column.column_no, ...fields },
      update: fields,
    });
    columnIds.set(column.column_no, row.id);
  }

  const programmeIds = new Map<string, string>();
  for (const programme of data.programmes) {
    const columnId = columnIds.get(programme.column_no);
    if (!columnId) throw new Error(`programme ${programme.programme_key}: no column ${programme.column_no}`);
    const fields = { columnId, seq: programme.seq, name: programme.name };
    const key = programmeDbKey(planId, programme.programme_key);
    const row = await prisma.programme.upsert({ where: { key }, create: { key, ...fields }, update: fields });
    programmeIds.set(programme.programme_key, row.id);
  }

  let continued = 0;
  for (const project of data.projects) {
    const columnId = columnIds.get(project.column_no);
    const programmeId = programmeIds.get(project.programme_key);
    if (!columnId || !programmeId) throw new Error(`project ${project.project_key}: unknown column or programme`);
    if (project.continues) {
      const earlier = await continuedProject(prisma, data, project.project_key, project.continues);
      const fields = {
        planKey: project.project_key,
        planName: project.name,
        columnId,
        programmeId,
        plannedInvestment: project.planned_investment,
        targetStage: project.target_stage,
        sourcePhrase: project.source_phrase,
        sourceLine: project.line_no,
      };
      await prisma.planContinuation.upsert({
        where: { planId_projectId: { planId, projectId: earlier } },
        create: { planId, projectId: earlier, ...fields },
        update: fields,
      });
      continued += 1;
      continue;
    }
    // Only the plan's own facts are written here; figures the plan does not give stay empty.
    const fields = {
      name: project.display_name,
      planName: project.name,
      columnId,
      programmeId,
      sectorCode: project.sector || null,
      projectType: project.project_type,
      targetStage2025: project.target_stage,
      sourcePhrase: project.source_phrase,
      sourceLine: project.line_no,
      ...(project.planned_investment !== null ? { plannedInvestment: project.planned_investment } : {}),
    };
    const reviewDivisionCode = reviewDivisionOf(project.counties.length ? project.counties : [CITY_DIVISION]);
    // Upsert by the stable plan key: an existing project keeps its id and everything entered
    // against it (returns, milestones, audit); a project the data newly names is added.
    const row = await prisma.project.upsert({
      where: { planId_planKey: { planId, planKey: project.project_key } },
      create: { planKey: project.project_key, planId, countyPending: project.county_pending, reviewDivisionCode, ...fields },
      // A pending county may have been settled in the app, which also set the review office.
      update: project.county_pending ? fields : { ...fields, reviewDivisionCode },
      select: { id: true, countyPending: true },
    });
    const existing = await prisma.projectLocation.findMany({ where: { projectId: row.id }, select: { divisionCode: true } });
    if (project.county_pending) {
      // The plan names no county. One a reviewer has settled in the app (countyPending false with
      // locations) is kept; otherwise the project waits for one.
      if (existing.length === 0 && !row.countyPending) await prisma.project.update({ where: { id: row.id }, data: { countyPending: true } });
      continue;
    }
    if (row.countyPending) await prisma.project.update({ where: { id: row.id }, data: { countyPending: false } });
    const want = new Set(project.counties);
    const have = new Set(existing.map((l) => l.divisionCode));
    const stale = [...have].filter((code) => !want.has(code));
    if (stale.length) await prisma.projectLocation.deleteMany({ where: { projectId: row.id, divisionCode: { in: stale } } });
    const missing = [...want].filter((code) => !have.has(code));
    if (missing.length) {
      await prisma.projectLocation.createMany({ data: missing.map((divisionCode) => ({ projectId: row.id, divisionCode })) });
    }
  }

  for (const indicator of data.indicators) {
    const { number, ...fields } = indicator;
    await prisma.indicator.upsert({
      where: { planId_number: { planId, number } },
      create: { planId, number, ...fields },
      update: fields,
    });
  }
  return { projects: data.projects.length - continued, continued };
}

/** The id of the project `continues` names: its home plan's key, or its key in a plan it already continued in. That plan must start earlier. */
async function continuedProject(prisma: PrismaClient, data: PlanData, projectKey: string, continues: { planId: string; planKey: string }): Promise<string> {
  const where = `projects.csv ${projectKey}: continues ${continues.planId}/${continues.planKey}`;
  const earlierPlan = await prisma.plan.findUnique({ where: { id: continues.planId }, select: { periodStart: true } });
  if (!earlierPlan) throw new Error(`${where}: no plan ${continues.planId} is loaded`);
  if (earlierPlan.periodStart >= data.plan.periodStart) throw new Error(`${where}: that plan does not start before ${data.plan.periodStart}`);
  const home = await prisma.project.findUnique({ where: { planId_planKey: continues }, select: { id: true } });
  const carried = home ? null : await prisma.planContinuation.findUnique({ where: { planId_planKey: continues }, select: { projectId: true } });
  const id = home?.id ?? carried?.projectId;
  if (!id) throw new Error(`${where}: no such project`);
  return id;
}
