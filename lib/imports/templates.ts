// The downloadable .xlsx templates: the data sheet with Chinese headers (units in the header),
// drop-down lists fed from a 代码表 sheet (county, 子工程, sector, stage, funding source ...),
// text format where Excel would otherwise turn 2026-10 into a date, and a 填写说明 sheet.
import ExcelJS from "exceljs";
import { INSTRUCTIONS_SHEET, LAYOUTS, LISTS_SHEET, columnLetter, type ImportKindName, type ListName } from "./layouts";
import type { ReferenceLists } from "./reference";

const LIST_TITLES: Record<ListName, string> = {
  county: "所在区县",
  programme: "所属子工程",
  sector: "行业",
  owner: "业主单位",
  projectType: "项目类型",
  nature: "项目性质",
  stage: "当前阶段",
  target: "2025年目标",
  fundingSource: "资金来源",
  milestone: "节点",
};

const GENERAL_NOTES: Record<ImportKindName, string[]> = {
  registry: [
    "每行一个项目。先按“项目代码”匹配已有项目，没有项目代码时按“项目名称 + 所在区县”完全一致匹配；匹配不到的行新增项目。",
    "已有项目：空白单元格表示不修改该项；只能导入本单位为业主单位的项目。",
    "新增项目：必须填写项目名称、所在区县、所属子工程、当前阶段和 2025年目标。",
    "金额单位为万元（表头已注明），最多 4 位小数；也可以写“1.2亿”。日期写 2025-03-01 或用 Excel 日期格式。",
    "上传后先预览：新增、修改、未变化的行和每一处错误（行号、列、原因）。确认后一次写入，任何一行有错误则一行都不写入。",
    "同一个文件再次导入不会产生任何修改。只读取单元格的值（公式取 Excel 保存时的计算结果），不执行宏。",
  ],
  returns: [
    "每行一个项目一个月的月报。先按“项目代码”匹配项目，没有项目代码时按“项目名称 + 所在区县”完全一致匹配。",
    "项目单位导入的月报与在线填报一样进入“已提交待审核”；审核员导入本辖区项目的月报时直接审核通过（审核人为导入人）。",
    "已审核的月份不能通过导入修改，请使用更正申请；已提交待审核且数据相同的月份视为未变化。",
    "本月完成投资为当月新增数，不是累计数。金额单位为万元，最多 4 位小数；形象进度为 0–100。",
    "校验规则与在线填报相同：累计完成超过总投资、资金到位超过计划、形象进度下降时须填写对应说明。",
    "上传后先预览，确认后一次写入；任何一行有错误则一行都不写入。同一个文件再次导入不会产生任何修改。",
  ],
};

/** A pre-filled cell: text (list cells by their label), a number, a calendar day (UTC midnight) or blank. */
export type TemplateCell = string | number | Date | null;
/** A pre-filled data row, by column key (layouts.ts); absent keys are blank. */
export type TemplateRow = Record<string, TemplateCell | undefined>;

/** The template of `kind`; `rows` pre-fills the data sheet ("下载我的项目"), from row 2 on. */
export async function buildTemplate(kind: ImportKindName, lists: ReferenceLists, rows: TemplateRow[] = []): Promise<Buffer> {
  const layout = LAYOUTS[kind];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "城镇化重点项目库";
  const sheet = workbook.addWorksheet(layout.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  const instructions = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  const codes = workbook.addWorksheet(LISTS_SHEET);
  // exceljs has data validations at run time but not in its types.
  const validations = (sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations;

  // 代码表: one column per list; the data sheet's drop-downs refer to these ranges.
  const used = [...new Set(layout.columns.map((c) => c.list).filter((l): l is ListName => !!l))];
  const ranges = new Map<ListName, string>();
  used.forEach((list, i) => {
    const letter = columnLetter(i);
    const values = lists[list].map((e) => e.label);
    codes.getCell(`${letter}1`).value = LIST_TITLES[list];
    codes.getCell(`${letter}1`).font = { bold: true };
    values.forEach((v, j) => (codes.getCell(`${letter}${j + 2}`).value = v));
    codes.getColumn(i + 1).width = Math.min(40, Math.max(12, ...values.map((v) => v.length * 2)));
    ranges.set(list, `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${Math.max(2, values.length + 1)}`);
  });

  sheet.columns = layout.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle", wrapText: true };
  header.height = 32;
  layout.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: c.required ? "FFFDE68A" : "FFE2E8F0" } };
    cell.note = c.hint;
    const letter = columnLetter(i);
    const range = `${letter}2:${letter}10001`;
    if (c.list) {
      validations.add(range, {
        type: "list", allowBlank: true, formulae: [ranges.get(c.list)!], showErrorMessage: true,
        errorStyle: "stop", errorTitle: "请从列表中选择", error: `“${c.header}”只能填写下拉列表中的值（见“${LISTS_SHEET}”）`,
      });
    } else if (c.type === "money" || c.type === "percent") {
      validations.add(range, {
        type: "decimal", operator: c.type === "percent" ? "between" : "greaterThanOrEqual", allowBlank: true, formulae: c.type === "percent" ? [0, 100] : [0],
        showErrorMessage: true, errorStyle: "warning", errorTitle: "数值", error: c.type === "percent" ? "形象进度为 0–100" : "金额单位为万元，不能为负数",
      });
      sheet.getColumn(i + 1).numFmt = c.type === "percent" ? "0.00" : "#,##0.0000";
    } else if (c.type === "date") {
      sheet.getColumn(i + 1).numFmt = "yyyy-mm-dd";
    } else if (c.type === "period" || c.key === "projectCode") {
      // Text, so Excel keeps 2026-10 and 2021-520382-48-01-000123 as typed.
      sheet.getColumn(i + 1).numFmt = "@";
    }
  });

  for (const row of rows) sheet.addRow(Object.fromEntries(layout.columns.map((c) => [c.key, row[c.key] ?? null])));

  instructions.columns = [{ width: 24 }, { width: 12 }, { width: 90 }];
  instructions.addRow([`${layout.sheet}导入模板 · 填写说明`]).font = { bold: true, size: 14 };
  instructions.addRow([]);
  for (const note of GENERAL_NOTES[kind]) instructions.addRow(["", "", note]).getCell(3).alignment = { wrapText: true };
  instructions.addRow([]);
  instructions.addRow(["列", "必填", "说明"]).font = { bold: true };
  for (const c of layout.columns) instructions.addRow([c.header, c.required ? "是" : "", c.hint]).getCell(3).alignment = { wrapText: true };
  instructions.addRow([]);
  instructions.addRow(["", "", `下拉列表的取值见“${LISTS_SHEET}”工作表。请勿修改表头；列的顺序可以调整，但不能增加其他列。`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
