// 对账 as a file for auditors (issue 19): the page's checks (lib/portfolio/reconciliation.ts) with
// every row, not the page's first 200. The .xlsx has one sheet per check; the .csv, which holds one
// table, lists the findings (every check's rows) with the check named on each row. Amounts in 万元.
import { fileSheet, toCsv, toXlsxSheets, type FileColumn } from "./table-file";
import type { ReconciliationReport } from "@/lib/portfolio/reconciliation";

type Translate = (key: string, values?: Record<string, string | number>) => string;

const WAN = "#,##0.0000";
const amount = (v: string | null) => (v === null ? null : Number(v));

/** One finding of any check, for the single-table .csv. */
interface Finding {
  check: string;
  projectId: string;
  project: string;
  period: string | null;
  figure: string | null;
  compared: string | null;
  note: string | null;
}

/** Every check's rows as findings (the .csv), in the page's order. */
export function reconciliationFindings(report: ReconciliationReport, t: Translate): Finding[] {
  return [
    ...report.cumulativeMismatch.map((r) => ({ check: t("reconciliation.cumulative"), projectId: r.projectId, project: r.name, period: null, figure: r.stored, compared: r.approved, note: null })),
    ...report.noBudget.rows.map((r) => ({ check: t("reconciliation.noBudget"), projectId: r.projectId, project: r.name, period: null, figure: null, compared: null, note: r.missing.map((m) => t(`projectFields.${m}`)).join(" / ") })),
    ...report.fundsAboveTotal.map((r) => ({ check: t("reconciliation.fundsAboveTotal"), projectId: r.projectId, project: r.name, period: null, figure: r.funds, compared: r.total, note: null })),
    ...report.jumps.map((r) => ({ check: t("reconciliation.file.jumps"), projectId: r.projectId, project: r.name, period: r.period, figure: r.amount, compared: r.previous, note: null })),
    ...report.selfApproved.map((r) => ({ check: t("reconciliation.selfApproved"), projectId: r.projectId, project: r.name, period: r.period, figure: null, compared: null, note: r.userName })),
  ];
}

function findingColumns(t: Translate): FileColumn<Finding>[] {
  return [
    { header: t("reconciliation.file.check"), width: 36, value: (r) => r.check },
    { header: t("reconciliation.file.project"), width: 40, value: (r) => r.project },
    { header: t("reconciliation.file.projectId"), width: 38, value: (r) => r.projectId },
    { header: t("reconciliation.file.period"), width: 10, value: (r) => r.period },
    { header: t("reconciliation.file.figure"), width: 18, value: (r) => amount(r.figure), numFmt: WAN },
    { header: t("reconciliation.file.compared"), width: 18, value: (r) => amount(r.compared), numFmt: WAN },
    { header: t("reconciliation.file.note"), width: 30, value: (r) => r.note },
  ];
}

/** The .csv: every finding, one table. */
export function reconciliationCsv(report: ReconciliationReport, t: Translate): string {
  return toCsv(findingColumns(t), reconciliationFindings(report, t));
}

/** A row of the column-totals sheet: a 专栏, the sum, the plan's target or the gap to it. */
interface ColumnRow {
  number: number | null;
  title: string;
  projects: number | null;
  planned: string | null;
  total: string | null;
  completed: string | null;
  approved: string | null;
}

/** The .xlsx: the column totals against the target, then one sheet per check. */
export async function reconciliationXlsx(report: ReconciliationReport, t: Translate): Promise<Buffer> {
  const columns: FileColumn<ColumnRow>[] = [
    { header: t("reconciliation.file.column"), width: 8, value: (c) => c.number },
    { header: t("reconciliation.file.columnTitle"), width: 40, value: (c) => c.title },
    { header: t("reconciliation.projects"), width: 10, value: (c) => c.projects },
    { header: t("reconciliation.planned"), width: 20, value: (c) => amount(c.planned), numFmt: WAN },
    { header: t("reconciliation.total"), width: 20, value: (c) => amount(c.total), numFmt: WAN },
    { header: t("reconciliation.stored"), width: 20, value: (c) => amount(c.completed), numFmt: WAN },
    { header: t("reconciliation.approved"), width: 20, value: (c) => amount(c.approved), numFmt: WAN },
  ];
  const none = { number: null, projects: null, total: null, completed: null, approved: null };
  const rows: ColumnRow[] = [
    ...report.columns,
    { number: null, title: t("reconciliation.file.sum"), projects: report.columns.reduce((n, c) => n + c.projects, 0), ...report.totals },
    { ...none, title: t("reconciliation.file.target"), planned: report.target },
    { ...none, title: t("reconciliation.file.gap"), planned: report.totals.gapToTarget },
  ];
  const findings = reconciliationFindings(report, t);
  const sheet = (nameKey: string, check: string) => fileSheet(t(`reconciliation.file.sheet.${nameKey}`), findingColumns(t), findings.filter((f) => f.check === check));
  return toXlsxSheets([
    fileSheet(t("reconciliation.file.sheet.columns"), columns, rows),
    sheet("cumulative", t("reconciliation.cumulative")),
    sheet("noBudget", t("reconciliation.noBudget")),
    sheet("fundsAboveTotal", t("reconciliation.fundsAboveTotal")),
    sheet("jumps", t("reconciliation.file.jumps")),
    sheet("selfApproved", t("reconciliation.selfApproved")),
  ]);
}
