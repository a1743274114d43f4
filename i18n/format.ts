// The one place that writes amounts with their unit and joins UI text with separators, in the
// user's language (docs/decisions/0024-ui-text.md). Units and separators are messages (common.*):
// Chinese "1,945.13 亿元", "A、B", "项目：X"; English "1,945.13 × 100M CNY", "A, B", "Project: X".
// The numbers are the same in both languages (amounts are stored in 万元 = 10k CNY; 亿元 = 100M CNY).
import { type DecimalLike, WAN_PER_YI, formatNumber, toDecimal, wanToYi } from "@/lib/domain/money";
import { type Translate, type UiSeparators, uiSeparators } from "./text";

export { localName, type Translate } from "./text";

export type UiText = UiSeparators & {
  /** "4,500.00 亿元" / "4,500.00 × 100M CNY", from an amount in 万元. */
  yi: (wan: DecimalLike, decimals?: number) => string;
  /** "12,345.67 万元" / "12,345.67 × 10k CNY". */
  wan: (wan: DecimalLike, decimals?: number) => string;
  /** The unit a reader expects: 亿元 from 1 亿 upwards, 万元 below. */
  money: (wan: DecimalLike) => string;
};

export function uiText(t: Translate): UiText {
  const yi = (wan: DecimalLike, decimals = 2) => t("common.amountYi", { amount: formatNumber(wanToYi(wan), decimals) });
  const wan = (value: DecimalLike, decimals = 2) => t("common.amountWan", { amount: formatNumber(value, decimals) });
  return {
    ...uiSeparators(t),
    yi,
    wan,
    money: (value) => (toDecimal(value).abs().greaterThanOrEqualTo(WAN_PER_YI) ? yi(value) : wan(value)),
  };
}


/**
 * A light's reason as a sentence in the user's language, from its code and numbers only: the
 * engine (lib/domain/traffic-lights.ts) writes no prose, the messages (lightReasons.*) do, so the
 * page, the export and the API cannot tell different stories (docs/decisions/0007-traffic-lights.md).
 */
export function lightReasonText(t: Translate, reason: { code: string; params: object }): string {
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(reason.params)) if (typeof value === "string" || typeof value === "number") params[key] = value;
  if (reason.code === "MILESTONE_LATE" && typeof params.milestone === "string") params.milestone = t(`enums.MilestoneKind.${params.milestone}`);
  return t(`lightReasons.${reason.code}`, params);
}

/** The dimensions a breakdown table groups by. */
export type GroupDimension = "column" | "sector" | "county" | "owner";

/**
 * A breakdown row's label in the user's language: "专栏3 title" / "Column 3 title" for a plan column
 * (key = its number, label = its title), the English name of a sector in English, the stored name
 * otherwise, and "未分类" / "Unclassified" etc. when the row groups projects without one.
 */
export function groupLabel(t: Translate, locale: string, dim: GroupDimension, row: { key: string; label: string; labelEn?: string }): string {
  if (dim === "column") return t("common.columnTitled", { number: row.key, title: row.label });
  const name = locale === "en" && row.labelEn ? row.labelEn : row.label;
  return name || t(`common.noGroup.${dim}`);
}
