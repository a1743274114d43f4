// The monthly report (城镇化重点项目建设月报) as .xlsx: one sheet per section, amounts as numbers in
// 亿元 with the unit in the header, frozen header rows. Text in Chinese, as the report is filed.
import ExcelJS from "exceljs";
import Decimal from "decimal.js";
import type { MonthlyReport, ReportRow } from "@/lib/portfolio/report";
import { wanToYi } from "@/lib/domain/money";
import { groupLabel, lightReasonText, type GroupDimension, type Translate } from "@/i18n/format";


const yi = (wan: string) => wanToYi(new Decimal(wan)).toDecimalPlaces(4).toNumber();
const yiOrNull = (wan: string | null) => (wan === null ? null : yi(wan));
const pctNumber = (v: string | null) => (v === null ? null : Number(v));
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

function sheet(workbook: ExcelJS.Workbook, name: string, columns: { header: string; width: number; numFmt?: string }[], rows: (string | number | null)[][]) {
  const ws = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }], pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  columns.forEach((c, i) => {
    if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
  });
  return ws;
}

function breakdownRows(t: Translate, dim: GroupDimension, rows: ReportRow[]) {
  return rows.map((r) => [groupLabel(t, "zh-CN", dim, r), r.count, yi(r.planned), yi(r.annualPlan), yi(r.completedMonth), yi(r.completedYtd), pctNumber(r.ytdShare), yi(r.completedTotal)]);
}

export async function reportXlsx(r: MonthlyReport, t: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "城镇化重点项目库";
  const money = "#,##0.00";
  const title = `遵义市城镇化重点项目建设月报（${r.month}）`;

  sheet(workbook, "汇总", [{ header: "项目", width: 34 }, { header: "数值", width: 18, numFmt: money }, { header: "单位", width: 10 }], [
    [title, null, null],
    ["项目库项目数", r.total.count, "个"],
    ["十四五计划投资", yi(r.total.planned), "亿元"],
    ["截至月份", r.month, null],
    ["规划目标（城镇化重点项目投资）", yiOrNull(r.target), "亿元"],
    ["十四五计划投资占目标", pctNumber(r.plannedShareOfTarget), "%"],
    [`累计完成投资（至 ${r.month}）`, yi(r.total.completedTotal), "亿元"],
    ["累计完成占目标", pctNumber(r.completedShareOfTarget), "%"],
    [`${r.year} 年度计划投资`, yi(r.total.annualPlan), "亿元"],
    [`${r.year} 年累计完成投资（1—${r.monthIndex} 月）`, yi(r.total.completedYtd), "亿元"],
    ["完成年度计划", pctNumber(r.total.ytdShare), "%"],
    ["序时进度", pctNumber(r.scheduleShare), "%"],
    ["序时进度金额", yi(r.scheduleTarget), "亿元"],
    ["进度绩效指数 SPI", r.spi === null ? null : Number(r.spi), null],
    [`${r.month} 当月完成投资`, yi(r.total.completedMonth), "亿元"],
    ["应报月报", r.returns.due, "份"],
    ["已报月报（已报送或已审核）", r.returns.received, "份"],
    ["已审核月报", r.returns.approved, "份"],
    ["红黄灯项目", r.delays.total, "个"],
    [`督办（${r.month} 底前发出）：待答复 / 已答复 / 已办结 / 逾期`, `${r.noticeCounts.OPEN} / ${r.noticeCounts.ANSWERED} / ${r.noticeCounts.CLOSED} / ${r.noticeCounts.overdue}`, "件"],
    ["生成日期", day(r.generatedAt), null],
    ["说明", `金额为 ${r.month} 及以前月份已审核月报合计；督办为 ${r.month} 底前发出的事项，状态与灯色为生成日结果；示例数据仅供演示。`, null],
  ]);
  const breakdownColumns = (first: string) => [
    { header: first, width: 36 },
    { header: "项目数", width: 8 },
    { header: "十四五计划投资（亿元）", width: 18, numFmt: money },
    { header: `${r.year}年度计划（亿元）`, width: 16, numFmt: money },
    { header: "当月完成（亿元）", width: 14, numFmt: money },
    { header: "本年累计完成（亿元）", width: 18, numFmt: money },
    { header: "完成年度计划（%）", width: 14, numFmt: "0.00" },
    { header: "累计完成（亿元）", width: 16, numFmt: money },
  ];
  sheet(workbook, "按专栏", breakdownColumns("专栏"), breakdownRows(t, "column", r.byColumn));
  sheet(workbook, "按区县", breakdownColumns("区县"), breakdownRows(t, "county", r.byCounty));
  sheet(
    workbook,
    "红黄灯项目",
    [{ header: "序号", width: 6 }, { header: "灯色", width: 8 }, { header: "项目名称", width: 44 }, { header: "业主单位", width: 28 }, { header: "区县", width: 16 }, { header: "人工评级", width: 12 }, { header: "偏差（天）", width: 10 }, { header: "较原计划（天）", width: 14 }, { header: "原因", width: 90 }],
    r.delays.rows.map((d, i) => [i + 1, t(`enums.TrafficLight.${d.light}`), d.name, d.owner?.name ?? null, d.counties.join("、"), d.deliveryConfidence ? t(`enums.DeliveryConfidence.${d.deliveryConfidence}`) : null, d.slippageDays, d.slippageOriginalDays, d.reasons.map((x) => lightReasonText(t, x)).join("；")]),
  );
  sheet(
    workbook,
    "督办",
    [{ header: "项目名称", width: 40 }, { header: "责任单位", width: 28 }, { header: "督办事项", width: 50 }, { header: "办理期限", width: 12 }, { header: "状态", width: 10 }, { header: "逾期", width: 6 }, { header: "办理情况", width: 50 }],
    r.notices.map((n) => [n.project.name, n.ownerOrg.name, n.subject, day(n.deadline), t(`enums.SupervisionStatus.${n.status}`), n.overdue ? "是" : null, n.answer]),
  );
  sheet(
    workbook,
    "主要指标",
    [{ header: "序号", width: 6 }, { header: "指标", width: 40 }, { header: "单位", width: 10 }, { header: "2020年", width: 12 }, { header: "2025年目标", width: 14 }, { header: "最新值", width: 12 }, { header: "年份", width: 8 }, { header: "进度（%）", width: 10, numFmt: "0.0" }, { header: "状态", width: 10 }],
    r.indicators.map((ind) => [ind.number, ind.name, ind.unit, ind.baselineText, ind.targetText, ind.latest ? Number(ind.latest.value.toString()) : null, ind.latest?.year ?? null, ind.progress.progressPercent ? ind.progress.progressPercent.toDecimalPlaces(1).toNumber() : null, t(`indicators.statuses.${ind.progress.status}`)]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
