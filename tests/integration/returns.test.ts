// Monthly returns on a real, seeded database: the whole workflow with its audit events, the
// locking of approved months, corrections, the conflict between two editors, evidence checked by
// content and downloadable only in scope, and the lists (review queue, late returns, my work).
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditActionsReadBack } from "@/tests/helpers/audit-read-back";
import type { CurrentUser } from "@/lib/auth/session";
import { userActor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let returns: typeof import("@/lib/returns/commands") & typeof import("@/lib/returns/queries") & typeof import("@/lib/returns/attachments") & typeof import("@/lib/notifications/inbox");
let ForbiddenError: typeof import("@/lib/auth/permissions").ForbiddenError;
let ValidationError: typeof import("@/lib/data/users").ValidationError;
const attachmentDir = mkdtempSync(path.join(tmpdir(), "zunyi-attachments-"));

// A 1×1 PNG and a PDF header: real content, so the type is recognised from the bytes.
const PNG = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
const NOT_A_PDF = new TextEncoder().encode("MZ this is really an executable pretending to be a pdf");

let owner: CurrentUser;
let viewer: CurrentUser;
let reviewer: CurrentUser;
let cityReviewer: CurrentUser;
let project: { id: string; completedInvestment: string; fundingSource: string };
const PERIOD = "2026-11";
const AS_OF = new Date("2026-11-29T04:00:00Z");

function form(over: Record<string, unknown> = {}) {
  return {
    projectId: project.id, period: PERIOD, version: 0, intent: "save" as const,
    completedInvestment: "120.5", payments: "100", progressPercent: "99", progressText: "主体施工",
    funds: { [project.fundingSource]: "10" }, milestones: {}, overrunNote: null, fundsNote: "按进度拨付", progressNote: null,
    problems: [], resolveProblems: [], ...over,
  };
}

async function current() {
  return prisma.monthlyReturn.findUniqueOrThrow({ where: { projectId_period: { projectId: project.id, period: new Date(`${PERIOD}-01T00:00:00Z`) } }, include: { funds: true, attachments: true } });
}

async function auditFor(returnId: string) {
  return prisma.auditEvent.findMany({ where: { entityType: "MonthlyReturn", entityId: returnId }, orderBy: { seq: "asc" } });
}

beforeAll(async () => {
  process.env.ATTACHMENT_DIR = attachmentDir;
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  returns = { ...(await import("@/lib/returns/commands")), ...(await import("@/lib/returns/queries")), ...(await import("@/lib/returns/attachments")), ...(await import("@/lib/notifications/inbox")) };
  ({ ForbiddenError } = await import("@/lib/auth/permissions"));
  ({ ValidationError } = await import("@/lib/data/users"));
  owner = await userActor("owner.editor");
  viewer = await userActor("owner.viewer");
  reviewer = await userActor("reviewer");
  cityReviewer = await userActor("city.reviewer");
  // A 仁怀 project under construction with room below its total investment.
  const rows = await prisma.$queryRaw<{ id: string; completed: string; source: string }[]>`
    SELECT p.id, p."completedInvestment"::text AS completed, min(f."sourceCode") AS source
      FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" JOIN "ProjectFunding" f ON f."projectId" = p.id
     WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION' AND p."reviewDivisionCode" = '520382'
       AND p."totalInvestment" > p."completedInvestment" + 10000
     GROUP BY p.id ORDER BY p."planKey" LIMIT 1`;
  expect(rows.length).toBe(1);
  project = { id: rows[0]!.id, completedInvestment: rows[0]!.completed, fundingSource: rows[0]!.source };
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("the monthly return workflow", () => {
  it("saves a draft and audits every figure in the same transaction", async () => {
    const result = await returns.saveReturn(owner, form(), [], "127.0.0.1", AS_OF);
    expect(result.status).toBe("DRAFT");
    const row = await current();
    expect(row.version).toBe(1);
    expect(row.completedInvestment.toString()).toBe("120.5");
    const events = await auditFor(row.id);
    expect(events.map((e) => e.action)).toEqual(["return.save"]);
    const changes = (events[0]!.details as { changes: Record<string, { from: string | null; to: string }> }).changes;
    expect(changes.completedInvestment).toEqual({ from: null, to: "120.5" });
    expect(changes[`funds.${project.fundingSource}`]).toEqual({ from: null, to: "10" });
  });

  it("refuses to submit a falling progress without an explanation, naming the field, and writes nothing", async () => {
    const before = await current();
    await expect(returns.saveReturn(owner, form({ version: 1, intent: "submit", progressPercent: "1" }), [], "127.0.0.1", AS_OF)).rejects.toSatisfy(
      (e) => e instanceof ValidationError && e.fieldErrors.progressNote?.[0] === "validation.return.noteRequired",
    );
    const after = await current();
    expect(after.version).toBe(before.version);
    expect(after.status).toBe("DRAFT");
    expect((await auditFor(after.id)).length).toBe(1);
  });

  it("refuses a file whose content is not an accepted type, whatever its name, and keeps nothing", async () => {
    await expect(returns.saveReturn(owner, form({ version: 1 }), [{ name: "证明.pdf", bytes: NOT_A_PDF }], "127.0.0.1", AS_OF)).rejects.toSatisfy(
      (e) => e instanceof ValidationError && e.fieldErrors.attachments?.[0] === "validation.attachment.type",
    );
    expect((await current()).version).toBe(1);
    expect(readdirSync(attachmentDir).length).toBe(0);
  });

  it("submits with evidence; the file is stored with its SHA-256 and the reviewer's office is notified", async () => {
    const result = await returns.saveReturn(owner, form({ version: 1, intent: "submit" }), [{ name: "../现场照片.png", bytes: PNG }], "127.0.0.1", AS_OF);
    expect(result.status).toBe("SUBMITTED");
    const row = await current();
    expect(row.attachments).toHaveLength(1);
    const attachment = row.attachments[0]!;
    expect(attachment.fileName).toBe("现场照片.png");
    expect(attachment.mimeType).toBe("image/png");
    expect(attachment.sha256).toBe((await import("node:crypto")).createHash("sha256").update(PNG).digest("hex"));
    const submit = (await auditFor(row.id)).at(-1)!;
    expect(submit.action).toBe("return.submit");
    expect((submit.details as { evidence: { sha256: string }[] }).evidence[0]!.sha256).toBe(attachment.sha256);
    const notices = await prisma.notification.findMany({ where: { kind: "RETURN_SUBMITTED", projectId: project.id } });
    expect(notices.map((n) => n.organizationId)).toEqual([reviewer.organizationId]);
    expect((await returns.listReviewQueue(reviewer)).returns.map((r) => r.id)).toContain(row.id);
    expect((await returns.listReviewQueue(cityReviewer)).returns.map((r) => r.id)).not.toContain(row.id);
    // The queue says how long each return has waited, in China calendar days since it was submitted.
    const threeDaysLater = new Date(row.submittedAt!.getTime() + 3 * 86_400_000);
    expect((await returns.listReviewQueue(reviewer, threeDaysLater)).returns.find((r) => r.id === row.id)?.daysWaiting).toBe(3);
    expect((await returns.listReviewQueue(reviewer, row.submittedAt!)).returns.find((r) => r.id === row.id)?.daysWaiting).toBe(0);
  });

  it("lets only readers of the project download the evidence", async () => {
    const { attachments } = await current();
    const id = attachments[0]!.id;
    expect(await returns.openAttachment(owner, id)).not.toBeNull();
    expect(await returns.openAttachment(reviewer, id)).not.toBeNull();
    const outsider = await userActor("city.reviewer");
    expect(await returns.openAttachment(outsider, id)).toBeNull();
    const opened = await returns.openAttachment(await userActor("auditor"), id);
    const bytes = new Uint8Array(await new Response(opened!.body).arrayBuffer());
    expect(Buffer.from(bytes).equals(Buffer.from(PNG))).toBe(true);
  });

  it("keeps the owner out of a submitted return and other reviewers and viewers out of the decision", async () => {
    await expect(returns.saveReturn(owner, form({ version: 2 }), [], "127.0.0.1", AS_OF)).rejects.toBeInstanceOf(returns.ReturnStateError);
    const row = await current();
    await expect(returns.reviewReturn(cityReviewer, { returnId: row.id, version: row.version, decision: "approve", reason: null }, "127.0.0.1")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(returns.reviewReturn(viewer, { returnId: row.id, version: row.version, decision: "approve", reason: null }, "127.0.0.1")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(returns.saveReturn(viewer, form({ version: 2 }), [], "127.0.0.1", AS_OF)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await current()).status).toBe("SUBMITTED");
  });

  it("returns with a reason, then the fixed resubmission is approved and moves the project's figures", async () => {
    let row = await current();
    await returns.reviewReturn(reviewer, { returnId: row.id, version: row.version, decision: "return", reason: "佐证材料不全" }, "127.0.0.1");
    row = await current();
    expect(row.status).toBe("RETURNED");
    expect(row.returnReason).toBe("佐证材料不全");
    expect(await prisma.notification.count({ where: { kind: "RETURN_RETURNED", organizationId: owner.organizationId! } })).toBe(1);
    const work = await returns.myWork(owner, AS_OF);
    expect(work.returned.map((r) => r.id)).toContain(row.id);

    await returns.saveReturn(owner, form({ version: row.version, intent: "submit", completedInvestment: "150", milestones: { MAIN_WORKS_DONE: "2026-11-20" } }), [], "127.0.0.1", AS_OF);
    row = await current();
    expect(row.status).toBe("SUBMITTED");
    await returns.reviewReturn(reviewer, { returnId: row.id, version: row.version, decision: "approve", reason: null }, "127.0.0.1");
    row = await current();
    expect(row.status).toBe("APPROVED");
    expect(row.reviewedById).toBe(reviewer.id);
    const p = await prisma.project.findUniqueOrThrow({ where: { id: project.id }, include: { milestones: { where: { kind: "MAIN_WORKS_DONE" } } } });
    expect(p.completedInvestment.toString()).toBe(new Decimal(project.completedInvestment).plus(150).toString());
    expect(p.milestones[0]!.actualDate!.toISOString().slice(0, 10)).toBe("2026-11-20");
    const sum = await prisma.monthlyReturn.aggregate({ where: { projectId: project.id, status: "APPROVED" }, _sum: { completedInvestment: true } });
    expect(sum._sum.completedInvestment!.toString()).toBe(p.completedInvestment.toString());
    const actions = (await auditFor(row.id)).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("return."))).toEqual(["return.save", "return.submit", "return.return", "return.submit", "return.approve"]);
    expect(actions).toContain("auth.permission.denied"); // the other county's reviewer, recorded
  });

  it("locks the approved month: neither a save nor a second decision changes it", async () => {
    const row = await current();
    await expect(returns.saveReturn(owner, form({ version: row.version }), [], "127.0.0.1", AS_OF)).rejects.toBeInstanceOf(returns.ReturnStateError);
    await expect(returns.reviewReturn(reviewer, { returnId: row.id, version: row.version, decision: "return", reason: "再看看" }, "127.0.0.1")).rejects.toBeInstanceOf(returns.ReturnStateError);
    const after = await current();
    expect(after.version).toBe(row.version);
    expect(after.completedInvestment.toString()).toBe("150");
  });

  it("is locked in the database too: a direct UPDATE of an approved figure is refused", async () => {
    const row = await current();
    await expect(prisma.$executeRaw`UPDATE "MonthlyReturn" SET "completedInvestment" = 1 WHERE id = ${row.id}::uuid`).rejects.toThrow(/APPROVED_RETURN_LOCKED/);
    await expect(prisma.monthlyReturn.update({ where: { id: row.id }, data: { status: "DRAFT" } })).rejects.toThrow(/APPROVED_RETURN_LOCKED/);
    expect((await current()).completedInvestment.toString()).toBe("150");
  });

  it("refuses deleting an approved month, or adding, changing or removing its funds, outside a correction", async () => {
    const row = await current();
    const funds = await prisma.returnFunding.findMany({ where: { returnId: row.id } });
    expect(funds.length).toBeGreaterThan(0);
    const other = await prisma.fundingSource.findFirstOrThrow({ where: { code: { notIn: funds.map((f) => f.sourceCode) } } });
    await expect(prisma.monthlyReturn.delete({ where: { id: row.id } })).rejects.toThrow(/APPROVED_RETURN_LOCKED/);
    await expect(prisma.$executeRaw`DELETE FROM "Project" WHERE id = ${row.projectId}::uuid`).rejects.toThrow(/APPROVED_RETURN_LOCKED/);
    await expect(prisma.returnFunding.update({ where: { returnId_sourceCode: { returnId: row.id, sourceCode: funds[0]!.sourceCode } }, data: { amount: "1" } })).rejects.toThrow(/APPROVED_RETURN_LOCKED/);
    await expect(prisma.returnFunding.delete({ where: { returnId_sourceCode: { returnId: row.id, sourceCode: funds[0]!.sourceCode } } })).rejects.toThrow(/APPROVED_RETURN_LOCKED/);
    await expect(prisma.returnFunding.create({ data: { returnId: row.id, sourceCode: other.code, amount: "1" } })).rejects.toThrow(/APPROVED_RETURN_LOCKED/);
    expect(await prisma.returnFunding.findMany({ where: { returnId: row.id }, orderBy: { sourceCode: "asc" } })).toEqual(
      [...funds].sort((a, b) => a.sourceCode.localeCompare(b.sourceCode)),
    );
    expect((await current()).id).toBe(row.id);
  });

  it("changes an approved month only through an approved correction, keeping both values", async () => {
    const row = await current();
    await expect(returns.requestCorrection(owner, { ...form(), returnId: row.id, completedInvestment: "150", reason: "无变化" }, "127.0.0.1")).rejects.toBeInstanceOf(ValidationError);
    const { correctionId } = await returns.requestCorrection(owner, { ...form(), returnId: row.id, completedInvestment: "140", reason: "统计口径调整" }, "127.0.0.1");
    expect((await current()).completedInvestment.toString()).toBe("150"); // not yet
    await expect(returns.requestCorrection(owner, { ...form(), returnId: row.id, completedInvestment: "130", reason: "again" }, "127.0.0.1")).rejects.toBeInstanceOf(ValidationError);
    await returns.decideCorrection(reviewer, { correctionId, decision: "approve", note: null }, "127.0.0.1");
    const after = await current();
    expect(after.completedInvestment.toString()).toBe("140");
    expect(after.status).toBe("APPROVED");
    const p = await prisma.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(p.completedInvestment.toString()).toBe(new Decimal(project.completedInvestment).plus(140).toString());
    const correction = await prisma.correctionRequest.findUniqueOrThrow({ where: { id: correctionId } });
    expect((correction.previous as { completedInvestment: string }).completedInvestment).toBe("150");
    expect((correction.proposed as { completedInvestment: string }).completedInvestment).toBe("140");
    const last = (await auditFor(row.id)).at(-1)!;
    expect(last.action).toBe("return.correction.approve");
    expect((last.details as { changes: Record<string, unknown> }).changes.completedInvestment).toEqual({ from: "150", to: "140" });
  });
});

describe("figure history", () => {
  it("traces the cumulative completed investment month by month, with submitter, approver, evidence and the correction", async () => {
    const { projectFigureHistory } = await import("@/lib/audit/history");
    const history = await projectFigureHistory(await userActor("auditor"), project.id);
    const completed = history!.figures.find((f) => f.key === "completedInvestment")!.entries;
    const [month, correction] = completed.slice(-2);
    expect(month).toMatchObject({ period: PERIOD, delta: "150", source: "return", actor: owner.displayName, approver: reviewer.displayName });
    expect(month!.evidence.map((e) => e.fileName)).toEqual(["现场照片.png"]);
    expect(correction).toMatchObject({ period: PERIOD, delta: "-10", source: "correction", reason: "统计口径调整", approver: reviewer.displayName });
    const stored = await prisma.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(correction!.value).toBe(stored.completedInvestment.toString());
    // Every step follows from the one before: previous + delta = value.
    for (const e of completed) expect(new Decimal(e.previous!).plus(e.delta!).toString()).toBe(e.value);
    const milestone = history!.figures.find((f) => f.key === "milestones.MAIN_WORKS_DONE")!.entries.at(-1)!;
    expect(milestone).toMatchObject({ value: "2026-11-20", period: PERIOD, approver: "reviewer" });
  });

  it("is out of reach for another organization's users", async () => {
    const { projectFigureHistory } = await import("@/lib/audit/history");
    expect(await projectFigureHistory(cityReviewer, project.id)).toBeNull();
  });
});

describe("audit trail export", () => {
  it("exports a project's trail as .xlsx that reads back row for row, and audits the export", async () => {
    const { exportAuditTrail } = await import("@/lib/audit/export");
    const ExcelJS = (await import("exceljs")).default;
    const auditor = await userActor("auditor");
    const file = await exportAuditTrail(auditor, { format: "xlsx", project: project.id }, "127.0.0.1");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(5).value).toBe("操作");
    const actions = [] as string[];
    sheet.eachRow((row, n) => { if (n > 1) actions.push(String(row.getCell(5).value)); });
    const row = await current();
    const expected = await prisma.auditEvent.findMany({
      where: { OR: [{ entityType: "Project", entityId: project.id }, { entityType: "MonthlyReturn", entityId: { in: (await prisma.monthlyReturn.findMany({ where: { projectId: project.id }, select: { id: true } })).map((r) => r.id) } }, { details: { path: ["projectId"], equals: project.id } }] },
      orderBy: { seq: "asc" },
    });
    expect(actions).toEqual(expected.map((e) => e.action));
    expect(actions).toContain("return.approve");
    const logged = await prisma.auditEvent.findFirstOrThrow({ where: { action: "export.audit" }, orderBy: { seq: "desc" } });
    expect(logged.actorName).toBe("auditor");
    expect((logged.details as { sha256: string; rows: number }).sha256).toBe((await import("node:crypto")).createHash("sha256").update(file.body).digest("hex"));
    expect((logged.details as { rows: number }).rows).toBe(expected.length);
    expect(row.id).toBeTruthy();
  });

  it("writes each event in words: a return edit reads 由 X 改为 Y on the log's page and in the export's 说明 column, beside the raw record", async () => {
    const { exportAuditTrail, auditActionVisibility } = await import("@/lib/audit/export");
    const { listAuditEvents } = await import("@/lib/audit/queries");
    const { auditNameBook } = await import("@/lib/audit/names");
    const { describeAuditEvent } = await import("@/lib/audit/describe");
    const { createTranslator } = await import("next-intl");
    const { uiText } = await import("@/i18n/format");
    const zh = (await import("@/messages/zh-CN.json")).default;
    const en = (await import("@/messages/en.json")).default;
    const ExcelJS = (await import("exceljs")).default;
    const auditor = await userActor("auditor");
    const { name } = await prisma.project.findUniqueOrThrow({ where: { id: project.id }, select: { name: true } });
    const resubmitted = `${name} ${PERIOD} 月报：本月完成投资（万元） 由 120.50 改为 150.00`;

    // The page's data path: the auditor's page of the log, the names it refers to, each event in words.
    const page = await listAuditEvents(auditor, { page: 1, perPage: 200, filters: { project: project.id, action: "return." } });
    const sentences = async (locale: "zh-CN" | "en", viewer: CurrentUser, rows: typeof page.rows) => {
      const t = createTranslator({ locale, messages: locale === "en" ? en : zh }) as unknown as import("@/i18n/format").Translate;
      const context = { t, fmt: uiText(t), names: await auditNameBook(rows, locale), mayRead: auditActionVisibility(viewer) };
      return rows.map((e) => describeAuditEvent(e, context));
    };
    const zhSentences = await sentences("zh-CN", auditor, page.rows);
    expect(zhSentences.some((text) => text.includes(`提交 ${resubmitted}`))).toBe(true);
    expect(zhSentences.some((text) => /由 150\.00 改为 140\.00；理由：统计口径调整/.test(text))).toBe(true);
    expect((await sentences("en", auditor, page.rows)).some((text) => text.includes(`submitted the ${PERIOD} return of ${name}: Invested this month (10k CNY) from 120.50 to 150.00`))).toBe(true);
    // The raw record stays what was stored: the sentence is written on reading, never kept.
    const submit = page.rows.find((e) => e.action === "return.submit" && (e.details as { changes: Record<string, unknown> }).changes.completedInvestment !== undefined && JSON.stringify(e.details).includes('"to":"150"'))!;
    expect((submit.details as { changes: Record<string, unknown> }).changes.completedInvestment).toEqual({ from: "120.5", to: "150" });

    // The export: a 说明 column beside the existing ones, with the same sentence.
    const file = await exportAuditTrail(auditor, { format: "xlsx", project: project.id, action: "return." }, "127.0.0.1");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(["序号", "时间（北京时间）", "时间（UTC）", "操作人", "操作", "说明", "对象类型", "对象ID", "IP", "详情（JSON）", "前一条哈希", "本条哈希"]);
    const described: string[] = [];
    sheet.eachRow((row, n) => { if (n > 1) described.push(String(row.getCell(6).text)); });
    expect(described.length).toBe(file.rows);
    expect(described.some((text) => text.includes(`提交 ${resubmitted}`))).toBe(true);

    // 三员分立: the audit administrator reads no business event, so no sentence of one either.
    const auditAdmin = await userActor("auditadmin");
    const adminPage = await listAuditEvents(auditAdmin, { page: 1, perPage: 200 });
    const adminSentences = await sentences("zh-CN", auditAdmin, adminPage.rows);
    expect(adminSentences.join("\n")).not.toContain(name);
    expect(adminSentences.join("\n")).not.toContain("月报");
    // And were a business row ever handed to the describer for them, its content is withheld.
    expect(await sentences("zh-CN", auditAdmin, [submit])).toEqual([expect.not.stringContaining(name)]);
  });

  it("writes CSV with a BOM and filters by user and action; owner units may not export", async () => {
    const { exportAuditTrail } = await import("@/lib/audit/export");
    const file = await exportAuditTrail(await userActor("auditor"), { format: "csv", user: "reviewer", action: "return." }, null);
    const text = file.body.toString("utf8");
    expect(text.startsWith("\uFEFF序号,")).toBe(true);
    const lines = text.trim().split("\r\n").slice(1);
    expect(lines.length).toBe(await prisma.auditEvent.count({ where: { actorName: "reviewer", action: { startsWith: "return." } } }));
    expect(lines.every((l) => l.includes(",reviewer,return."))).toBe(true);
    // 三员分立: the audit administrator's export holds no business events (docs/decisions/0005).
    expect(lines.length).toBeGreaterThan(0);
    const adminFile = await exportAuditTrail(await userActor("auditadmin"), { format: "csv", user: "reviewer", action: "return." }, null);
    expect(adminFile.rows).toBe(0);
    await expect(exportAuditTrail(owner, { format: "csv" }, null)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("two editors on one draft", () => {
  it("refuses the second save, shows the first one's values and loses nothing", async () => {
    const other = (await prisma.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
       WHERE o.name = '仁怀市人民政府' AND p.id <> ${project.id}::uuid ORDER BY p."planKey" LIMIT 1`)[0]!;
    const base = form({ projectId: other.id, period: "2026-11", funds: {}, fundsNote: null });
    await returns.saveReturn(owner, { ...base, completedInvestment: "10" }, [], "127.0.0.1", AS_OF);
    // Both open version 1; the first saves 20, the second tries 30 on the old version.
    await returns.saveReturn(owner, { ...base, version: 1, completedInvestment: "20" }, [], "127.0.0.1", AS_OF);
    const stale = await returns.saveReturn(owner, { ...base, version: 1, completedInvestment: "30" }, [], "127.0.0.1", AS_OF).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(returns.StaleReturnError);
    expect((stale as InstanceType<typeof returns.StaleReturnError>).current.completedInvestment).toBe("20");
    expect((stale as InstanceType<typeof returns.StaleReturnError>).changedBy?.name).toBe("owner.editor");
    const row = await prisma.monthlyReturn.findUniqueOrThrow({ where: { projectId_period: { projectId: other.id, period: new Date("2026-11-01T00:00:00Z") } } });
    expect(row.completedInvestment.toString()).toBe("20");
    expect(row.version).toBe(2);
  });

  it("turns two simultaneous first saves of the same month into one return and one refusal", async () => {
    const third = (await prisma.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
       WHERE o.name = '仁怀市人民政府' ORDER BY p."planKey" DESC LIMIT 1`)[0]!;
    const base = form({ projectId: third.id, period: "2026-11", funds: {}, fundsNote: null });
    const results = await Promise.allSettled([
      returns.saveReturn(owner, { ...base, completedInvestment: "1" }, [], "127.0.0.1", AS_OF),
      returns.saveReturn(owner, { ...base, completedInvestment: "2" }, [], "127.0.0.1", AS_OF),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(returns.StaleReturnError);
    expect(await prisma.monthlyReturn.count({ where: { projectId: third.id, period: new Date("2026-11-01T00:00:00Z") } })).toBe(1);
  });
});

describe("who is late", () => {
  it("lists projects under construction behind on their returns as of the latest reporting month, in scope", async () => {
    const late = await returns.listLateReturns(reviewer, AS_OF);
    expect(late.period).toBe("2026-10");
    // Behind: no submitted or approved return for the reporting month or any later one, and the
    // first month owed (from the actual start, else the planned, else joining) is not after it.
    const expected = await prisma.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM "Project" p
       WHERE p."lifecycleStage" = 'CONSTRUCTION'
         AND (EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382') OR p."reviewDivisionCode" = '520382')
         AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period >= '2026-10-01' AND r.status IN ('SUBMITTED', 'APPROVED'))
         AND coalesce((SELECT s."actualDate" FROM "Milestone" s WHERE s."projectId" = p.id AND s.kind = 'START'), p."plannedStart", p."createdAt"::date) < '2026-11-01'`;
    expect(late.rows.map((r) => r.projectId).sort()).toEqual(expected.map((r) => r.id).sort());
    const everywhere = await returns.listLateReturns(await userActor("leader"), AS_OF);
    expect(everywhere.rows.length).toBeGreaterThan(0); // the demo leaves some late projects
    expect(everywhere.rows.length).toBeGreaterThanOrEqual(late.rows.length);
  });

  it("puts the longest-late first, then names in pinyin order, counting months as the rule says", async () => {
    const everywhere = await returns.listLateReturns(await userActor("leader"), AS_OF);
    // The months behind worked out by hand (the reporting calendar's rule): from the later of the
    // month after the last submitted or approved return and the first month owed (the actual
    // start, else the planned start, else joining the library; never before 2021-01).
    const projects = await prisma.project.findMany({
      where: { id: { in: everywhere.rows.map((r) => r.projectId) } },
      select: {
        id: true, name: true, plannedStart: true, createdAt: true, milestones: { where: { kind: "START" }, select: { actualDate: true } },
        monthlyReturns: { where: { status: { in: ["SUBMITTED", "APPROVED"] } }, orderBy: { period: "desc" }, take: 1, select: { period: true } },
      },
    });
    const month = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
    const due = month(new Date("2026-10-01T00:00:00Z"));
    const expected = projects
      .map((p) => {
        const last = p.monthlyReturns[0]?.period;
        const owedFrom = Math.max(2021 * 12, month(p.milestones[0]?.actualDate ?? p.plannedStart ?? p.createdAt));
        const since = Math.max(owedFrom, last ? month(last) + 1 : owedFrom);
        return { projectId: p.id, name: p.name, lastReported: last ? last.toISOString().slice(0, 7) : null, monthsLate: due - since + 1 };
      })
      .sort((a, b) => b.monthsLate - a.monthsLate || a.name.localeCompare(b.name, "zh-CN"));
    expect(new Set(expected.map((r) => r.monthsLate)).size).toBeGreaterThan(1); // the order is tested on more than names
    expect(everywhere.rows.map(({ projectId, name, lastReported, monthsLate }) => ({ projectId, name, lastReported, monthsLate }))).toEqual(expected);

    // A limit keeps the longest-late projects, not whichever the database met first.
    const top = await returns.listLateReturns(await userActor("leader"), AS_OF, 3);
    expect(top.rows.map((r) => r.monthsLate)).toEqual(everywhere.rows.slice(0, 3).map((r) => r.monthsLate));
  });

  it("gives owner units their overdue months, and reading them writes nothing (the reminder job announces them)", async () => {
    const before = await prisma.notification.count();
    const work = await returns.myWork(owner, AS_OF);
    expect(work.overdue.length).toBeGreaterThan(0);
    expect(await prisma.notification.count()).toBe(before);
  });
});

describe("evidence files on a month the owner may still change", () => {
  let other: { id: string; source: string };
  const base = () => ({ ...form(), projectId: other.id, funds: { [other.source]: "10" } });
  const row = () =>
    prisma.monthlyReturn.findUniqueOrThrow({ where: { projectId_period: { projectId: other.id, period: new Date(`${PERIOD}-01T00:00:00Z`) } }, include: { attachments: true } });

  beforeAll(async () => {
    const rows = await prisma.$queryRaw<{ id: string; source: string }[]>`
      SELECT p.id, min(f."sourceCode") AS source
        FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" JOIN "ProjectFunding" f ON f."projectId" = p.id
       WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION' AND p."reviewDivisionCode" = '520382'
         AND p."totalInvestment" > p."completedInvestment" + 10000 AND p.id <> ${project.id}::uuid
         AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = ${`${PERIOD}-01`}::date)
       GROUP BY p.id ORDER BY p."planKey" LIMIT 1`;
    expect(rows.length).toBe(1);
    other = rows[0]!;
  });

  it("stores the same bytes once per return, however often they are uploaded", async () => {
    await returns.saveReturn(owner, base(), [{ name: "现场.png", bytes: PNG }, { name: "现场(1).png", bytes: PNG }], "127.0.0.1", AS_OF);
    await returns.saveReturn(owner, { ...base(), version: 1 }, [{ name: "现场-再传.png", bytes: PNG }], "127.0.0.1", AS_OF);
    const saved = await row();
    expect(saved.attachments.map((a) => a.fileName)).toEqual(["现场.png"]);
    const { getStorage } = await import("@/lib/storage");
    expect(await getStorage().get(saved.attachments[0]!.storageKey)).not.toBeNull();
  });

  it("lets only the owner unit remove a file from a draft; the removal is audited and the bytes go", async () => {
    const [attachment] = (await row()).attachments;
    await expect(returns.removeReturnAttachment(viewer, { attachmentId: attachment!.id }, "127.0.0.1")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(returns.removeReturnAttachment(reviewer, { attachmentId: attachment!.id }, "127.0.0.1")).rejects.toBeInstanceOf(ForbiddenError);
    expect((await row()).attachments).toHaveLength(1);

    const removed = await returns.removeReturnAttachment(owner, { attachmentId: attachment!.id }, "127.0.0.1");
    expect(removed).toEqual({ projectId: other.id, period: PERIOD });
    const after = await row();
    expect(after.attachments).toHaveLength(0);
    const [event] = await prisma.auditEvent.findMany({ where: { action: "return.attachment.remove", entityId: after.id } });
    expect(event?.details).toMatchObject({ attachmentId: attachment!.id, sha256: attachment!.sha256, fileName: "现场.png", returnStatus: "DRAFT" });
    const { getStorage } = await import("@/lib/storage");
    expect(await getStorage().get(attachment!.storageKey)).toBeNull();
    await expect(returns.removeReturnAttachment(owner, { attachmentId: attachment!.id }, "127.0.0.1")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("keeps the evidence of a submitted month", async () => {
    await returns.saveReturn(owner, { ...base(), version: (await row()).version, intent: "submit" }, [{ name: "验收单.png", bytes: PNG }], "127.0.0.1", AS_OF);
    const submitted = await row();
    expect(submitted.status).toBe("SUBMITTED");
    await expect(returns.removeReturnAttachment(owner, { attachmentId: submitted.attachments[0]!.id }, "127.0.0.1")).rejects.toBeInstanceOf(returns.ReturnStateError);
    expect((await row()).attachments).toHaveLength(1);
  });
});

describe("the audit events these commands wrote", () => {
  it("each reads back through its action's schema", async () => {
    expect(await auditActionsReadBack(prisma)).toEqual(expect.arrayContaining(["export.audit", "return.approve", "return.correction.approve", "return.correction.request", "return.return", "return.save", "return.submit"]));
  });
});
