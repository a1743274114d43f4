// The project list as .xlsx (exceljs: Chinese headers with units, numbers as numbers in 亿元,
// frozen header row) and as .csv (UTF-8 with BOM so Excel opens it in Chinese).
import Decimal from "decimal.js";
import type { ProjectListRow } from "@/lib/data/projects";
import { wanToYi } from "@/lib/domain/money";
import { streamCsv, streamXlsx, toCsv, toXlsx, type FileColumn, type StreamedFile } from "./table-file";

type Translate = (key: string) => string;

type ExportColumn = FileColumn<ProjectListRow>;

const APPROVAL_LABEL = { ACCEPTED: "acceptedState", PENDING: "pending", REFUSED: "refusedBadge" } as const;

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
    { header: "总投资（亿元）", width: 14, value: (r) => yi(r.totalInvestment), numFmt: "#,##0.0000" },
    { header: "十四五计划投资（亿元）", width: 18, value: (r) => yi(r.plannedInvestment), numFmt: "#,##0.0000" },
    { header: "累计完成投资（亿元）", width: 18, value: (r) => yi(r.completedInvestment), numFmt: "#,##0.0000" },
    { header: "示例数据字段", width: 20, value: (r) => (r.demoFields.length ? r.demoFields.join(";") : null) },
    // 已接受, or a new project its owner unit and review office see before it is accepted (docs/decisions/0031).
    { header: "审核状态", width: 10, value: (r) => t(`project.approval.${APPROVAL_LABEL[r.approval]}`) },
  ];
}

/** The sheet's name. */
const SHEET = "项目库";

export function projectsXlsx(rows: ProjectListRow[], t: Translate): Promise<Buffer> {
  return toXlsx(SHEET, exportColumns(t), rows);
}

export function projectsCsv(rows: ProjectListRow[], t: Translate): string {
  return toCsv(exportColumns(t), rows);
}

/** The project list as a streamed file, a page of rows at a time (the export route; docs/decisions/0039). */
export function projectsFileStream(format: "xlsx" | "csv", pages: AsyncIterable<ProjectListRow[]>, t: Translate, onComplete?: (file: StreamedFile) => Promise<void>): ReadableStream<Uint8Array> {
  return format === "xlsx" ? streamXlsx(SHEET, exportColumns(t), pages, onComplete) : streamCsv(exportColumns(t), pages, onComplete);
}
