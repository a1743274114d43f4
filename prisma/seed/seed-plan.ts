// Writes the plan, its columns, programmes, projects and indicators, plus reference data.
// Idempotent: every row is upserted on its natural key, so running it twice changes nothing.
import type { PrismaClient } from "../../lib/generated/prisma/client";
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

export async function seedPlan(prisma: PrismaClient, data: PlanData = loadPlanData()): Promise<{ projects: number }> {
  await seedReferenceData(prisma);
  const planData = {
    title: PLAN.title,
    periodStart: PLAN.periodStart,
    periodEnd: PLAN.periodEnd,
    keyInvestmentTarget: PLAN.keyInvestmentTargetWan,
    keyInvestmentTargetText: PLAN.keyInvestmentTargetText,
    sourceFile: PLAN.sourceFile,
  };
  await prisma.plan.upsert({ where: { id: PLAN.id }, create: { id: PLAN.id, ...planData }, update: planData });

  const columnIds = new Map<number, string>();
  for (const column of data.columns) {
    const fields = { title: column.title, hasProjects: column.has_projects };
    const row = await prisma.planColumn.upsert({
      where: { planId_number: { planId: PLAN.id, number: column.column_no } },
      create: { planId: PLAN.id, number: column.column_no, ...fields },
      update: fields,
    });
    columnIds.set(column.column_no, row.id);
  }

  const programmeIds = new Map<string, string>();
  for (const programme of data.programmes) {
    const columnId = columnIds.get(programme.column_no);
    if (!columnId) throw new Error(`programme ${programme.programme_key}: no column ${programme.column_no}`);
    const fields = { columnId, seq: programme.seq, name: programme.name };
    const row = await prisma.programme.upsert({
      where: { key: programme.programme_key },
      create: { key: programme.programme_key, ...fields },
      update: fields,
    });
    programmeIds.set(programme.programme_key, row.id);
  }

  for (const project of data.projects) {
    const columnId = columnIds.get(project.column_no);
    const programmeId = programmeIds.get(project.programme_key);
    if (!columnId || !programmeId) throw new Error(`project ${project.project_key}: unknown column or programme`);
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
    };
    const reviewDivisionCode = reviewDivisionOf(project.counties.length ? project.counties : [CITY_DIVISION]);
    // Upsert by the stable plan key: an existing project keeps its id and everything entered
    // against it (returns, milestones, audit); a project the data newly names is added.
    const row = await prisma.project.upsert({
      where: { planKey: project.project_key },
      create: { planKey: project.project_key, planId: PLAN.id, countyPending: project.county_pending, reviewDivisionCode, ...fields },
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
      where: { planId_number: { planId: PLAN.id, number } },
      create: { planId: PLAN.id, number, ...fields },
      update: fields,
    });
  }
  return { projects: data.projects.length };
}
