import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import { uiText, type Translate } from "@/i18n/format";
import { PLAN } from "@/prisma/data/reference";
import { Decimal, parseMoneyToWan, sumWan, wanToYi, wanToYuanNumber } from "@/lib/domain/money";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

// Amounts with their unit are written by i18n/format.ts from the messages of each language.
const zhText = uiText(createTranslator({ locale: "zh-CN", messages: zh }) as Translate);
const enText = uiText(createTranslator({ locale: "en", messages: en }) as Translate);
const { yi: formatYi, wan: formatWan, money: formatMoney } = zhText;

describe("money in 万元", () => {
  it("the plan's data gives its target 4500亿元 as 45,000,000 万元", () => {
    expect(PLAN.keyInvestmentTargetText).toContain("4500亿元");
    expect(formatYi(PLAN.keyInvestmentTargetWan)).toBe("4,500.00 亿元");
  });

  it("sums exactly where floats would drift", () => {
    expect(sumWan(["0.1", "0.2", null, undefined]).toString()).toBe("0.3");
    expect(sumWan(Array.from({ length: 1000 }, () => "0.0001")).toString()).toBe("0.1");
  });

  it("formats 万元 and 亿元 with separators and half-up rounding", () => {
    expect(formatWan("1234567.125")).toBe("1,234,567.13 万元");
    expect(formatWan("-5.5", 0)).toBe("-6 万元");
    expect(formatYi("12345")).toBe("1.23 亿元");
    expect(wanToYi("25000").toString()).toBe("2.5");
  });

  it("chooses the unit a reader expects", () => {
    expect(formatMoney("9999.99")).toBe("9,999.99 万元");
    expect(formatMoney("10000")).toBe("1.00 亿元");
  });

  it("writes the same figures in English with the unit spelled out", () => {
    expect(enText.yi(PLAN.keyInvestmentTargetWan, 0)).toBe("4,500 × 100M CNY");
    expect(enText.money("9999.99")).toBe("9,999.99 × 10k CNY");
    expect(enText.money("12345")).toBe("1.23 × 100M CNY");
    expect(enText.list(["Honghuagang", "Huichuan"])).toBe("Honghuagang, Huichuan");
    expect(zhText.list(["红花岗区", "汇川区"])).toBe("红花岗区、汇川区");
    expect(enText.labelled("Owner", "X")).toBe("Owner: X");
    expect(enText.parens(3)).toBe(" (3)");
  });

  it("parses amounts as users write them", () => {
    const cases: [string, string][] = [
      ["3500", "3500"],
      ["3,500.5万元", "3500.5"],
      ["1.2亿", "12000"],
      ["1.2亿元", "12000"],
      ["１２３", "123"],
      ["50000元", "5"],
      [" 7 万 ", "7"],
    ];
    for (const [input, wan] of cases) {
      const result = parseMoneyToWan(input);
      expect(result.ok, input).toBe(true);
      if (result.ok) expect(result.wan.equals(new Decimal(wan)), input).toBe(true);
    }
  });

  it("rejects what is not an amount", () => {
    expect(parseMoneyToWan("")).toEqual({ ok: false, error: "empty" });
    expect(parseMoneyToWan("abc")).toEqual({ ok: false, error: "invalid" });
    expect(parseMoneyToWan("1.2.3")).toEqual({ ok: false, error: "invalid" });
    expect(parseMoneyToWan("1.23456")).toEqual({ ok: false, error: "tooManyDecimals" });
    expect(parseMoneyToWan("0.5元")).toEqual({ ok: false, error: "tooManyDecimals" }); // 1元 = 0.0001 万元 is the smallest unit
  });

  it("converts 万元 to whole 元 exactly for exports, and refuses what would round", () => {
    expect(wanToYuanNumber("45000000")).toBe(450_000_000_000); // 4500亿元
    expect(wanToYuanNumber("12345.6789")).toBe(123_456_789);
    expect(wanToYuanNumber("0.0001")).toBe(1);
    expect(wanToYuanNumber(new Decimal("-3.5"))).toBe(-35_000);
    // A float would give 0.1 * 10000 * 3 = 3000.0000000000005; the Decimal path does not.
    expect(wanToYuanNumber(sumWan(["0.1", "0.1", "0.1"]))).toBe(3_000);
    expect(() => wanToYuanNumber("0.00001")).toThrow(RangeError);
    expect(() => wanToYuanNumber("99999999999999.9999")).toThrow(RangeError); // Decimal(18,4) max, past 2^53 元
  });
});
