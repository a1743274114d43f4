// The 十四五 final evaluation (终期评估) as .xlsx: one sheet per section, amounts in 亿元 as numbers
// with the unit in the header, frozen header rows, A4 landscape. Text in Chinese, as it is filed.
import ExcelJS from "exceljs";
import Decimal from "decimal.js";
import type { FinalEvaluation, RateRow } from "@/lib/evaluation/queries";
import { filterProjects } from "@/lib/evaluation/queries";
import type { ProjectFilter } from "@/lib/evaluation/schema";
import { wanToYi } from "@/lib/domain/money";
import { isoDay } from "@/lib/domain/dates";

type Translate = (key: string) => string;

const yi = (wan: string) => wanToYi(new Decimal(wan)).toDecimalPlaces(4).toNumber();
const yiOrNull = (wan: string | null) => (wan === null ? null : yi(wan));
const pctNumber = (v: string | null) => (v === null ? null : Number(v));
const demo = (flag: boolean) => (flag ? "示例数据" : null);

const STAGE_ZH: Record<string, string> = { COMPLETE: "建成", START: "开工", PREPARE: "前期", NONE: "未达前期" };
const VERDICT_ZH: Record<string, string> = { MET: "达标", NOT_MET: "未达标", NO_DATA: "无数据" };

function sheet(workbook: ExcelJS.Workbook, name: string, columns: { header: string; width: number; numFmt?: string }[], rows: (string | number | null)[][]) {
  const ws = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }], pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  columns.forEach((c, i) => {
    if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
  });
  ws.headerFooter.oddFooter = "&P / &N";
  return ws;
}

const money = "#,##0.00";

function rateSheet(workbook: ExcelJS.Workbook, name: string, first: string, rows: RateRow[], label: (r: RateRow) => string) {
  sheet(
    workbook,
    name,
    [
      { header: first, width: 40 },
      { header: "项目数", width: 8 },
      { header: "达到2025目标", width: 12 },
      { header: "目标达成率（%）", width: 14, numFmt: "0.00" },
      { header: "十四五计划投资（亿元）", width: 18, numFmt: money },
      { header: "2021—2025完成投资（亿元）", width: 20, numFmt: money },
      { header: "完成占计划（%）", width: 14, numFmt: "0.00" },
      { header: "数据", width: 10 },
    ],
    rows.map((r) => [label(r), r.projects, r.met, pctNumber(r.rate), yi(r.planned), yi(r.completed), pctNumber(r.completedShare), demo(r.isDemo)]),
  );
}

export async function evaluationXlsx(e: FinalEvaluation, t: Translate, filter: ProjectFilter = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "城镇化重点项目库";
  const basis =
    e.options.basis === "now"
      ? `截至目前（${isoDay(e.generatedAt)}）已审核的月报`
      : `截至 ${e.options.cutoff}（北京时间）已审核的月报；此后的审核（含2025年各月月报的迟到审核）和更正不计入`;

  sheet(workbook, "汇总", [{ header: "项目", width: 44 }, { header: "数值", width: 20, numFmt: money }, { header: "单位", width: 10 }], [
    [`遵义市“十四五”新型城镇化发展规划 终期评估（${e.endDay}）`, null, null],
    ["口径", basis, null],
    ["项目库项目数", e.total.projects, "个"],
    ["达到2025年目标阶段的项目", e.total.met, "个"],
    ["目标达成率", pctNumber(e.total.rate), "%"],
    ["规划目标（城镇化重点项目投资）", yiOrNull(e.target), "亿元"],
    ["十四五计划投资", yi(e.total.planned), "亿元"],
    ["2021—2025年已审核完成投资", yi(e.total.completed), "亿元"],
    ["完成投资占规划目标", pctNumber(e.completedShareOfTarget), "%"],
    ["2021—2025年资金到位", yi(e.funds.inPlace), "亿元"],
    ["计划资金（按来源）", yi(e.funds.planned), "亿元"],
    ["资金到位率", pctNumber(e.funds.share), "%"],
    ["主要指标：达标 / 未达标 / 无数据", `${e.indicatorCounts.MET} / ${e.indicatorCounts.NOT_MET} / ${e.indicatorCounts.NO_DATA}`, "项"],
    ["结转项目（未建成）", e.carryOver.rows.length, "个"],
    ["结转项目剩余投资（总投资减已审核完成投资）", yi(e.carryOver.remaining), "亿元"],
    ...(e.excluded ? [["截止日后审核、未计入的2021—2025年月报", e.excluded.returns, "份"] as (string | number | null)[], ["其金额", yi(e.excluded.amount), "亿元"] as (string | number | null)[]] : []),
    ["生成日期", isoDay(e.generatedAt), null],
    ["判定规则", "建成：竣工验收或投用；开工：开工；前期：立项、可研批复、用地预审、环评批复、初设批复、施工许可之一。里程碑日期不晚于2025-12-31且所在月报已审核。", null],
    ["说明", e.isDemo ? "标“示例数据”的数值是系统生成的演示数据，并非规划或实际填报数值。" : null, null],
  ]);

  const rows = filterProjects(e.projects, filter);
  sheet(
    workbook,
    "项目目标达成",
    [
      { header: "专栏", width: 6 },
      { header: "子工程", width: 24 },
      { header: "项目名称", width: 44 },
      { header: "区县", width: 18 },
      { header: "业主单位", width: 26 },
      { header: "2025目标", width: 10 },
      { header: "要求阶段", width: 10 },
      { header: "实际达到", width: 10 },
      { header: "是否达标", width: 8 },
      { header: "依据里程碑", width: 12 },
      { header: "里程碑日期", width: 12 },
      { header: "审核日期", width: 12 },
      { header: "月报月份", width: 10 },
      { header: "2021—2025完成投资（亿元）", width: 18, numFmt: money },
      { header: "数据", width: 10 },
    ],
    rows.map((p) => [
      p.columnNumber,
      p.programmeName,
      p.name,
      p.counties.map((c) => c.name).join("、"),
      p.ownerName,
      t(`enums.TargetStage.${p.targetStage2025}`),
      STAGE_ZH[p.achievement.required] ?? null,
      STAGE_ZH[p.achievement.reached] ?? null,
      p.achievement.met ? "是" : "否",
      p.achievement.evidence ? t(`enums.MilestoneKind.${p.achievement.evidence.kind}`) : null,
      p.achievement.evidence?.actualDate ?? null,
      p.achievement.evidence?.approvedOn ?? null,
      p.achievement.evidence?.period ?? null,
      yi(p.completed),
      demo(p.isDemo),
    ]),
  );
  rateSheet(workbook, "按专栏", "专栏", e.byColumn, (r) => `专栏${r.label}`);
  rateSheet(workbook, "按子工程", "子工程", e.byProgramme, (r) => r.label);
  rateSheet(workbook, "按区县", "区县", e.byCounty, (r) => r.label || "区县待确认");
  rateSheet(workbook, "按业主单位", "业主单位", e.byOwner, (r) => r.label || "未定业主单位");
  sheet(
    workbook,
    "分年度投资",
    [
      { header: "年度", width: 8 },
      { header: "年度计划投资（亿元）", width: 18, numFmt: money },
      { header: "已审核完成投资（亿元）", width: 18, numFmt: money },
      { header: "完成年度计划（%）", width: 14, numFmt: "0.00" },
      { header: "累计完成（亿元）", width: 16, numFmt: money },
      { header: "累计占规划目标（%）", width: 16, numFmt: "0.00" },
      { header: "数据", width: 10 },
    ],
    e.byYear.map((y) => [y.year, yiOrNull(y.annualPlan), yi(y.completed), pctNumber(y.planShare), yi(y.cumulative), pctNumber(y.cumulativeShareOfTarget), demo(y.isDemo)]),
  );
  sheet(
    workbook,
    "资金到位",
    [
      { header: "资金来源", width: 28 },
      { header: "计划资金（亿元）", width: 16, numFmt: money },
      { header: "2021—2025到位（亿元）", width: 18, numFmt: money },
      { header: "到位率（%）", width: 12, numFmt: "0.00" },
      { header: "数据", width: 10 },
    ],
    [...e.bySource.map((s) => [s.nameZh, yi(s.planned), yi(s.inPlace), pctNumber(s.share), demo(s.isDemo)]), ["合计", yi(e.funds.planned), yi(e.funds.inPlace), pctNumber(e.funds.share), null]],
  );
  sheet(
    workbook,
    "主要指标",
    [
      { header: "序号", width: 6 },
      { header: "类别", width: 14 },
      { header: "指标", width: 40 },
      { header: "单位", width: 10 },
      { header: "2020年", width: 10 },
      { header: "2025年目标", width: 14 },
      { header: "2025年值（[ ]为五年累计）", width: 18 },
      { header: "已填年份", width: 22 },
      { header: "评价", width: 8 },
      { header: "数据", width: 10 },
    ],
    e.indicators.map((i) => [i.number, i.category, i.name, i.unit, i.baselineText, i.targetText, i.value === null ? null : Number(i.value), i.years.join("、"), VERDICT_ZH[i.verdict] ?? null, demo(i.isDemo)]),
  );
  sheet(
    workbook,
    "结转项目",
    [
      { header: "项目名称", width: 44 },
      { header: "区县", width: 18 },
      { header: "业主单位", width: 26 },
      { header: "2025年底达到", width: 12 },
      { header: "总投资（亿元）", width: 14, numFmt: money },
      { header: "已审核完成（亿元）", width: 16, numFmt: money },
      { header: "剩余投资（亿元）", width: 14, numFmt: money },
      { header: "完成日期", width: 12 },
      { header: "日期来源", width: 10 },
      { header: "数据", width: 10 },
    ],
    e.carryOver.rows.map((p) => [
      p.name,
      p.counties.map((c) => c.name).join("、"),
      p.ownerName,
      STAGE_ZH[p.achievement.reached] ?? null,
      yiOrNull(p.totalInvestment),
      yi(p.completed),
      yiOrNull(p.remaining),
      p.completion?.date ?? null,
      p.completion ? { actual: "实际", forecast: "预测", planned: "计划" }[p.completion.source] : null,
      demo(p.isDemo),
    ]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
