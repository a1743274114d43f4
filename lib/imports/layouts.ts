// The two import layouts (项目登记 and 月报): their Chinese headers (units in the header), which
// reference list each column draws from, and how a header row is recognised. The templates, the
// parser and the error report all read this one definition.
export type ImportKindName = "registry" | "returns";

export type ListName = "county" | "programme" | "sector" | "owner" | "projectType" | "nature" | "stage" | "target" | "fundingSource" | "milestone";

export type ColumnType = "text" | "money" | "date" | "period" | "percent" | "year" | "list";

export interface LayoutColumn {
  /** The field the column feeds (the zod schema's key, or a pair key such as funding.1.source). */
  key: string;
  header: string;
  type: ColumnType;
  list?: ListName;
  /** Needed on every row (else only when creating a project, see the instructions). */
  required?: boolean;
  width: number;
  /** One line for the instructions sheet. */
  hint: string;
}

export const FUNDING_PAIRS = 3;
export const MILESTONE_PAIRS = 2;

export const REGISTRY_SHEET = "项目登记";
export const RETURNS_SHEET = "月报";
export const INSTRUCTIONS_SHEET = "填写说明";
export const LISTS_SHEET = "代码表";
/** The error workbook's extra column (lib/imports/error-workbook.ts); an upload may keep it, it is not read. */
export const ERRORS_HEADER = "错误";

const matchColumns: LayoutColumn[] = [
  { key: "projectCode", header: "项目代码", type: "text", width: 28, hint: "全国投资项目在线审批监管平台的 24 位项目代码，如 2021-520382-48-01-000123；有则优先按它匹配已有项目" },
  { key: "name", header: "项目名称", type: "text", required: true, width: 40, hint: "与项目库中的名称完全一致时，按“名称 + 所在区县”匹配已有项目" },
  { key: "county", header: "所在区县", type: "list", list: "county", required: true, width: 16, hint: "从下拉列表选择；跨区县的项目选“遵义市（市级）”" },
];

export const REGISTRY_COLUMNS: LayoutColumn[] = [
  ...matchColumns,
  { key: "programme", header: "所属子工程", type: "list", list: "programme", width: 34, hint: "新增项目必填：规划专栏下的子工程；已有项目不改变" },
  { key: "sectorCode", header: "行业", type: "list", list: "sector", width: 16, hint: "从下拉列表选择" },
  { key: "owner", header: "业主单位", type: "list", list: "owner", width: 28, hint: "空白表示本单位；项目单位只能导入本单位的项目" },
  { key: "projectType", header: "项目类型", type: "list", list: "projectType", width: 12, hint: "新建 / 改扩建 / 改造提升 / 迁建 / 淘汰关停" },
  { key: "nature", header: "项目性质", type: "list", list: "nature", width: 12, hint: "公益性 / 准公益性 / 经营性" },
  { key: "lifecycleStage", header: "当前阶段", type: "list", list: "stage", width: 10, hint: "新增项目必填：前期 / 在建 / 建成 / 暂停 / 取消" },
  { key: "targetStage2025", header: "2025年目标", type: "list", list: "target", width: 12, hint: "新增项目必填：规划要求 2025 年达到的阶段" },
  { key: "plannedStart", header: "计划开工（年-月-日）", type: "date", width: 18, hint: "日期，如 2025-03-01；也可用 Excel 日期格式" },
  { key: "plannedCompletion", header: "计划竣工（年-月-日）", type: "date", width: 18, hint: "不能早于计划开工" },
  { key: "totalInvestment", header: "总投资（万元）", type: "money", width: 16, hint: "单位万元，最多 4 位小数；也可写“1.2亿”" },
  { key: "plannedInvestment", header: "十四五计划投资（万元）", type: "money", width: 20, hint: "不能大于总投资" },
  { key: "annualPlanYear", header: "计划年度（年）", type: "year", width: 12, hint: "与下一列一起填写，如 2026" },
  { key: "annualPlanAmount", header: "年度计划投资（万元）", type: "money", width: 18, hint: "该年度的计划投资" },
  ...Array.from({ length: FUNDING_PAIRS }, (_, i): LayoutColumn[] => [
    { key: `funding.${i + 1}.source`, header: `资金来源${i + 1}`, type: "list", list: "fundingSource", width: 20, hint: "从下拉列表选择" },
    { key: `funding.${i + 1}.amount`, header: `资金来源${i + 1}计划金额（万元）`, type: "money", width: 22, hint: "该来源的计划资金" },
  ]).flat(),
];

export const RETURNS_COLUMNS: LayoutColumn[] = [
  ...matchColumns,
  { key: "period", header: "填报月份（年-月）", type: "period", required: true, width: 16, hint: "如 2026-10；不能是未来月份" },
  { key: "completedInvestment", header: "本月完成投资（万元）", type: "money", required: true, width: 20, hint: "本月新增完成的投资，不是累计数" },
  { key: "payments", header: "本月支付（万元）", type: "money", width: 16, hint: "本月实际支付" },
  { key: "progressPercent", header: "形象进度（%）", type: "percent", width: 14, hint: "0–100，如 45.5" },
  { key: "progressText", header: "形象进度描述", type: "text", width: 30, hint: "最多 500 字" },
  ...Array.from({ length: FUNDING_PAIRS }, (_, i): LayoutColumn[] => [
    { key: `funds.${i + 1}.source`, header: `到位资金来源${i + 1}`, type: "list", list: "fundingSource", width: 20, hint: "从下拉列表选择" },
    { key: `funds.${i + 1}.amount`, header: `到位资金${i + 1}（万元）`, type: "money", width: 18, hint: "本月到位金额" },
  ]).flat(),
  ...Array.from({ length: MILESTONE_PAIRS }, (_, i): LayoutColumn[] => [
    { key: `milestones.${i + 1}.kind`, header: `达到节点${i + 1}`, type: "list", list: "milestone", width: 14, hint: "本月达到的节点（立项、开工、竣工验收等）" },
    { key: `milestones.${i + 1}.date`, header: `节点${i + 1}日期（年-月-日）`, type: "date", width: 18, hint: "不能晚于本月月末" },
  ]).flat(),
  { key: "overrunNote", header: "超总投资说明", type: "text", width: 24, hint: "累计完成超过总投资时必填" },
  { key: "fundsNote", header: "资金超计划说明", type: "text", width: 24, hint: "某来源累计到位超过计划时必填" },
  { key: "progressNote", header: "进度下降说明", type: "text", width: 24, hint: "形象进度低于上月时必填" },
];

export const LAYOUTS: Record<ImportKindName, { sheet: string; columns: LayoutColumn[] }> = {
  registry: { sheet: REGISTRY_SHEET, columns: REGISTRY_COLUMNS },
  returns: { sheet: RETURNS_SHEET, columns: RETURNS_COLUMNS },
};

/** Header text compared loosely: spaces, asterisks and half/full-width brackets do not matter. */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\s*＊]/g, "")
    .replace(/\(/g, "（")
    .replace(/\)/g, "）")
    .replace(/%/g, "％")
    .toLowerCase();
}

export type HeaderMatch =
  | { ok: true; kind: ImportKindName; columns: { column: LayoutColumn; index: number }[] }
  | { ok: false; missing: string[]; unknown: string[]; kind: ImportKindName | null };

/** Recognises a header row (cell texts, 0-based) as one of the layouts, columns in any order. */
export function matchHeader(cells: string[]): HeaderMatch {
  const seen = cells.map((c) => normalizeHeader(c));
  const failures: { score: number; match: HeaderMatch }[] = [];
  for (const kind of ["returns", "registry"] as const) {
    const columns = LAYOUTS[kind].columns;
    const byHeader = new Map(columns.map((column) => [normalizeHeader(column.header), column]));
    const found: { column: LayoutColumn; index: number }[] = [];
    const unknown: string[] = [];
    seen.forEach((header, index) => {
      if (!header || header === normalizeHeader(ERRORS_HEADER)) return;
      const column = byHeader.get(header);
      if (!column) unknown.push(cells[index]!.trim());
      else if (found.some((f) => f.column === column)) unknown.push(`${column.header}（重复）`);
      else found.push({ column, index });
    });
    const missing = columns.filter((c) => c.required && !found.some((f) => f.column === c)).map((c) => c.header);
    if (missing.length === 0 && unknown.length === 0) return { ok: true, kind, columns: found };
    failures.push({ score: found.length, match: { ok: false, missing, unknown, kind: found.length > 0 ? kind : null } });
  }
  // The layout that knows most of the headers explains the failure best.
  failures.sort((a, b) => b.score - a.score || (a.match.ok ? 0 : a.match.missing.length) - (b.match.ok ? 0 : b.match.missing.length));
  return failures[0]!.match;
}

/** Spreadsheet column letters for a 0-based index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
