// The one indicator table (components/indicator-table.tsx): /indicators shows the full row and the
// entry form slot, the printed report the compact row; both show the same figures.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

const t = Object.assign((key: string, values?: Record<string, unknown>) => (values ? `${key}${JSON.stringify(values)}` : key), { rich: (key: string) => key, has: () => true });
vi.mock("next-intl/server", () => ({ getTranslations: async () => t }));

const indicator = {
  id: "i1", number: 7, category: "CategoryX", name: "常住人口城镇化率", unit: "%", baselineText: "57.6", targetText: "65", cumulative: false,
  latest: { year: 2026, value: "61.25", sourceNote: "统计公报", isDemo: false }, values: [{ year: 2026, value: "61.25" }],
  progress: { current: null, progressPercent: "49.4", expectedPercent: "60", status: "BEHIND" },
};

describe("IndicatorTable", () => {
  it("full: category, unit, progress note, status badge and the entry slot", async () => {
    const { IndicatorTable } = await import("@/components/indicator-table");
    const html = renderToStaticMarkup(await IndicatorTable({ indicators: [indicator as never], variant: "full", entry: () => createElement("form", { id: "entry" }) }));
    expect(html).toContain("CategoryX");
    expect(html).toContain("61.25");
    expect(html).toContain("49.4%");
    expect(html).toContain('<form id="entry"></form>');
    expect(html).toContain("indicators.statuses.BEHIND");
  });

  it("report: the compact row without the entry form, same figures", async () => {
    const { IndicatorTable } = await import("@/components/indicator-table");
    const html = renderToStaticMarkup(await IndicatorTable({ indicators: [indicator as never], variant: "report" }));
    expect(html).toContain("61.25 (2026)");
    expect(html).toContain("49.4%");
    expect(html).not.toContain("indicators.enter");
    expect(html).not.toContain("CategoryX");
  });
});
