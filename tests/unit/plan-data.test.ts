// The plan's project library as the reviewed CSVs define it: counts per column, named projects
// in the right column, programme, county and 2025 target stage, and the 36 indicators.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadPlanData, type ProjectRecord } from "@/prisma/seed/plan-data";
import { hasCjkGap, searchKey } from "@/lib/domain/search-key";

const data = loadPlanData();
const programmeName = new Map(data.programmes.map((p) => [p.programme_key, p.name]));

function project(name: string): ProjectRecord {
  const matches = data.projects.filter((p) => p.name === name);
  expect(matches, name).toHaveLength(1);
  return matches[0]!;
}

function expectProject(name: string, column: number, programme: string, counties: string[], stage: ProjectRecord["target_stage"]) {
  const p = project(name);
  expect({ name, column: p.column_no, programme: programmeName.get(p.programme_key), counties: [...p.counties].sort(), stage: p.target_stage }).toEqual({
    name,
    column,
    programme,
    counties: [...counties].sort(),
    stage,
  });
}

describe("plan library data", () => {
  it("passes the standalone consistency check (phrases quoted exactly from the plan)", () => {
    const output = execFileSync(process.execPath, ["scripts/check-plan-data.mjs"], { encoding: "utf8" });
    expect(output).toContain("OK: plan data is consistent with source.txt");
  });

  it("every source phrase is quoted from the plan and contains its project's name", () => {
    const lines = data.source.split("\n");
    for (const p of data.projects) {
      expect(lines[p.line_no - 1], p.project_key).toContain(p.source_phrase);
      expect(p.source_phrase, p.project_key).toContain(p.name);
    }
  });

  it("has the project count per column the seed file defines, and none in 专栏1-5 or 19", () => {
    const counts: Record<number, number> = {};
    for (const p of data.projects) counts[p.column_no] = (counts[p.column_no] ?? 0) + 1;
    expect(counts).toEqual({ 6: 12, 7: 19, 8: 38, 9: 47, 10: 23, 11: 10, 12: 5, 13: 42, 14: 21, 15: 47, 16: 19, 17: 22, 18: 3 });
    // 307 phrases of the plan; 门急诊楼、老住院楼改扩建工程 names two projects (docs/decisions/0022).
    expect(data.projects).toHaveLength(308);
  });

  it("lists the plan's columns without 专栏4", () => {
    expect(data.columns.map((c) => c.column_no)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(data.columns.filter((c) => c.has_projects).map((c) => c.column_no)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  });

  it("keeps project keys unique", () => {
    expect(new Set(data.projects.map((p) => p.project_key)).size).toBe(data.projects.length);
  });

  it("places named projects of 专栏6-9 correctly", () => {
    expectProject("贵州仁怀经济开发区", 6, "千百亿级园区打造工程", ["520382"], "CONSTRUCT");
    expectProject("贵州苟江（和平）经济开发区", 6, "千百亿级园区打造工程", ["520304"], "CONSTRUCT");
    expectProject("遵义高新技术产业开发区", 6, "千百亿级园区打造工程", ["520300"], "CONSTRUCT");
    expectProject("红花岗区万里路西片区棚户区改造", 7, "保障性住房建设工程", ["520302"], "CONSTRUCT");
    expectProject("遵义市新蒲新区新蒲老街棚户区改造", 7, "保障性住房建设工程", ["XP"], "CONSTRUCT");
    expectProject("2019年苍龙街道公租房", 7, "保障性住房建设工程", ["520382"], "CONSTRUCT");
    expectProject("遵义市湘江河综合治理（二期）", 8, "生态综合治理工程", ["520300"], "CONSTRUCT");
    expectProject("新蒲新区礼仪河综合治理及生态修复（一期）", 8, "生态综合治理工程", ["XP"], "CONSTRUCT");
    expectProject("仁怀市赤水河流域盐津湖环境治理与生态修复", 8, "生态综合治理工程", ["520382"], "CONSTRUCT");
    expectProject("红花岗区小区20所配套幼儿园", 9, "学前教育发展工程", ["520302"], "CONSTRUCT");
    expectProject("红花岗区坪丰中学", 9, "义务教育发展工程", ["520302"], "CONSTRUCT");
    expectProject("务川县特殊教育学校易地新建", 9, "特殊教育发展工程", ["520326"], "RELOCATE");
  });

  it("places named projects of 专栏10-18 correctly", () => {
    expectProject("凤冈县疾控中心整体搬迁", 10, "公共卫生服务体系建设工程", ["520327"], "RELOCATE");
    expectProject("遵义市传染病医院", 10, "市城区医疗服务体系建设工程", ["520300"], "CONSTRUCT");
    expectProject("汇川区妇 幼保健院", 10, "县城区及以下医疗服务体系建设工程", ["520303"], "CONSTRUCT");
    expectProject("桐梓县养护楼", 11, "养老服务体系提升工程", ["520322"], "CONSTRUCT");
    expectProject("余庆县恒爱老年公寓", 11, "养老服务体系提升工程", ["520329"], "CONSTRUCT");
    expectProject("赤水市生态文化体育公园", 12, "体育运动场馆建设工程", ["520381"], "CONSTRUCT");
    expectProject("瓮安至马场坪铁路北延伸线", 13, "铁路", [], "COMPLETE");
    expectProject("遵义动车存车场", 13, "铁路", [], "COMPLETE");
    expectProject("国家电投集团贵州金元绥阳产业有限公司铁路专线", 13, "铁路", ["520323"], "START");
    expectProject("贵州省遵义市观音水库（大型）", 14, "水库建设互点工程", ["520300"], "CONSTRUCT");
    expectProject("遵义市文星水库", 14, "水库建设互点工程", ["520300"], "PREPARE");
    expectProject("务川县500千伏仡源变电站", 15, "电力基础设施建设工程", ["520326"], "CONSTRUCT");
    expectProject("220千伏遵义仁怀北变电站", 15, "电力基础设施建设工程", ["520382"], "CONSTRUCT");
    expectProject("220千伏遵义茶园电厂Ⅱ期-仁怀南变双回线路", 15, "电力基础设施建设工程", ["520382"], "CONSTRUCT");
    expectProject("红花岗区经开区地下综合管廊", 16, "城镇市政基础设施建设重点工程", ["520302"], "CONSTRUCT");
    expectProject("遵义市城市轨道交通1号线", 16, "城镇市政基础设施建设重点工程", ["520300"], "COMPLETE");
    expectProject("遵义市城市轨道交通2号线二期工程", 16, "城镇市政基础设施建设重点工程", ["520300"], "PREPARE");
    expectProject("遵义市5G网络", 17, "5G网络建设工程", ["520300"], "CONSTRUCT");
    expectProject("遵义市高新区新能源汽车充电桩及基础设施", 17, "新能源汽车充电桩建设工程", ["520300"], "CONSTRUCT");
    expectProject("遵义市数字安全大脑", 17, "融合基础设施建设工程", ["520300"], "CONSTRUCT");
    expectProject("遵义市经开区永安创业孵化园", 18, "创业载体建设工程", ["520300"], "CONSTRUCT");
    const column18 = data.projects.filter((p) => p.column_no === 18);
    expect(column18.map((p) => p.name)).toHaveLength(3);
  });

  it("never puts the 新蒲新区 towns in 播州区", () => {
    for (const p of data.projects.filter((p) => /新舟|虾子|喇叭|三渡/.test(p.name))) {
      expect(p.counties, p.name).not.toContain("520304");
    }
    for (const p of data.projects.filter((p) => /茅台/.test(p.name) && p.counties.length === 1)) {
      expect(p.counties, p.name).toEqual(["520382"]);
    }
  });

  it("has the 36 indicators of 专栏1 with their 2020 and 2025 values", () => {
    expect(data.indicators.map((i) => i.number)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    const byNumber = new Map(data.indicators.map((i) => [i.number, i]));
    expect(byNumber.get(1)).toMatchObject({ name: "常住人口城镇化率", unit: "%", baseline2020: "56.69", target2025: "62", targetText: "62左右", comparator: "ABOUT" });
    expect(byNumber.get(10)).toMatchObject({ name: "城镇化投资", unit: "亿元", baseline2020: null, target2025: "4500", cumulative: true });
    expect(byNumber.get(15)).toMatchObject({ unit: "公里", target2025: "1085", cumulative: true });
    expect(byNumber.get(36)).toMatchObject({ baseline2020: "2.53", target2025: "2.5", comparator: "AT_MOST", direction: "DOWN" });
    expect(data.indicators.filter((i) => i.cumulative).map((i) => i.number)).toEqual([5, 10, 12, 13, 14, 15]);
  });
});

/**
 * Rows whose display name cannot contain the whole plan name, with the words it must contain:
 * the two projects of one phrase, and the plan's typo 变电站程 (a truncated 变电站工程).
 */
const DISTINCTIVE_EXCEPTIONS: Record<string, string[]> = {
  "C10-P02-006": ["门急诊楼", "改扩建工程"],
  "C10-P02-007": ["老住院楼", "改扩建工程"],
  "C15-P01-002": ["500千伏遵义习水变电站"],
};

describe("display names (docs/decisions/0022)", () => {
  it("every display name contains its distinctive words from the plan's phrase", () => {
    for (const p of data.projects) {
      const words = DISTINCTIVE_EXCEPTIONS[p.project_key] ?? [p.name];
      for (const word of words) {
        expect(searchKey(p.source_phrase), p.project_key).toContain(searchKey(word));
        expect(searchKey(p.display_name), `${p.project_key} ${p.display_name}`).toContain(searchKey(word));
      }
    }
  });

  it("no display name has whitespace between two CJK characters, and the 9 spaced plan names are cleaned", () => {
    for (const p of data.projects) expect(hasCjkGap(p.display_name), `${p.project_key} ${p.display_name}`).toBe(false);
    const spaced = data.projects.filter((p) => hasCjkGap(p.name));
    expect(spaced).toHaveLength(9);
    expect(hasCjkGap("汇川区妇 幼保健院")).toBe(true);
    const display = new Set(data.projects.map((p) => p.display_name));
    for (const name of ["汇川区妇幼保健院", "道真县人民医院整体搬迁", "习水县第二人民医院", "贵州航天医院急救体系建设", "道真县大沙河输水管线"]) {
      expect(display.has(name), name).toBe(true);
    }
  });

  it("gives the elliptical names a name that stands alone", () => {
    const byKey = new Map(data.projects.map((p) => [p.project_key, p]));
    expect(byKey.get("C16-P01-016")).toMatchObject({ name: "3号线", display_name: "遵义市城市轨道交通3号线" });
    expect(byKey.get("C16-P01-012")).toMatchObject({ name: "2号线一期工程", display_name: "遵义市城市轨道交通2号线一期工程" });
    expect(byKey.get("C13-P03-006")).toMatchObject({ name: "赤水", display_name: "赤水通用航空产业园" });
    expect(byKey.get("C13-P03-004")).toMatchObject({ name: "遵义新舟机场", display_name: "遵义新舟机场临空经济区" });
    expect(byKey.get("C13-P04-003")).toMatchObject({ name: "芙蓉江浩口", display_name: "芙蓉江浩口库区航运工程" });
    expect(byKey.get("C13-P04-005")).toMatchObject({ display_name: "余庆河库区航运工程", counties: ["520329"] });
    // Names and display names are unique across the library.
    expect(new Set(data.projects.map((p) => p.display_name)).size).toBe(data.projects.length);
    // No display name is shorter than 6 characters: "赤水", "播州", "3号线" are gone.
    for (const p of data.projects) expect(p.display_name.length, p.display_name).toBeGreaterThanOrEqual(6);
  });

  it("splits 门急诊楼、老住院楼改扩建工程 into two projects of 贵州航天医院, the original keeping its key", () => {
    const both = data.projects.filter((p) => p.name === "门急诊楼、老住院楼改扩建工程");
    expect(both.map((p) => [p.project_key, p.display_name])).toEqual([
      ["C10-P02-006", "贵州航天医院门急诊楼改扩建工程"],
      ["C10-P02-007", "贵州航天医院老住院楼改扩建工程"],
    ]);
    expect(both[0]!.source_phrase).toBe(both[1]!.source_phrase);
  });

  it("marks a project 区县待确认 exactly when the plan names no county, with the source of every county noted", () => {
    for (const p of data.projects) {
      expect(p.county_pending, p.project_key).toBe(p.counties.length === 0);
      expect(p.county_note, p.project_key).not.toBe("");
    }
    const byKey = new Map(data.projects.map((p) => [p.project_key, p]));
    expect(byKey.get("C13-P04-003")!.county_pending).toBe(true);
    expect(byKey.get("C13-P04-004")!.county_pending).toBe(true);
    expect(byKey.get("C10-P02-006")!.county_note).toMatch(/^knowledge: /);
  });
});
