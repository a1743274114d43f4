// Money is stored as Decimal in 万元 (docs/decisions/0003-money-in-wan-yuan.md). These helpers
// parse what users type ("1.2亿", "3500万", "3,500") and format 万元/亿元 for display, without
// ever passing an amount through a JS float.
import Decimal from "decimal.js";

export { Decimal };

/** 1 亿元 = 10,000 万元. */
export const WAN_PER_YI = new Decimal(10_000);

export type DecimalLike = Decimal | string | number | { toString(): string };

export function toDecimal(value: DecimalLike): Decimal {
  return value instanceof Decimal ? value : new Decimal(value.toString());
}

export function wanToYi(wan: DecimalLike): Decimal {
  return toDecimal(wan).dividedBy(WAN_PER_YI);
}

/** 1 万元 = 10,000 元. */
export const YUAN_PER_WAN = new Decimal(10_000);

/**
 * An amount in 万元 as whole 元 for an export that wants a JSON number in CNY (OC4IDS Value).
 * Exact: 4 decimals of 万元 are whole 元, and a whole number below 2^53 is a double without
 * rounding; anything finer or larger throws rather than publish a rounded figure.
 */
export function wanToYuanNumber(wan: DecimalLike): number {
  const yuan = toDecimal(wan).times(YUAN_PER_WAN);
  if (!yuan.isInteger()) throw new RangeError(`${toDecimal(wan).toString()} (in 10k CNY) is not a whole number of yuan`);
  if (yuan.abs().greaterThan(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${yuan.toFixed()} yuan is beyond exact JSON numbers`);
  return Number(yuan.toFixed(0));
}

export function sumWan(values: Iterable<DecimalLike | null | undefined>): Decimal {
  let total = new Decimal(0);
  for (const value of values) if (value !== null && value !== undefined) total = total.plus(toDecimal(value));
  return total;
}

function group(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Formats with thousands separators and a fixed number of decimals (half-up). */
export function formatNumber(value: DecimalLike, decimals: number): string {
  const fixed = toDecimal(value).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals);
  const negative = fixed.startsWith("-");
  const [integer, fraction] = (negative ? fixed.slice(1) : fixed).split(".");
  return `${negative ? "-" : ""}${group(integer ?? "0")}${fraction ? `.${fraction}` : ""}`;
}

// Amounts with their unit (亿元/万元, 100M CNY/10k CNY) are written by uiText() in i18n/format.ts.

/**
 * The largest amount anyone may enter, in 万元: 10万亿元, far above any single project (the whole
 * plan is 4500亿) and far below what the database columns hold (DECIMAL(18,4) per amount,
 * DECIMAL(20,4) for the portfolio's sums), so sums of a million projects cannot overflow either.
 */
export const MAX_AMOUNT_WAN = new Decimal(1_000_000_000);

export type ParseMoneyResult = { ok: true; wan: Decimal } | { ok: false; error: "empty" | "invalid" | "tooManyDecimals" | "tooLarge" };

/**
 * Parses an amount as users write it. A bare number is 万元; "亿"/"亿元" and "万"/"万元" suffixes
 * are honoured; full-width digits, commas and spaces are accepted. At most 4 decimals in 万元.
 */
export function parseMoneyToWan(input: string): ParseMoneyResult {
  const normalized = input
    .replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[,，\s]/g, "");
  if (normalized === "") return { ok: false, error: "empty" };
  const match = /^(-?\d+(?:\.\d+)?)(亿元?|万元?|元)?$/.exec(normalized);
  if (!match?.[1]) return { ok: false, error: "invalid" };
  let wan = new Decimal(match[1]);
  /* eslint-disable no-restricted-syntax -- the units users type (亿/万/元) are input grammar, not UI text */
  const unit = match[2] ?? "万";
  if (unit.startsWith("亿")) wan = wan.times(WAN_PER_YI);
  else if (unit === "元") wan = wan.dividedBy(WAN_PER_YI);
  /* eslint-enable no-restricted-syntax */
  if (wan.decimalPlaces() > 4) return { ok: false, error: "tooManyDecimals" };
  if (wan.abs().greaterThan(MAX_AMOUNT_WAN)) return { ok: false, error: "tooLarge" };
  return { ok: true, wan };
}
