// Bulk import from the Excel 调度表 (issue 9): upload → preview → confirm. The uploaded bytes are
// kept in ImportBatch, bound to the uploader; confirm re-reads and re-plans them inside one
// transaction and refuses when the plan moved since the preview, so nothing the client sends
// back is trusted and everything is written, with its audit events, or nothing is.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import type { ImportOrigin } from "@/lib/audit/events";
import { appendAuditEvents, type AnyAuditEventInput } from "@/lib/audit/log";
import { ForbiddenError, IMPORT_FILES, NotFoundError } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { cleanFileName } from "@/lib/domain/attachments";
import { enqueueLightsRefresh } from "@/lib/jobs/enqueue";
import { currentPeriod, periodOf, periodStart } from "@/lib/returns/rules";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ImportKindName, ListName } from "@/lib/imports/layouts";
import type { CellError } from "@/lib/imports/plan-common";
import { matchKeys } from "@/lib/imports/plan-common";
import { importConfirmInput } from "@/lib/imports/schema";
import { buildErrorWorkbook, errorWorkbookName, type Translate } from "@/lib/imports/error-workbook";
import { ImportFileError, readImportFile, type FileProblem, type ParsedFile, type ReadLimits } from "@/lib/imports/read-file";
import { buildLists, lookups, type ReferenceLists, type ReferenceRows } from "@/lib/imports/reference";
import { PROJECT_FIELDS, planRegistryImport, type ExistingProject, type ProgrammeRef, type ProjectValues, type RegistryPlan } from "@/lib/imports/registry-plan";
import { planReturnsImport, type ExistingReturn, type ReturnsActor, type ReturnsPlan, type ReturnsProject } from "@/lib/imports/returns-plan";
import { approvalOfNewProject, projectReach, projectWhere, type ProjectApproval } from "@/lib/policy";
import { chinaDay, nextDueMonth } from "@/lib/domain/reporting-calendar";
import { registryTemplateRows, returnsTemplateRows, type PrefilledRows } from "@/lib/imports/prefill";
import { decideReturnInTx, writeReturnInTx } from "@/lib/returns/commands";
import { figureValues } from "@/lib/returns/queries";

type Db = Prisma.TransactionClient | typeof prisma;

const IMPORT_PERMISSIONS = IMPORT_FILES;

/** How many changed rows and errors a preview carries to the page (the counts are always complete). */
const PREVIEW_ROWS = 500;
const PREVIEW_ERRORS = 2000;
/** A 10,000-row file takes a few seconds; the default 10–15 s transaction limit is too short. */
const IMPORT_TRANSACTION = { timeout: 300_000, maxWait: 30_000 };

export function importLimits(): ReadLimits {
  return { maxBytes: Math.round(env.IMPORT_MAX_MB * 1024 * 1024), maxRows: env.IMPORT_MAX_ROWS, maxInflatedBytes: Math.round(env.IMPORT_MAX_INFLATED_MB * 1024 * 1024) };
}

export interface PreviewRow {
  row: number;
  action: "create" | "update" | "unchanged" | "submit" | "approve";
  name: string;
  period?: string;
  changes: { field: string; from: string | null; to: string | null }[];
}

export interface ImportSummary {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  submit: number;
  approve: number;
  errorRows: number;
  errors: number;
  /** Returns rows with every figure blank, left out (a pre-filled template's unfilled months). */
  skipped: number;
}

/** A coded item's name in both languages (the page picks one: i18n/format.ts localName). */
export interface LocalName {
  nameZh: string;
  nameEn: string;
}

interface CodeNames {
  sources: Record<string, LocalName>;
  sectors: Record<string, LocalName>;
}

export interface ImportPreview {
  batchId: string | null;
  /** A refused upload kept for its uploader's error workbook (GET /api/import/errors/[id]); null otherwise. */
  errorBatchId?: string | null;
  kind: ImportKindName;
  fileName: string;
  sha256: string;
  format: "xlsx" | "csv";
  encoding?: string;
  sheet: string;
  summary: ImportSummary;
  rows: PreviewRow[];
  errors: CellError[];
  /** Funding source and sector code → names, so the change list shows names, never codes. */
  sources: Record<string, LocalName>;
  sectors: Record<string, LocalName>;
  /** Milliseconds per phase (read = type/size/zip checks + parsing, plan = matching + rules, store). */
  timings?: Record<string, number>;
}

export type PreviewResult = { ok: true; preview: ImportPreview } | { ok: false; problem: FileProblem | { code: "kindNotAllowed"; kind: ImportKindName } };

/** The plan changed between preview and confirm (someone edited, or the rules now refuse a row). */
export class ImportChangedError extends Error {
  constructor(public readonly preview: ImportPreview) {
    super("the data changed since the preview");
    this.name = "ImportChangedError";
  }
}

export class ImportExpiredError extends Error {
  constructor() {
    super("the upload is no longer waiting for confirmation");
    this.name = "ImportExpiredError";
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const num = (v: { toString(): string } | null) => (v === null ? null : new Decimal(v.toString()).toString());

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading what a plan needs.

async function referenceData(db: Db): Promise<{ lists: ReferenceLists; lookup: Record<ListName, ReturnType<typeof lookups>[ListName]>; programmes: Map<string, ProgrammeRef & { planId: string }>; names: CodeNames }> {
  const [divisions, programmes, sectors, organizations, fundingSources] = await Promise.all([
    db.adminDivision.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, name: true } }),
    db.programme.findMany({ orderBy: [{ column: { number: "asc" } }, { seq: "asc" }], select: { id: true, key: true, name: true, columnId: true, column: { select: { number: true, planId: true } } } }),
    db.sector.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
    db.organization.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.fundingSource.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
  ]);
  const rows: ReferenceRows = {
    divisions,
    programmes: programmes.map((p) => ({ id: p.id, key: p.key, name: p.name, columnId: p.columnId, columnNumber: p.column.number })),
    sectors,
    organizations,
    fundingSources,
  };
  const lists = buildLists(rows);
  return {
    lists,
    lookup: lookups(lists),
    programmes: new Map(programmes.map((p) => [p.key, { id: p.id, columnId: p.columnId, planId: p.column.planId }])),
    names: {
      sources: Object.fromEntries(fundingSources.map((f) => [f.code, { nameZh: f.nameZh, nameEn: f.nameEn }])),
      sectors: Object.fromEntries(sectors.map((f) => [f.code, { nameZh: f.nameZh, nameEn: f.nameEn }])),
    },
  };
}

/** The reference lists for the templates' drop-downs. */
export async function templateLists(actor: CurrentUser): Promise<ReferenceLists> {
  await assertPermission(actor, ...IMPORT_PERMISSIONS);
  return (await referenceData(prisma)).lists;
}

/** Projects a file may refer to: those with its 项目代码 or its names (any owner; scope is checked per row). */
async function candidateIds(db: Db, codes: string[], names: string[]): Promise<string[]> {
  // Names are joined by hash under COLLATE "C" (byte equality, the same answer): with plain "="
  // PostgreSQL probes the trigram GIN index once per name, which took minutes for 10,000 names.
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text FROM "Project" WHERE "projectCode" = ANY($1::text[])
     UNION
     SELECT p.id::text FROM "Project" p JOIN (SELECT DISTINCT unnest($2::text[]) AS name) n ON p.name COLLATE "C" = n.name`,
    codes, names,
  );
  return rows.map((r) => r.id);
}

/** The registry's view of the candidates, in one SQL statement (Prisma's nested reads of 10,000 projects took seconds). */
async function registryCandidates(db: Db, ids: string[]): Promise<ExistingProject[]> {
  const out: ExistingProject[] = [];
  const text = (v: string | null) => (v === null ? null : new Decimal(v).toString());
  for (const part of chunks(ids, 5000)) {
    const rows = await db.$queryRawUnsafe<{
      id: string; version: number; projectCode: string | null; name: string; ownerOrgId: string | null; approval: ProjectApproval; demoFields: string[];
      projectType: string | null; nature: string | null; lifecycleStage: string; plannedStart: string | null; plannedCompletion: string | null;
      totalInvestment: string | null; plannedInvestment: string | null; sectorCode: string | null;
      counties: string[] | null; annual: Record<string, string> | null; funding: Record<string, string> | null; demoYears: string[] | null;
    }[]>(
      `SELECT p.id::text, p.version, p."projectCode", p.name, p."ownerOrgId"::text AS "ownerOrgId", p.approval::text AS approval, p."demoFields",
              p."projectType"::text AS "projectType", p.nature::text AS nature, p."lifecycleStage"::text AS "lifecycleStage",
              to_char(p."plannedStart", 'YYYY-MM-DD') AS "plannedStart", to_char(p."plannedCompletion", 'YYYY-MM-DD') AS "plannedCompletion",
              p."totalInvestment"::text AS "totalInvestment", p."plannedInvestment"::text AS "plannedInvestment", p."sectorCode",
              (SELECT array_agg(l."divisionCode") FROM "ProjectLocation" l WHERE l."projectId" = p.id) AS counties,
              (SELECT json_object_agg(a.year::text, a.amount::text) FROM "AnnualPlan" a WHERE a."projectId" = p.id) AS annual,
              (SELECT array_agg(a.year::text) FROM "AnnualPlan" a WHERE a."projectId" = p.id AND a."isDemo") AS "demoYears",
              (SELECT json_object_agg(f."sourceCode", f.amount::text) FROM "ProjectFunding" f WHERE f."projectId" = p.id) AS funding
         FROM "Project" p WHERE p.id = ANY($1::uuid[])`,
      part,
    );
    for (const p of rows) {
      out.push({
        id: p.id, version: Number(p.version), projectCode: p.projectCode, name: p.name, ownerOrgId: p.ownerOrgId, approval: p.approval, demoFields: p.demoFields,
        countyCodes: p.counties ?? [],
        values: {
          projectCode: p.projectCode, projectType: p.projectType, nature: p.nature, lifecycleStage: p.lifecycleStage,
          plannedStart: p.plannedStart, plannedCompletion: p.plannedCompletion,
          totalInvestment: text(p.totalInvestment), plannedInvestment: text(p.plannedInvestment), sectorCode: p.sectorCode,
        },
        annualPlans: Object.fromEntries(Object.entries(p.annual ?? {}).map(([k, v]) => [k, text(v)!])),
        demoAnnualPlanYears: p.demoYears ?? [],
        funding: Object.fromEntries(Object.entries(p.funding ?? {}).map(([k, v]) => [k, text(v)!])),
      });
    }
  }
  return out;
}

async function returnsCandidates(db: Db, ids: string[]): Promise<{ projects: ReturnsProject[]; returns: ExistingReturn[] }> {
  const projects: ReturnsProject[] = [];
  const returns: ExistingReturn[] = [];
  for (const part of chunks(ids, 2000)) {
    const rows = await db.project.findMany({
      where: { id: { in: part } },
      select: {
        id: true, projectCode: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, totalInvestment: true,
        locations: { select: { divisionCode: true } }, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } },
      },
    });
    for (const p of rows) {
      projects.push({
        id: p.id, projectCode: p.projectCode, name: p.name, ownerOrgId: p.ownerOrgId, approval: p.approval, reviewDivisionCode: p.reviewDivisionCode, totalInvestment: num(p.totalInvestment),
        countyCodes: p.locations.map((l) => l.divisionCode),
        plannedFunding: Object.fromEntries(p.fundingPlans.map((f) => [f.sourceCode, num(f.amount)!])),
        milestones: p.milestones,
      });
    }
    const existing = await db.monthlyReturn.findMany({ where: { projectId: { in: part } }, include: { funds: true, milestones: true } });
    for (const r of existing) returns.push({ id: r.id, projectId: r.projectId, period: periodOf(r.period), status: r.status, version: r.version, values: figureValues(r) });
  }
  return { projects, returns };
}

type Planned =
  | { kind: "registry"; plan: RegistryPlan; programmes: Map<string, ProgrammeRef & { planId: string }>; names: CodeNames }
  | { kind: "returns"; plan: ReturnsPlan; names: CodeNames; reviewer: boolean };

function returnsActor(actor: CurrentUser): ReturnsActor | null {
  // A reviewer's import approves; an owner unit's submits. Someone holding both files as owner.
  if (projectReach(actor, "fileReturns") !== "none") return { role: "owner", user: actor };
  if (projectReach(actor, "reviewReturns") !== "none") return { role: "reviewer", user: actor };
  return null;
}

function mayImport(actor: CurrentUser, kind: ImportKindName): boolean {
  if (kind === "registry") return projectReach(actor, "edit") !== "none";
  return returnsActor(actor) !== null;
}

async function plan(db: Db, actor: CurrentUser, file: ParsedFile, asOf: Date): Promise<Planned> {
  const ref = await referenceData(db);
  const keys = matchKeys(file, ref.lookup);
  const ids = await candidateIds(db, keys.codes, keys.names);
  if (file.kind === "registry") {
    const existing = await registryCandidates(db, ids);
    const result = planRegistryImport(file, ref.lookup, { ...actor, organizationName: actor.organizationName ?? "" }, existing, ref.programmes);
    return { kind: "registry", plan: result, programmes: ref.programmes, names: ref.names };
  }
  const who = returnsActor(actor)!;
  const { projects, returns } = await returnsCandidates(db, ids);
  return { kind: "returns", plan: planReturnsImport(file, ref.lookup, who, projects, returns, currentPeriod(asOf)), names: ref.names, reviewer: who.role === "reviewer" };
}

/** A digest of what would be written: confirm refuses if it differs from the preview's. */
function planDigest(planned: Planned): string {
  const rows = planned.kind === "registry"
    ? planned.plan.rows.map((r) => [r.row, r.action, r.projectId, r.changes])
    : planned.plan.rows.map((r) => [r.row, r.action, r.projectId, r.period, r.existing, r.changes]);
  return createHash("sha256").update(JSON.stringify({ rows, errors: planned.plan.errors })).digest("hex");
}

function summarize(planned: Planned): ImportSummary {
  const rows = planned.plan.rows as { action: string }[];
  const count = (action: string) => rows.filter((r) => r.action === action).length;
  return {
    rows: rows.length + new Set(planned.plan.errors.map((e) => e.row)).size + (planned.kind === "returns" ? planned.plan.skipped.length : 0),
    create: count("create"), update: count("update"), unchanged: count("unchanged"), submit: count("submit"), approve: count("approve"),
    errorRows: new Set(planned.plan.errors.map((e) => e.row)).size,
    errors: planned.plan.errors.length,
    skipped: planned.kind === "returns" ? planned.plan.skipped.length : 0,
  };
}

function previewOf(batchId: string | null, fileName: string, hash: string, file: ParsedFile, planned: Planned): ImportPreview {
  const changed = (planned.plan.rows as { action: string }[]).filter((r) => r.action !== "unchanged");
  const rows: PreviewRow[] = (planned.kind === "registry" ? planned.plan.rows : planned.plan.rows)
    .filter((r) => r.action !== "unchanged")
    .slice(0, PREVIEW_ROWS)
    .map((r) => ({
      row: r.row,
      action: r.action,
      name: r.name,
      period: "period" in r ? r.period : undefined,
      changes: Object.entries(r.changes).map(([field, c]) => ({ field, from: c.from, to: c.to })),
    }));
  void changed;
  return {
    batchId, kind: file.kind, fileName, sha256: hash, format: file.format, encoding: file.encoding, sheet: file.sheet,
    summary: summarize(planned), rows, errors: planned.plan.errors.slice(0, PREVIEW_ERRORS), ...planned.names,
  };
}

// ---------------------------------------------------------------------------------------------
// Preview and confirm.

/** Reads, checks and plans an uploaded file; keeps it for confirmation when it has no errors. */
export async function previewImport(actor: CurrentUser, upload: { name: string; bytes: Uint8Array }, asOf = new Date(), limits = importLimits()): Promise<PreviewResult> {
  await assertPermission(actor, ...IMPORT_PERMISSIONS);
  let file: ParsedFile;
  const clock = stopwatch();
  try {
    file = await readImportFile(upload.name, upload.bytes, limits);
    clock.lap("read");
  } catch (error) {
    if (error instanceof ImportFileError) return { ok: false, problem: error.problem };
    throw error;
  }
  if (!mayImport(actor, file.kind)) return { ok: false, problem: { code: "kindNotAllowed", kind: file.kind } };
  const hash = sha256(upload.bytes);
  const planned = await plan(prisma, actor, file, asOf);
  clock.lap("plan");
  const summary = summarize(planned);
  const fileName = cleanFileName(upload.name);
  // One pending upload per user: an older one is dropped with its bytes, and so is the file an
  // earlier refusal kept for its error workbook.
  await prisma.importBatch.updateMany({ where: { userId: actor.id, status: "PREVIEWED" }, data: { status: "DISCARDED", content: null } });
  await prisma.importBatch.updateMany({ where: { userId: actor.id, status: "DISCARDED", NOT: { content: null } }, data: { content: null } });
  let batchId: string | null = null;
  let errorBatchId: string | null = null;
  if (summary.errors > 0) {
    // Refused: kept (never confirmable: DISCARDED) only so that its uploader can download the
    // uploaded sheet with the errors beside their cells.
    const refused = await prisma.importBatch.create({
      data: {
        userId: actor.id, kind: file.kind === "registry" ? "REGISTRY" : "RETURNS", status: "DISCARDED", fileName, sha256: hash, size: upload.bytes.byteLength,
        content: Buffer.from(upload.bytes), summary: summary as unknown as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    errorBatchId = refused.id;
  }
  if (summary.errors === 0 && summary.create + summary.update + summary.submit + summary.approve > 0) {
    const batch = await prisma.importBatch.create({
      data: {
        userId: actor.id, kind: file.kind === "registry" ? "REGISTRY" : "RETURNS", fileName, sha256: hash, size: upload.bytes.byteLength,
        content: Buffer.from(upload.bytes), planDigest: planDigest(planned), summary: summary as unknown as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    batchId = batch.id;
  }
  clock.lap("store");
  return { ok: true, preview: { ...previewOf(batchId, fileName, hash, file, planned), errorBatchId, timings: clock.laps } };
}

export interface ImportResult {
  batchId: string;
  kind: ImportKindName;
  summary: ImportSummary;
  timings?: Record<string, number>;
}

function stopwatch() {
  let last = performance.now();
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name: string) {
      const now = performance.now();
      laps[name] = Math.round(now - last);
      last = now;
    },
  };
}

/** Writes a previewed upload: all rows and their audit events in one transaction, or nothing. */
export async function confirmImport(actor: CurrentUser, batchId: string, ip: string, asOf = new Date()): Promise<ImportResult> {
  await assertPermission(actor, ...IMPORT_PERMISSIONS);
  const batch = await prisma.importBatch.findFirst({ where: { id: batchId, userId: actor.id } });
  if (!batch) throw new NotFoundError("ImportBatch");
  const expired = asOf.getTime() - batch.createdAt.getTime() > env.IMPORT_PREVIEW_TTL_MINUTES * 60_000;
  if (batch.status !== "PREVIEWED" || !batch.content || expired) throw new ImportExpiredError();
  const bytes = new Uint8Array(batch.content);
  if (sha256(bytes) !== batch.sha256) throw new ImportExpiredError();
  const clock = stopwatch();
  const file = await readImportFile(batch.fileName, bytes, { ...importLimits(), maxBytes: Number.MAX_SAFE_INTEGER });
  clock.lap("read");
  if (!mayImport(actor, file.kind)) throw new ForbiddenError(file.kind === "registry" ? "project:update:own-org" : "return:submit:own-org|return:approve:county");
  const audit: ImportOrigin = { source: "import", fileName: batch.fileName, sha256: batch.sha256, importBatchId: batch.id };

  return prisma.$transaction(async (tx) => {
    // Claim the batch first: a second confirm (double click, replay) finds nothing to claim.
    const claimed = await tx.importBatch.updateMany({ where: { id: batch.id, status: "PREVIEWED" }, data: { status: "IMPORTED", importedAt: new Date(), content: null } });
    if (claimed.count === 0) throw new ImportExpiredError();
    const planned = await plan(tx, actor, file, asOf);
    clock.lap("plan");
    if (planned.plan.errors.length > 0 || planDigest(planned) !== batch.planDigest) {
      throw new ImportChangedError(previewOf(null, batch.fileName, batch.sha256, file, planned));
    }
    if (planned.kind === "registry") await applyRegistry(tx, actor, planned, ip, audit);
    else await applyReturns(tx, actor, planned, ip, audit);
    // The rows' lights were marked stale by the triggers; one job recomputes them after the commit (docs/decisions/0032).
    await enqueueLightsRefresh(tx);
    clock.lap("write");
    const summary = summarize(planned);
    await tx.importBatch.update({ where: { id: batch.id }, data: { summary: summary as unknown as Prisma.InputJsonValue } });
    await appendAuditEvents(tx, [{
      actorId: actor.id, actorName: actor.username, action: "import.confirm", entityType: "ImportBatch", entityId: batch.id, ip,
      details: { ...audit, kind: file.kind, format: file.format, sheet: file.sheet, summary: { ...summary } },
    }]);
    clock.lap("audit");
    return { batchId: batch.id, kind: file.kind, summary, timings: clock.laps };
  }, IMPORT_TRANSACTION);
}

/**
 * The rows of the user's "下载我的项目" template of `kind` (lib/imports/prefill.ts): the registry with
 * the projects it may edit; returns with the projects it files (or, a reviewer, reviews) for the
 * reporting calendar's month due, the same month my-work names.
 */
export async function myTemplateRows(actor: CurrentUser, kind: ImportKindName, lists: ReferenceLists, asOf = new Date()): Promise<PrefilledRows> {
  await assertPermission(actor, ...IMPORT_PERMISSIONS);
  if (kind === "registry") {
    const scope = projectWhere(actor, "edit");
    if (!scope) return { rows: [] };
    const projects = await prisma.project.findMany({
      where: scope,
      orderBy: [{ planKey: "asc" }, { name: "asc" }],
      select: {
        projectCode: true, name: true, ownerOrgId: true, projectType: true, nature: true, lifecycleStage: true, targetStage2025: true,
        plannedStart: true, plannedCompletion: true, totalInvestment: true, plannedInvestment: true, sectorCode: true,
        programme: { select: { key: true } },
        locations: { select: { divisionCode: true }, orderBy: { divisionCode: "asc" } },
        annualPlans: { select: { year: true, amount: true } },
        fundingPlans: { select: { sourceCode: true, amount: true } },
      },
    });
    return { rows: registryTemplateRows(projects, lists, chinaDay(asOf).getUTCFullYear()) };
  }
  const period = nextDueMonth(asOf, env.RETURN_DUE_DAY);
  const who = returnsActor(actor);
  const scope = who ? projectWhere(actor, who.role === "owner" ? "fileReturns" : "reviewReturns") : null;
  if (!who || !scope) return { rows: [], period };
  const projects = await prisma.project.findMany({
    where: { AND: [scope, { OR: [{ lifecycleStage: "CONSTRUCTION" }, { monthlyReturns: { some: { period: periodStart(period) } } }] }] },
    orderBy: [{ planKey: "asc" }, { name: "asc" }],
    select: {
      projectCode: true, name: true, lifecycleStage: true, plannedStart: true, createdAt: true,
      locations: { select: { divisionCode: true }, orderBy: { divisionCode: "asc" } },
      milestones: { where: { kind: "START" }, select: { kind: true, actualDate: true } },
      monthlyReturns: { where: { period: periodStart(period) }, include: { funds: true, milestones: true } },
    },
  });
  const rows = returnsTemplateRows(
    projects.map(({ monthlyReturns: [r], ...p }) => ({ ...p, monthReturn: r ? { status: r.status, values: figureValues(r) } : null })),
    lists, period, who.role,
  );
  return { rows, period };
}

/**
 * The error workbook of the user's refused upload (lib/imports/error-workbook.ts): only its uploader
 * gets it, while the upload is kept (until their next upload or IMPORT_PREVIEW_TTL_MINUTES). The
 * file is planned again, so the errors are those of now. Anything else is "not found".
 */
export async function importErrorWorkbook(actor: CurrentUser, batchId: string, translate: Translate, asOf = new Date()): Promise<{ name: string; ascii: string; body: Buffer }> {
  await assertPermission(actor, ...IMPORT_PERMISSIONS);
  if (!importConfirmInput.safeParse({ batchId }).success) throw new NotFoundError("ImportBatch");
  const batch = await prisma.importBatch.findFirst({ where: { id: batchId, userId: actor.id, status: "DISCARDED", NOT: { content: null } } });
  if (!batch?.content || asOf.getTime() - batch.createdAt.getTime() > env.IMPORT_PREVIEW_TTL_MINUTES * 60_000) throw new NotFoundError("ImportBatch");
  const bytes = new Uint8Array(batch.content);
  if (sha256(bytes) !== batch.sha256) throw new NotFoundError("ImportBatch");
  const file = await readImportFile(batch.fileName, bytes, { ...importLimits(), maxBytes: Number.MAX_SAFE_INTEGER });
  if (!mayImport(actor, file.kind)) throw new NotFoundError("ImportBatch");
  const planned = await plan(prisma, actor, file, asOf);
  const body = await buildErrorWorkbook(file, planned.plan.errors, translate);
  return { ...errorWorkbookName(batch.fileName), body };
}

/** Drops a pending upload (the user chose not to import it). */
export async function discardImport(actor: CurrentUser, batchId: string): Promise<void> {
  await assertPermission(actor, ...IMPORT_PERMISSIONS);
  const discarded = await prisma.importBatch.updateMany({ where: { id: batchId, userId: actor.id, status: "PREVIEWED" }, data: { status: "DISCARDED", content: null } });
  if (discarded.count === 1) return;
  // Discarding twice is fine; anything else (another user's batch, an unknown id, a batch already
  // imported) is answered as if the batch did not exist, so ids cannot be probed.
  const own = await prisma.importBatch.findFirst({ where: { id: batchId, userId: actor.id, status: "DISCARDED" }, select: { id: true } });
  if (!own) throw new NotFoundError("ImportBatch");
}

/** The user's recent imports, newest first. */
export async function listMyImports(actor: CurrentUser, take = 10) {
  await assertPermission(actor, ...IMPORT_PERMISSIONS);
  return prisma.importBatch.findMany({
    where: { userId: actor.id, status: "IMPORTED" },
    orderBy: { importedAt: "desc" },
    take,
    select: { id: true, kind: true, fileName: true, sha256: true, summary: true, importedAt: true },
  });
}

// ---------------------------------------------------------------------------------------------
// Writing.

type Tx = Prisma.TransactionClient;

/** A project changed between the plan and its update inside the transaction (a concurrent edit). */
export class ImportConflictError extends Error {}

// Bulk writes are single INSERT/UPDATE statements over parallel arrays (unnest): Prisma's
// createMany and per-row updates cost about 1–2 ms a row, too slow for a 10,000-row file.
const PROJECT_COLUMNS = `"projectCode" = x.code, "projectType" = x.ptype::"ProjectType", nature = x.nature::"ProjectNature",
  "lifecycleStage" = x.stage::"LifecycleStage", "plannedStart" = x.pstart::date, "plannedCompletion" = x.pend::date,
  "totalInvestment" = x.total::numeric, "plannedInvestment" = x.planned::numeric, "sectorCode" = x.sector`;

function valueArrays(values: ProjectValues[]) {
  const col = (f: keyof ProjectValues) => values.map((v) => v[f]);
  return [col("projectCode"), col("projectType"), col("nature"), col("lifecycleStage"), col("plannedStart"), col("plannedCompletion"), col("totalInvestment"), col("plannedInvestment"), col("sectorCode")];
}

async function upsertAnnualPlans(tx: Tx, rows: { projectId: string; year: number; amount: string }[]) {
  for (const part of chunks(rows, 5000)) {
    await tx.$executeRawUnsafe(
      // The first real amount is also the original baseline (docs/decisions/0030); the planner
      // refuses changing a real one, so an update here replaces demo data.
      `INSERT INTO "AnnualPlan" ("projectId", year, amount, "originalAmount", "isDemo")
       SELECT x.id::uuid, x.year::int, x.amount::numeric, x.amount::numeric, false FROM unnest($1::text[], $2::text[], $3::text[]) AS x(id, year, amount)
       ON CONFLICT ("projectId", year) DO UPDATE SET amount = EXCLUDED.amount, "originalAmount" = COALESCE("AnnualPlan"."originalAmount", EXCLUDED.amount), "isDemo" = false`,
      part.map((r) => r.projectId), part.map((r) => String(r.year)), part.map((r) => r.amount),
    );
  }
}

async function upsertFunding(tx: Tx, rows: { projectId: string; sourceCode: string; amount: string }[]) {
  for (const part of chunks(rows, 5000)) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "ProjectFunding" ("projectId", "sourceCode", amount, "isDemo")
       SELECT x.id::uuid, x.source, x.amount::numeric, false FROM unnest($1::text[], $2::text[], $3::text[]) AS x(id, source, amount)
       ON CONFLICT ("projectId", "sourceCode") DO UPDATE SET amount = EXCLUDED.amount, "isDemo" = false`,
      part.map((r) => r.projectId), part.map((r) => r.sourceCode), part.map((r) => r.amount),
    );
  }
}

async function applyRegistry(tx: Tx, actor: CurrentUser, planned: Extract<Planned, { kind: "registry" }>, ip: string, audit: ImportOrigin) {
  const events: AnyAuditEventInput[] = [];
  const creates = planned.plan.rows.filter((r) => r.action === "create");
  const newIds = new Map(creates.map((r) => [r.row, randomUUID()]));
  // A new project waits for its review office (待审核) unless the importer could accept it
  // themselves (docs/decisions/0031).
  const approvalOf = (r: (typeof creates)[number]) => approvalOfNewProject(actor, { reviewDivisionCode: r.create!.reviewDivisionCode });
  for (const part of chunks(creates, 2000)) {
    const programme = (r: (typeof part)[number]) => planned.programmes.get(r.create!.programmeKey)!;
    await tx.$executeRawUnsafe(
      `INSERT INTO "Project" (id, "planId", name, "columnId", "programmeId", "ownerOrgId", "reviewDivisionCode", "targetStage2025", "sourcePhrase",
                             "projectCode", "projectType", nature, "lifecycleStage", "plannedStart", "plannedCompletion", "totalInvestment", "plannedInvestment", "sectorCode", approval, "updatedAt", "originalTotalInvestment")
       SELECT x.id::uuid, x.plan, x.name, x.col::uuid, x.prog::uuid, $15::uuid, x.review, x.target::"TargetStage", '',
              x.code, x.ptype::"ProjectType", x.nature::"ProjectNature", x.stage::"LifecycleStage", x.pstart::date, x.pend::date, x.total::numeric, x.planned::numeric, x.sector,
              x.approval::"ProjectApproval", now(), x.total::numeric
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $16::text[], $17::text[], $18::text[])
           AS x(id, plan, name, col, prog, review, target, code, ptype, nature, stage, pstart, pend, total, planned, sector, approval)`,
      part.map((r) => newIds.get(r.row)!),
      part.map((r) => programme(r).planId),
      part.map((r) => r.create!.name),
      part.map((r) => programme(r).columnId),
      part.map((r) => programme(r).id),
      part.map((r) => r.create!.reviewDivisionCode),
      part.map((r) => r.create!.targetStage2025),
      ...valueArrays(part.map((r) => r.create!.values)).slice(0, 7),
      actor.organizationId,
      ...valueArrays(part.map((r) => r.create!.values)).slice(7),
      part.map(approvalOf),
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO "ProjectLocation" ("projectId", "divisionCode") SELECT x.id::uuid, x.county FROM unnest($1::text[], $2::text[]) AS x(id, county)`,
      part.map((r) => newIds.get(r.row)!), part.map((r) => r.create!.countyCode),
    );
  }
  const annual: { projectId: string; year: number; amount: string }[] = [];
  const funding: { projectId: string; sourceCode: string; amount: string }[] = [];
  for (const r of creates) {
    const id = newIds.get(r.row)!;
    if (r.annualPlan) annual.push({ projectId: id, ...r.annualPlan });
    for (const f of r.funding) funding.push({ projectId: id, ...f });
    const fields = PROJECT_FIELDS.filter((f) => r.create!.values[f] !== null);
    events.push({
      actorId: actor.id, actorName: actor.username, action: "project.create", entityType: "Project", entityId: id, ip,
      details: {
        ...audit, row: r.row, name: r.create!.name, county: r.create!.countyCode, programme: r.create!.programmeKey, targetStage2025: r.create!.targetStage2025,
        fields, before: {}, after: Object.fromEntries(fields.map((f) => [f, r.create!.values[f]])),
        annualPlans: r.annualPlan ? { [r.annualPlan.year]: r.annualPlan.amount } : {}, funding: Object.fromEntries(r.funding.map((f) => [f.sourceCode, f.amount])),
        approval: approvalOf(r),
      },
    });
  }

  const updates = planned.plan.rows.filter((x) => x.action === "update");
  const fieldUpdates = updates.filter((r) => r.update!.changedFields.length > 0);
  for (const part of chunks(fieldUpdates, 2000)) {
    const updated = await tx.$executeRawUnsafe(
      `UPDATE "Project" p SET ${PROJECT_COLUMNS},
              "demoFields" = ARRAY(SELECT jsonb_array_elements_text(x.demo::jsonb)), version = p.version + 1, "updatedAt" = now(),
              -- A first real 总投资 is also the original baseline (docs/decisions/0030).
              "originalTotalInvestment" = CASE WHEN p."originalTotalInvestment" IS NULL AND NOT (x.demo::jsonb ? 'totalInvestment') THEN x.total::numeric ELSE p."originalTotalInvestment" END
         FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           AS x(id, version, code, ptype, nature, stage, pstart, pend, total, planned, sector, demo)
        WHERE p.id = x.id::uuid AND p.version = x.version`,
      part.map((r) => r.projectId!),
      part.map((r) => r.update!.version),
      ...valueArrays(part.map((r) => r.update!.values)),
      // A value the owner unit imports is real data: it no longer counts as demo.
      part.map((r) => JSON.stringify(r.update!.demoFields.filter((f) => !r.update!.changedFields.includes(f as never)))),
    );
    if (updated !== part.length) throw new ImportConflictError("a project changed during the import");
  }
  for (const r of updates) {
    const u = r.update!;
    if (r.annualPlan) annual.push({ projectId: r.projectId!, ...r.annualPlan });
    for (const f of r.funding) funding.push({ projectId: r.projectId!, ...f });
    const other = Object.entries(r.changes).filter(([k]) => k.startsWith("annualPlan.") || k.startsWith("funding."));
    events.push({
      actorId: actor.id, actorName: actor.username, action: "project.update", entityType: "Project", entityId: r.projectId!, ip,
      details: {
        ...audit, row: r.row, fields: u.changedFields,
        before: Object.fromEntries(u.changedFields.map((f) => [f, r.changes[f]!.from])),
        after: Object.fromEntries(u.changedFields.map((f) => [f, r.changes[f]!.to])),
        ...(u.changedFields.length ? { fromVersion: u.version } : {}),
        otherChanges: Object.fromEntries(other),
      },
    });
  }
  await upsertAnnualPlans(tx, annual);
  await upsertFunding(tx, funding);
  await appendAuditEvents(tx, events);
}

async function applyReturns(tx: Tx, actor: CurrentUser, planned: Extract<Planned, { kind: "returns" }>, ip: string, audit: ImportOrigin) {
  // Each project's months in order, so every month is checked against those before it, exactly
  // as the plan did.
  const rows = [...planned.plan.rows].filter((r) => r.action !== "unchanged").sort((a, b) => (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : a.period < b.period ? -1 : 1));
  const projectIds = [...new Set(rows.map((r) => r.projectId))];
  const projects = new Map(
    (await tx.project.findMany({
      where: { id: { in: projectIds } },
      select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, totalInvestment: true, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } } },
    })).map((p) => [p.id, p]),
  );
  for (const r of rows) {
    const project = projects.get(r.projectId)!;
    let returnId = r.existing?.id ?? null;
    let version = r.existing?.version ?? 0;
    if (r.write) {
      const written = await writeReturnInTx(tx, { actor, project, period: r.period, version, intent: "submit", values: r.values, ip, audit: { ...audit, row: r.row } });
      returnId = written.returnId;
      version += 1;
      if (!r.existing) version = 1;
    }
    if (r.action === "approve") {
      await decideReturnInTx(tx, { actor, returnId: returnId!, version, decision: "approve", reason: null, ip, audit: { ...audit, row: r.row } });
    }
    // Milestones approved just now count as on record for the project's later months.
    if (r.action === "approve") {
      for (const [kind, date] of Object.entries(r.values.milestones)) {
        const m = project.milestones.find((x) => x.kind === kind);
        if (m) m.actualDate = new Date(`${date}T00:00:00Z`);
        else project.milestones.push({ kind: kind as never, actualDate: new Date(`${date}T00:00:00Z`) });
      }
    }
  }
  void periodStart;
}
