// The one place that writes amounts with their unit and joins UI text with separators, in the
// user's language (docs/decisions/0024-ui-text.md). Units and separators are messages (common.*):
// Chinese "1,945.13 亿元", "A、B", "项目：X"; English "1,945.13 × 100M CNY", "A, B", "Project: X".
// The numbers are the same in both languages (amounts are stored in 万元 = 10k CNY; 亿元 = 100M CNY).
import { type DecimalLike, WAN_PER_YI, formatNumber, toDecimal, wanToYi } from "@/lib/domain/money";

/** A root-level translator: next-intl's useTranslations() or await getTranslations(). */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

export type UiText = {
  /** "4,500.00 亿元" / "4,500.00 × 100M CNY", from an amount in 万元. */
  yi: (wan: DecimalLike, decimals?: number) => string;
  /** "12,345.67 万元" / "12,345.67 × 10k CNY". */
  wan: (wan: DecimalLike, decimals?: number) => string;
  /** The unit a reader expects: 亿元 from 1 亿 upwards, 万元 below. */
  money: (wan: DecimalLike) => string;
  /** "A、B、C" / "A, B, C". */
  list: (items: readonly string[]) => string;
  /** Several statements in one line: "A；B" / "A; B". */
  clauses: (items: readonly string[]) => string;
  /** "Label：" / "Label: " before a value that follows as markup. */
  colon: string;
  /** "Label：value" / "Label: value". */
  labelled: (label: string, value: string) => string;
  /** "（note）" / " (note)". */
  parens: (inner: string | number) => string;
};

export function uiText(t: Translate): UiText {
  const yi = (wan: DecimalLike, decimals = 2) => t("common.amountYi", { amount: formatNumber(wanToYi(wan), decimals) });
  const wan = (value: DecimalLike, decimals = 2) => t("common.amountWan", { amount: formatNumber(value, decimals) });
  return {
    yi,
    wan,
    money: (value) => (toDecimal(value).abs().greaterThanOrEqualTo(WAN_PER_YI) ? yi(value) : wan(value)),
    list: (items) => items.join(t("common.listSeparator")),
    clauses: (items) => items.join(t("common.clauseSeparator")),
    colon: t("common.colon"),
    labelled: (label, value) => t("common.labelled", { label, value }),
    parens: (inner) => t("common.parens", { inner: String(inner) }),
  };
}
