// The registry import plan as a pure function: matching by code, else name + county; blank
// cells keep existing values; duplicates, ambiguity and code conflicts are errors at their cells.
import { describe, expect, it } from "vitest";
import { permissionsFor } from "@/lib/auth/permissions";
import { REGISTRY_COLUMNS } from "@/lib/imports/layouts";
import type { ParsedFile, RawCell } from "@/lib/imports/read-file";
import { buildLists, lookups } from "@/lib/imports/reference";
import { planRegistryImport, type ExistingProject } from "@/lib/imports/registry-plan";

const lists = lookups(buildLists({
  divisions: [{ code: "520382", name: "仁怀市" }, { code: "520381", name: "赤水市" }],
  programmes: [{ id: "prog", key: "C16-P01", name: "城镇市政基础设施建设重点工程", columnId: "col", columnNumber: 16 }],
  sectors: [{ code: "education", nameZh: "教育" }],
  organizations: [{ id: "org-own", name: "仁怀市人民政府" }, { id: "org-other", name: "遵义市教育局" }],
  fundingSources: [{ code: "OTHER", nameZh: "其他" }],
}));
const programmes = new Map([["C16-P01", { id: "prog", columnId: "col" }]]);
const actor = { permissions: permissionsFor(["OWNER_EDITOR"]), organizationId: "org-own", divisionCode: "520382", organizationName: "仁怀市人民政府" };

function file(rows: Record<string, string | number>[]): ParsedFile {
  const headers = REGISTRY_COLUMNS.map((c) => c.header);
  const cell = (v: string | number | undefined): RawCell => (v === undefined ? { kind: "blank" } : typeof v === "number" ? { kind: "number", value: v, percent: false } : { kind: "text", text: v });
  return {
    format: "xlsx", sheet: "项目登记", kind: "registry",
    columns: REGISTRY_COLUMNS.map((column, index) => ({ column, index })),
    rows: rows.map((r, i) => ({ rowNumber: i + 2, cells: headers.map((h) => cell(r[h])) })),
  };
}

function project(over: Partial<ExistingProject> = {}): ExistingProject {
  return {
    id: "p1", projectCode: null, name: "仁怀市某项目", countyCodes: ["520382"], version: 3, ownerOrgId: "org-own", approval: "ACCEPTED", demoFields: ["totalInvestment"],
    values: { projectCode: null, projectType: null, nature: null, lifecycleStage: "CONSTRUCTION", plannedStart: "2024-01-01", plannedCompletion: "2026-12-31", totalInvestment: "5000", plannedInvestment: "3000", sectorCode: null },
    annualPlans: { "2026": "1000" }, funding: {}, ...over,
  };
}

describe("registry import plan", () => {
  it("leaves blank cells as they are and reports only real changes", () => {
    const plan = planRegistryImport(file([{ 项目名称: "仁怀市某项目", 所在区县: "仁怀市", "总投资（万元）": "5000.0000", "年度计划投资（万元）": 1000, "计划年度（年）": 2026 }]), lists, actor, [project()], programmes);
    expect(plan.errors).toEqual([]);
    expect(plan.rows[0]).toMatchObject({ action: "unchanged", projectId: "p1" });
    const changed = planRegistryImport(file([{ 项目名称: "仁怀市某项目", 所在区县: "仁怀市", "总投资（万元）": "0.6亿" }]), lists, actor, [project()], programmes);
    expect(changed.rows[0]).toMatchObject({ action: "update", changes: { totalInvestment: { from: "5000", to: "6000" } } });
    expect(changed.rows[0]!.update!.changedFields).toEqual(["totalInvestment"]);
  });

  it("checks the registry rules on the merged values (a lower total under the existing 十四五 figure)", () => {
    const plan = planRegistryImport(file([{ 项目名称: "仁怀市某项目", 所在区县: "仁怀市", "总投资（万元）": 2000 }]), lists, actor, [project()], programmes);
    expect(plan.errors).toEqual([{ row: 2, column: "N", header: "十四五计划投资（万元）", message: "validation.plannedAboveTotal", params: undefined }]);
  });

  it("matches by 项目代码 first, and refuses a code that contradicts the name's match", () => {
    const coded = project({ id: "p2", projectCode: "2021-520382-48-01-000001", name: "另一个名字" });
    coded.values = { ...coded.values, projectCode: "2021-520382-48-01-000001" };
    const byCode = planRegistryImport(file([{ 项目代码: "2021-520382-48-01-000001", 项目名称: "改过的名字", 所在区县: "仁怀市" }]), lists, actor, [coded], programmes);
    expect(byCode.rows[0]).toMatchObject({ projectId: "p2", action: "unchanged" });
    const clash = planRegistryImport(file([{ 项目代码: "2021-520382-48-01-000009", 项目名称: "另一个名字", 所在区县: "仁怀市" }]), lists, actor, [coded], programmes);
    expect(clash.errors.map((e) => [e.header, e.message, e.params])).toEqual([["项目代码", "import.error.codeMismatch", { code: "2021-520382-48-01-000001" }]]);
  });

  it("names duplicates, ambiguous names, other owners and missing fields of new projects", () => {
    const twins = [project(), project({ id: "p3" })];
    const ambiguous = planRegistryImport(file([{ 项目名称: "仁怀市某项目", 所在区县: "仁怀市" }]), lists, actor, twins, programmes);
    expect(ambiguous.errors[0]).toMatchObject({ message: "import.error.ambiguous", params: { count: 2 } });
    const plan = planRegistryImport(
      file([
        { 项目名称: "仁怀市某项目", 所在区县: "仁怀市" },
        { 项目名称: "仁怀市某项目", 所在区县: "仁怀市" },
        { 项目名称: "新项目", 所在区县: "赤水市", 当前阶段: "在建" },
        { 项目名称: "别人的", 所在区县: "仁怀市", 业主单位: "遵义市教育局", 所属子工程: "专栏16·城镇市政基础设施建设重点工程", 当前阶段: "前期", "2025年目标": "开工" },
        { 项目名称: "乱填", 所在区县: "火星", 当前阶段: "快完了" },
      ]),
      lists, actor, [project()], programmes,
    );
    expect(plan.errors.map((e) => [e.row, e.header, e.message])).toEqual([
      [3, "项目名称", "import.error.duplicateRow"],
      [4, "所属子工程", "import.error.requiredForNew"],
      [4, "2025年目标", "import.error.requiredForNew"],
      [5, "业主单位", "import.error.otherOrganization"],
      [6, "所在区县", "import.error.notInList"],
      [6, "当前阶段", "import.error.notInList"],
    ]);
  });
});

describe("returns import plan: a pre-filled template's unfilled rows", () => {
  it("skips a row naming a project and month with every figure blank; a row with one figure is checked", async () => {
    const { RETURNS_COLUMNS } = await import("@/lib/imports/layouts");
    const { planReturnsImport } = await import("@/lib/imports/returns-plan");
    const headers = RETURNS_COLUMNS.map((c) => c.header);
    const cell = (v: string | number | undefined): RawCell => (v === undefined ? { kind: "blank" } : typeof v === "number" ? { kind: "number", value: v, percent: false } : { kind: "text", text: v });
    const rows: Record<string, string | number>[] = [
      { 项目名称: "仁怀市某项目", 所在区县: "仁怀市", "填报月份（年-月）": "2026-10" },
      { 项目名称: "仁怀市某项目", 所在区县: "仁怀市", "填报月份（年-月）": "2026-09", "本月支付（万元）": 5 },
    ];
    const parsed: ParsedFile = {
      format: "xlsx", sheet: "月报", kind: "returns",
      columns: RETURNS_COLUMNS.map((column, index) => ({ column, index })),
      rows: rows.map((r, i) => ({ rowNumber: i + 2, cells: headers.map((h) => cell(r[h])) })),
    };
    const projectRow = { id: "p1", projectCode: null, name: "仁怀市某项目", countyCodes: ["520382"], ownerOrgId: "org-own", reviewDivisionCode: "520382", totalInvestment: "5000", plannedFunding: {}, milestones: [], approval: "ACCEPTED" as const };
    const plan = planReturnsImport(parsed, lists, { role: "owner", user: actor }, [projectRow], [], "2026-11");
    expect(plan.skipped).toEqual([2]);
    expect(plan.rows).toEqual([]);
    expect(plan.errors.map((e) => [e.row, e.header, e.message])).toEqual([[3, "本月完成投资（万元）", "validation.required"]]);
  });
});
