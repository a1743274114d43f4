// The reconciliation report on the seeded library: it is clean after seeding, and each kind of
// inconsistency planted by direct SQL shows up at the right project.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
const { sql } = sqlOn(() => db.url);
let prisma: typeof import("@/lib/db").prisma;
let report: typeof import("@/lib/portfolio/reconciliation").reconciliationReport;

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  report = (await import("@/lib/portfolio/reconciliation")).reconciliationReport;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("reconciliation", () => {
  it("is clean after seeding: stored cumulatives equal the approved returns, the plan sums to 4500亿", async () => {
    const r = await report(await actor(["AUDITOR"]));
    expect(r.cumulativeMismatch).toEqual([]);
    expect(r.totals.planned).toBe("45000000");
    expect(r.totals.gapToTarget).toBe("0");
    expect(r.totals.completed).toBe(r.totals.approved);
    const [hand] = await sql<{ planned: string; projects: string }>(`SELECT sum("plannedInvestment")::text AS planned, count(*)::text AS projects FROM "Project"`);
    expect(r.columns.reduce((n, c) => n + c.projects, 0)).toBe(Number(hand!.projects));
    expect(Number(r.totals.planned)).toBe(Number(hand!.planned));
    expect(r.selfApproved).toEqual([]);
  });

  it("finds a stored cumulative that no longer equals its approved months", async () => {
    const [p] = await sql<{ id: string }>(`SELECT id FROM "Project" WHERE "completedInvestment" > 0 ORDER BY "planKey" LIMIT 1`);
    await sql(`UPDATE "Project" SET "completedInvestment" = "completedInvestment" + 1.5 WHERE id = $1`, [p!.id]);
    const r = await report(await actor(["LEADERSHIP"]));
    expect(r.cumulativeMismatch.map((m) => [m.projectId, m.difference])).toEqual([[p!.id, "1.5"]]);
    expect(r.columns.some((c) => !c.matches)).toBe(true);
  });

  it("finds funds above total investment, a month-on-month jump and a self-approved return", async () => {
    const [ret] = await sql<{ id: string; projectId: string; period: Date }>(
      `SELECT r.id, r."projectId", r.period FROM "MonthlyReturn" r JOIN "Project" p ON p.id = r."projectId"
        WHERE r.status = 'APPROVED' AND r.period = '2026-09-01' AND p."totalInvestment" IS NOT NULL ORDER BY p."planKey" LIMIT 1`,
    );
    const [user] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE username = 'reviewer'`);
    // As a DBA would: past the approved-return lock (funds and figures alike).
    await sql(`BEGIN; SET LOCAL zunyi.correction = 'on'; UPDATE "ReturnFunding" SET amount = amount + 100000000 WHERE "returnId" = '${ret!.id}';
               UPDATE "MonthlyReturn" SET "completedInvestment" = 99999999 WHERE id = '${ret!.id}'; COMMIT;`);
    await sql(`UPDATE "MonthlyReturn" SET "submittedById" = $2, "reviewedById" = $2 WHERE id = $1`, [ret!.id, user!.id]);
    const r = await report(await actor(["AUDITOR"]));
    expect(r.fundsAboveTotal.map((x) => x.projectId)).toContain(ret!.projectId);
    expect(r.jumps.map((x) => `${x.projectId}:${x.period}`)).toContain(`${ret!.projectId}:2026-09`);
    expect(r.selfApproved.map((x) => `${x.projectId}:${x.period}`)).toEqual([`${ret!.projectId}:2026-09`]);
  });

  it("exports every finding as .xlsx (one sheet per check) and .csv, each download recorded with the file's SHA-256", async () => {
    const { exportReconciliation } = await import("@/lib/portfolio/reconciliation-export");
    const { createTranslator } = await import("next-intl");
    const messages = (await import("@/messages/zh-CN.json")).default;
    const t = createTranslator({ locale: "zh-CN", messages }) as unknown as (key: string, values?: Record<string, string | number>) => string;
    const auditor = await actor(["AUDITOR"]);
    const r = await report(auditor);
    const expected = r.cumulativeMismatch.length + r.noBudget.rows.length + r.fundsAboveTotal.length + r.jumps.length + r.selfApproved.length;
    expect(expected).toBeGreaterThan(0); // the earlier tests planted findings

    const xlsx = await exportReconciliation(auditor, "xlsx", t, "127.0.0.1");
    expect(xlsx.findings).toBe(expected);
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(["专栏合计", "累计不符", "缺少预算", "到位超总投资", "月度突增", "自报自审"]);
    const selfApproved = book.getWorksheet("自报自审")!;
    expect(selfApproved.rowCount).toBe(1 + r.selfApproved.length);
    expect(selfApproved.getRow(2).getCell(3).value).toBe(r.selfApproved[0]!.projectId);
    const columns = book.getWorksheet("专栏合计")!;
    expect(columns.rowCount).toBe(1 + r.columns.length + 3); // every column, the sum, the target, the gap

    const csv = await exportReconciliation(auditor, "csv", t, "127.0.0.1");
    const lines = csv.body.toString("utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("检查项,项目,项目ID,月份,数值（万元）,对比数值（万元）,说明");
    expect(lines).toHaveLength(1 + expected);

    const events = await sql<{ details: { format: string; findings: number; sha256: string } }>(`SELECT details FROM "AuditEvent" WHERE action = 'export.reconciliation' ORDER BY seq`);
    expect(events.map((e) => [e.details.format, e.details.findings, e.details.sha256])).toEqual([
      ["xlsx", expected, xlsx.sha256],
      ["csv", expected, csv.sha256],
    ]);
  });

  it("is refused to roles without the permission", async () => {
    await expect(report(await actor(["OWNER_EDITOR"]))).rejects.toThrow(/permission denied/);
    await expect(report(await actor(["AUDIT_ADMIN"]))).rejects.toThrow(/permission denied/);
    const { exportReconciliation } = await import("@/lib/portfolio/reconciliation-export");
    await expect(exportReconciliation(await actor(["OWNER_EDITOR"]), "csv", (k) => k, null)).rejects.toThrow(/permission denied/);
  });
});
