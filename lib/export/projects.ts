// The project list as .xlsx (exceljs: Chinese headers with units, numbers as numbers in 亿元,
// frozen header row) and as .csv (UTF-8 with BOM so Excel opens it in Chinese).
import ExcelJS from "exceljs";
import Decimal from "decimal.js";
import type { ProjectListRow } from "@/lib/data/projects";
import { wanToYi } from "@/lib/domain/money";

type Translate = (key: string) => string;

interface ExportColumn {
  header: string;
  width: number;
  value: (row: ProjectListRow) => string | number | null;
  numeric?: boolean;
}

function yi(value: { toString(): string } | string | null): number | null {
  return value === null ? null : wanToYi(new Decimal(value.toString())).toDecimalPlaces(4).toNumber();
}

export function exportColumns(t: Translate): ExportColumn[] {
  return [
    { header: "规划编号", width: 14, value: (r) => r.planKey },
    { header: "项目代码", width: 26, value: (r) => r.projectCode },
    { header: "项目名称", width: 48, value: (r) => r.name },
    { header: "专栏", width: 8, value: (r) => r.column.number },
    { header: "子工程", width: 24, value: (r) => r.programme.name },
    { header: "所在区县", width: 16, value: (r) => r.locations.map((l) => l.division.name).join("、") },
    { header: "行业", width: 14, value: (r) => r.sector?.nameZh ?? null },
    { header: "业主单位", width: 28, value: (r) => r.ownerOrg?.name ?? null },
    { header: "2025年目标", width: 12, value: (r) => t(`enums.TargetStage.${r.targetStage2025}`) },
    { header: "当前阶段", width: 10, value: (r) => t(`enums.LifecycleStage.${r.lifecycleStage}`) },
    { header: "计划开工", width: 12, value: (r) => r.plannedStart?.toISOString().slice(0, 10) ?? null },
    { header: "计划竣工", width: 12, value: (r) => r.plannedCompletion?.toISOString().slice(0, 10) ?? null },
    { header: "总投资（亿元）", width: 14, value: (r) => yi(r.totalInvestment), numeric: true },
    { header: "十四五计划投资（亿元）", width: 18, value: (r) => yi(r.plannedInvestment), numeric: true },
    { header: "累计完成投资（亿元）", width: 18, value: (r) => yi(r.completedInvestment), numeric: true },
    { header: "示例数据字段", width: 20, value: (r) => (r.demoFields.length ? r.demoFields.join(";") : null) },
  ];
}

export async function projectsXlsx(rows: ProjectListRow[], t: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "城镇化重点项目库";
  const sheet = workbook.addWorksheet("项目库", { views: [{ state: "frozen", ySplit: 1 }] });
  const columns = exportColumns(t);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  columns.forEach((c, i) => {
    if (c.numeric) sheet.getColumn(i + 1).numFmt = "#,##0.0000";
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function projectsCsv(rows: ProjectListRow[], t: Translate): string {
  const columns = exportColumns(t);
  const lines = [columns.map((c) => csvCell(c.header)).join(","), ...rows.map((row) => columns.map((c) => csvCell(c.value(row))).join(","))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
