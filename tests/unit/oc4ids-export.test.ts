// The OC4IDS mapping on a realistic hand-made portfolio, validated against the official 0.9.5
// package schema: codes from the codelists, exact 元 amounts, milestones, audit-log changes as
// modifications, owner units as parties, counties as locations, and demo values marked.
import { describe, expect, it } from "vitest";
import { Decimal } from "@/lib/domain/money";
import { OC4IDS_MILESTONE, OC4IDS_MILESTONE_STATUS, OC4IDS_PROJECT_STATUS, OC4IDS_PROJECT_TYPE, PROJECT_TYPE_FROM_OC4IDS } from "@/lib/domain/project-codes";
import {
  OC4IDS_ID_PREFIX,
  oc4idsDocuments,
  oc4idsModifications,
  oc4idsPackage,
  oc4idsPackageFrame,
  oc4idsProject,
  oc4idsUpdated,
  type Oc4idsPackage,
  type Oc4idsProject,
  type Oc4idsProjectSource,
} from "@/lib/export/oc4ids";
import { codelist, describeErrors, oc4idsValidators } from "@/tests/helpers/oc4ids-schema";

const { validatePackage, validateDefinition } = oc4idsValidators();

const renhuai = { code: "520382", gbCode: "520382", name: "仁怀市", kind: "COUNTY_CITY" as const };
const city = { code: "520300", gbCode: "520300", name: "遵义市（市级）", kind: "CITY" as const };
const xinpu = { code: "XP", gbCode: null, name: "新蒲新区", kind: "NEW_DISTRICT" as const };
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const at = (iso: string) => new Date(iso);

const base = {
  projectCode: null,
  sectorCode: null,
  projectType: null,
  plannedStart: null,
  plannedCompletion: null,
  totalInvestment: null,
  plannedInvestment: null,
  demoFields: [],
  plan: { title: "遵义市“十四五”新型城镇化发展规划" },
  ownerOrg: null,
  locations: [],
  fundingPlans: [],
  annualPlans: [],
  milestones: [],
  auditEvents: [],
} satisfies Partial<Oc4idsProjectSource>;

/** A project under construction with everything filled in: demo figures, edited once by its owner unit. */
const hospital: Oc4idsProjectSource = {
  ...base,
  id: "7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6",
  planKey: "C10-P02-003",
  projectCode: "2021-520382-84-01-000123",
  name: "仁怀市人民医院门急诊楼",
  sourcePhrase: "建成仁怀市人民医院门急诊楼",
  sectorCode: "health",
  projectType: "NEW_BUILD",
  lifecycleStage: "CONSTRUCTION",
  plannedStart: day("2022-03-01"),
  plannedCompletion: day("2025-06-28"),
  totalInvestment: new Decimal("250000.1234"),
  plannedInvestment: new Decimal("180000.5"),
  demoFields: ["plannedStart", "plannedCompletion", "nature", "deliveryConfidence", "lifecycleStage", "ownerOrgId"],
  updatedAt: at("2026-10-02T08:00:00.000Z"),
  column: { number: 10, title: "卫生健康重点工程" },
  programme: { name: "医疗服务能力提升工程" },
  ownerOrg: { id: "0c7d1f5e-0000-4000-8000-000000000001", name: "仁怀市人民政府", isDemo: false, division: renhuai },
  locations: [{ division: renhuai }, { division: city }],
  fundingPlans: [
    { sourceCode: "SPECIAL_BOND", amount: "100000.1234", isDemo: true, source: { nameZh: "地方政府专项债券", nameEn: "Local government special bonds", sortOrder: 2 } },
    { sourceCode: "LOCAL_FISCAL", amount: "150000", isDemo: true, source: { nameZh: "地方财政资金", nameEn: "Local government budget", sortOrder: 0 } },
  ],
  annualPlans: [
    { year: 2023, amount: "90000.5", isDemo: true },
    { year: 2022, amount: "90000", isDemo: true },
    { year: 2026, amount: "69999.6234", isDemo: true },
  ],
  milestones: [
    { kind: "START", baselineDate: day("2022-03-15"), forecastDate: null, actualDate: day("2022-04-20"), status: "MET", isDemo: true, updatedAt: at("2022-04-21T02:00:00Z") },
    { kind: "APPROVAL", baselineDate: day("2020-09-15"), forecastDate: null, actualDate: day("2020-09-18"), status: "MET", isDemo: true, updatedAt: at("2020-09-19T02:00:00Z") },
    { kind: "MAIN_WORKS_DONE", baselineDate: day("2025-02-15"), forecastDate: day("2026-12-15"), actualDate: null, status: "NOT_MET", isDemo: true, updatedAt: at("2026-09-01T02:00:00Z") },
    { kind: "IN_SERVICE", baselineDate: day("2025-08-15"), forecastDate: day("2027-03-15"), actualDate: null, status: "SCHEDULED", isDemo: true, updatedAt: at("2026-09-01T02:00:00Z") },
    { kind: "ACCEPTANCE", baselineDate: null, forecastDate: day("2027-01-15"), actualDate: null, status: "PARTIALLY_MET", isDemo: false, updatedAt: at("2026-09-01T02:00:00Z") },
  ],
  auditEvents: [
    {
      seq: 412n,
      at: at("2026-11-02T03:04:05.678Z"),
      action: "project.update",
      details: {
        fields: ["projectCode", "lifecycleStage", "plannedCompletion", "totalInvestment", "plannedInvestment"],
        before: { projectCode: null, lifecycleStage: "PREPARATION", plannedCompletion: "2024-12-28", totalInvestment: "200000", plannedInvestment: "150000" },
        after: { projectCode: "2021-520382-84-01-000123", lifecycleStage: "CONSTRUCTION", plannedCompletion: "2025-06-28", totalInvestment: "250000.1234", plannedInvestment: "180000.5" },
        fromVersion: 1,
        reason: "初设批复调增概算",
      },
    },
    { seq: 97n, at: at("2026-03-01T00:00:00.000Z"), action: "project.rate", details: { rating: "AMBER" } },
  ],
};

/** A plan project nobody has reported on yet: only the plan's own facts. */
const bareProject: Oc4idsProjectSource = {
  ...base,
  id: "a1b2c3d4-0000-4000-8000-000000000002",
  planKey: "C06-P01-001",
  name: "遵义经济技术开发区",
  sourcePhrase: "推动遵义经济技术开发区提质升级",
  lifecycleStage: "PREPARATION",
  updatedAt: at("2026-01-05T00:00:00.000Z"),
  column: { number: 6, title: "城市发展平台" },
  programme: { name: "开发区" },
};

/** Added after the plan (no plan key), suspended, in 新蒲新区 which has no GB/T 2260 code. */
const suspended: Oc4idsProjectSource = {
  ...base,
  id: "b2c3d4e5-0000-4000-8000-000000000003",
  planKey: null,
  name: "新蒲新区综合管廊二期",
  sourcePhrase: "新蒲新区综合管廊二期",
  sectorCode: "waterAndWaste",
  projectType: "EXPANSION",
  lifecycleStage: "SUSPENDED",
  plannedInvestment: "3500",
  updatedAt: at("2026-05-05T00:00:00.000Z"),
  column: { number: 12, title: "市政设施" },
  programme: { name: "综合管廊" },
  locations: [{ division: xinpu }],
};

/** Finished: completion comes from the actual 竣工验收 date; everything here is real data. */
const completed: Oc4idsProjectSource = {
  ...base,
  id: "c3d4e5f6-0000-4000-8000-000000000004",
  planKey: "C07-P03-010",
  name: "习水县第三中学",
  sourcePhrase: "建成习水县第三中学",
  sectorCode: "education",
  projectType: "RELOCATION",
  lifecycleStage: "COMPLETED",
  plannedStart: day("2021-02-01"),
  plannedCompletion: day("2023-08-28"),
  totalInvestment: "12000",
  plannedInvestment: "12000",
  updatedAt: at("2024-01-10T00:00:00.000Z"),
  column: { number: 7, title: "教育" },
  programme: { name: "普通高中" },
  ownerOrg: { id: "0c7d1f5e-0000-4000-8000-000000000005", name: "习水县人民政府", isDemo: false, division: { code: "520330", gbCode: "520330", name: "习水县", kind: "COUNTY" } },
  locations: [{ division: { code: "520330", gbCode: "520330", name: "习水县", kind: "COUNTY" } }],
  annualPlans: [{ year: 2021, amount: "5000", isDemo: false }, { year: 2022, amount: "7000", isDemo: false }],
  milestones: [
    { kind: "ACCEPTANCE", baselineDate: day("2023-08-15"), forecastDate: null, actualDate: day("2023-09-05"), status: "MET", isDemo: false, updatedAt: at("2023-09-06T00:00:00Z") },
  ],
};

const sources = [hospital, bareProject, suspended, completed];
const projects = sources.map(oc4idsProject);
const pkg: Oc4idsPackage = oc4idsPackage(
  { uri: "https://xmk.zunyi.example/api/oc4ids", publisher: { name: "遵义市新型城镇化工作领导小组办公室", uri: "https://xmk.zunyi.example/" }, now: at("2026-11-29T00:00:00Z") },
  projects,
);
const [h, bare, paused, done] = projects as [Oc4idsProject, Oc4idsProject, Oc4idsProject, Oc4idsProject];

/** Resolves a dotted path ("budget.amount") in an object. */
function at_(value: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);
}

describe("OC4IDS package", () => {
  it("validates against the official project package schema (draft-04)", () => {
    const valid = validatePackage(JSON.parse(JSON.stringify(pkg)));
    expect(valid, describeErrors(validatePackage.errors)).toBe(true);
    expect(pkg.version).toBe("0.9");
    expect(pkg.publishedDate).toBe("2026-11-02T03:04:05.678Z"); // the latest change in the package
  });

  it("streamed (head, projects one by one, tail) is byte for byte the package serialized whole", () => {
    const frame = oc4idsPackageFrame({ uri: pkg.uri, publisher: pkg.publisher, publishedDate: new Date(pkg.publishedDate) });
    const streamed = frame.head + projects.map((p) => JSON.stringify(p)).join(frame.separator) + frame.tail;
    expect(streamed).toBe(JSON.stringify(pkg));
    // The publishedDate read before the projects (oc4idsUpdated per project) is the package's.
    const latest = new Date(Math.max(...sources.map((s) => oc4idsUpdated(s).getTime())));
    expect(latest.toISOString()).toBe(pkg.publishedDate);
  });

  it("is checked for real: a status outside the closed codelist or a malformed date fails", () => {
    const broken = JSON.parse(JSON.stringify(pkg)) as Oc4idsPackage;
    broken.projects[0]!.status = "suspended";
    broken.projects[0]!.milestones![0]!.dueDate = "2022-03-15";
    expect(validatePackage(broken)).toBe(false);
    const paths = (validatePackage.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain("/projects/0/status");
    expect(paths).toContain("/projects/0/milestones/0/dueDate");
    const empty = { ...JSON.parse(JSON.stringify(pkg)), projects: [] };
    expect(validatePackage(empty)).toBe(false); // a package holds at least one project
  });

  it("gives every project a stable, unique id under the oc4ids-zunyi- prefix", () => {
    expect(projects.map((p) => p.id)).toEqual([
      "oc4ids-zunyi-C10-P02-003",
      "oc4ids-zunyi-C06-P01-001",
      `${OC4IDS_ID_PREFIX}b2c3d4e5-0000-4000-8000-000000000003`,
      "oc4ids-zunyi-C07-P03-010",
    ]);
    expect(h.identifiers).toEqual([
      { id: hospital.id, scheme: "zunyi-project-library" },
      { id: "C10-P02-003", scheme: "zunyi-urbanization-plan-2021-2025" },
      { id: "2021-520382-84-01-000123", scheme: "CN-national-investment-project-code" },
    ]);
    expect(oc4idsProject(hospital)).toEqual(h); // pure: same rows, same project
  });

  it("takes status, type and sector from the codelists", () => {
    expect([h.status, bare.status, paused.status, done.status]).toEqual(["implementation", "preparation", undefined, "completion"]);
    expect(paused.description).toContain("暂停");
    expect([h.type, bare.type, paused.type, done.type]).toEqual(["construction", undefined, "expansion", "replacement"]);
    expect(h.sector).toEqual(["health"]);
    expect(bare.sector).toBeUndefined();
    const sectors = codelist("projectSector");
    for (const p of projects) for (const s of p.sector ?? []) expect(sectors.has(s), s).toBe(true);
  });

  it("publishes budgets in whole 元, converted exactly from 万元, with breakdowns by source and by year", () => {
    expect(h.budget?.amount).toEqual({ amount: 2_500_001_234, currency: "CNY" });
    const [bySource, byYear] = h.budget!.budgetBreakdowns!;
    expect(bySource!.id).toBe("fundingSource");
    expect(bySource!.budgetBreakdown.map((b) => [b.id, b.amount.amount])).toEqual([
      ["LOCAL_FISCAL", 1_500_000_000],
      ["SPECIAL_BOND", 1_000_001_234],
    ]);
    expect(byYear!.id).toBe("annualPlan");
    expect(byYear!.budgetBreakdown.map((b) => [b.id, b.amount.amount, b.period?.startDate])).toEqual([
      ["2022", 900_000_000, "2022-01-01T00:00:00+08:00"],
      ["2023", 900_005_000, "2023-01-01T00:00:00+08:00"],
      ["2026", 699_996_234, "2026-01-01T00:00:00+08:00"],
    ]);
    const sum = (rows: { amount: { amount: number } }[]) => rows.reduce((a, b) => a + b.amount.amount, 0);
    expect(sum(bySource!.budgetBreakdown)).toBe(h.budget!.amount!.amount);
    expect(sum(byYear!.budgetBreakdown)).toBe(h.budget!.amount!.amount);
    expect(h.budget?.description).toContain("180000.5 万元");
    expect(paused.budget).toEqual({ description: expect.stringContaining("3500 万元") }); // 十四五 only: no total to publish
    expect(bare.budget).toBeUndefined();
  });

  it("maps milestones to OC4IDS types, codes and statuses, in the order of the project's life", () => {
    expect(h.milestones!.map((m) => [m.id, m.type, m.code, m.status])).toEqual([
      ["APPROVAL", "approval", "projectApproval", "met"],
      ["START", "delivery", "commencement", "met"],
      ["MAIN_WORKS_DONE", "delivery", "completion", "notMet"],
      ["ACCEPTANCE", "delivery", "commissioning", "partiallyMet"],
      ["IN_SERVICE", "delivery", undefined, "scheduled"],
    ]);
    const start = h.milestones![1]!;
    expect(start).toMatchObject({ title: "开工", dueDate: "2022-03-15T00:00:00+08:00", dateMet: "2022-04-20T00:00:00+08:00", dateModified: "2022-04-21T02:00:00.000Z" });
    const late = h.milestones![2]!;
    expect(late).toMatchObject({ dueDate: "2025-02-15T00:00:00+08:00", forecastDate: "2026-12-15T00:00:00+08:00" });
    expect(late.dateMet).toBeUndefined();
    expect(h.milestones![3]!.dueDate).toBe("2027-01-15T00:00:00+08:00"); // no baseline: the forecast is what is due
    const types = codelist("milestoneType");
    const codes = codelist("milestoneCode");
    for (const { type, code } of Object.values(OC4IDS_MILESTONE)) {
      expect(types.has(type), type).toBe(true);
      if (code) expect(codes.has(code), code).toBe(true);
    }
    expect(done.completion).toEqual({ endDate: "2023-09-05T23:59:59+08:00", endDateDetails: "竣工验收实际日期" });
    expect(h.completion).toBeUndefined();
  });

  it("turns the project's audit history into modifications, oldest first, each valid as an OC4IDS Modification", () => {
    const mods = h.modifications!;
    expect(mods.map((m) => [m.id, m.type])).toEqual([
      ["audit-97", undefined],
      ["audit-412-value", "value"],
      ["audit-412-duration", "duration"],
      ["audit-412", undefined],
    ]);
    expect(mods[1]).toMatchObject({
      date: "2026-11-02T03:04:05.678Z",
      rationale: "初设批复调增概算",
      oldContractValue: { amount: 2_000_000_000, currency: "CNY" },
      newContractValue: { amount: 2_500_001_234, currency: "CNY" },
    });
    expect(mods[1]!.description).toContain("十四五计划投资（万元）：150000 → 180000.5");
    expect(mods[2]).toMatchObject({ oldContractPeriod: { endDate: "2024-12-28T23:59:59+08:00" }, newContractPeriod: { endDate: "2025-06-28T23:59:59+08:00" } });
    expect(mods[3]!.description).toBe("项目代码：（空） → 2021-520382-84-01-000123；当前阶段：前期 → 在建");
    expect(mods[0]!.description).toContain("project.rate");
    const types = codelist("modificationType");
    for (const m of mods) {
      expect(validateDefinition("Modification", JSON.parse(JSON.stringify(m))), m.id).toEqual([]);
      if (m.type) expect(types.has(m.type)).toBe(true);
    }
    expect(bare.modifications).toBeUndefined();
  });

  it("keeps an odd amount in an old audit row in the description instead of failing the export", () => {
    const [odd] = oc4idsModifications([
      { seq: "5", at: at("2026-01-01T00:00:00Z"), action: "project.update", details: { before: { totalInvestment: 1200 }, after: { totalInvestment: "1.23456" } } },
    ]);
    expect(odd).toEqual({ id: "audit-5-value", date: "2026-01-01T00:00:00.000Z", type: "value", description: "总投资（万元）：1200 → 1.23456" });
  });

  it("lists the owner unit as the public authority party and the counties as locations", () => {
    expect(h.publicAuthority).toEqual({ id: hospital.ownerOrg!.id, name: "仁怀市人民政府" });
    expect(h.parties).toEqual([
      { id: hospital.ownerOrg!.id, name: "仁怀市人民政府", roles: ["publicAuthority"], address: { countryName: "中国", region: "贵州省", locality: "仁怀市" }, isDemo: true },
    ]);
    expect(codelist("partyRole").has("publicAuthority")).toBe(true);
    expect(bare.parties).toBeUndefined();
    expect(h.locations).toEqual([
      { id: "520382", description: "贵州省遵义市仁怀市", gazetteer: { scheme: "GBT2260", identifiers: ["520382"] }, address: { countryName: "中国", region: "贵州省", locality: "仁怀市" } },
      { id: "520300", description: "贵州省遵义市（市级，不限于单一区县）", gazetteer: { scheme: "GBT2260", identifiers: ["520300"] }, address: { countryName: "中国", region: "贵州省", locality: "遵义市" } },
    ]);
    expect(paused.locations).toEqual([{ id: "XP", description: "贵州省遵义市新蒲新区", address: { countryName: "中国", region: "贵州省", locality: "新蒲新区" } }]);
  });

  it("marks demo values: demoFields names the paths, demo items carry isDemo, the description says so", () => {
    expect(h.demoFields).toEqual(["budget.budgetBreakdowns", "milestones", "parties", "period", "publicAuthority", "status"]);
    for (const dotted of h.demoFields!) expect(at_(h, dotted), dotted).toBeDefined();
    expect(h.budget!.budgetBreakdowns!.flatMap((b) => b.budgetBreakdown).every((b) => b.isDemo)).toBe(true);
    expect(h.milestones!.filter((m) => m.isDemo).map((m) => m.id)).toEqual(["APPROVAL", "START", "MAIN_WORKS_DONE", "IN_SERVICE"]);
    expect(h.description).toContain("示例数据：本项目的计划开工、计划竣工、当前阶段、业主单位、年度计划投资、资金来源计划、里程碑是系统生成的演示数据");
    expect(h.description).not.toContain("交付信心"); // not in the export, so not named
    expect(h.period).toEqual({ startDate: "2022-03-01T00:00:00+08:00", endDate: "2025-06-28T23:59:59+08:00", durationInDays: 1216 });
    for (const real of [bare, paused, done]) {
      expect(real.demoFields, real.id).toBeUndefined();
      expect(real.description).not.toContain("示例数据");
      expect(JSON.stringify(real)).not.toContain('"isDemo"');
    }
  });
});

describe("plan hierarchy and evidence", () => {
  it("names the 子工程 and 专栏 as relatedProjects when the 子工程's code is known", () => {
    const withKey = oc4idsProject({ ...hospital, programme: { ...hospital.programme, key: "C10-P02" } });
    expect(withKey.relatedProjects).toEqual([
      { id: "planProgramme", scheme: "zunyi-urbanization-plan-2021-2025", identifier: "C10-P02", relationship: "planProgramme", title: "子工程 医疗服务能力提升工程" },
      { id: "planColumn", scheme: "zunyi-urbanization-plan-2021-2025", identifier: "C10", relationship: "planColumn", title: "专栏10 卫生健康重点工程" },
    ]);
    expect(oc4idsProject(hospital).relatedProjects).toBeUndefined();
    const { validateDefinition } = oc4idsValidators();
    for (const related of withKey.relatedProjects!) expect(validateDefinition("RelatedProject", related)).toEqual([]);
  });

  it("publishes evidence oldest month first, each a valid Document with its SHA-256", () => {
    const file = (id: string, month: string, approvedAt: Date | null) => ({
      id, fileName: `${id}.pdf`, mimeType: "application/pdf", sha256: "a".repeat(64), createdAt: at(`${month}-20T02:00:00.000Z`), period: day(`${month}-01`), approvedAt,
      url: `https://example.org/api/attachments/${id}`,
    });
    const documents = oc4idsDocuments([file("b", "2026-09", null), file("a", "2026-08", at("2026-09-05T01:00:00.000Z"))]);
    expect(documents.map((d) => d.id)).toEqual(["a", "b"]);
    expect(documents[0]).toMatchObject({ documentType: "physicalProgressReport", datePublished: "2026-09-05T01:00:00.000Z", sha256: "a".repeat(64), language: "zh" });
    expect(documents[1]!.datePublished).toBe("2026-09-20T02:00:00.000Z");
    expect(documents[0]!.description).toContain("2026-08");
    const { validateDefinition } = oc4idsValidators();
    for (const d of documents) expect(validateDefinition("Document", d)).toEqual([]);
    expect(oc4idsProject({ ...hospital, evidence: [file("a", "2026-08", null)] }).documents).toHaveLength(1);
    expect(oc4idsProject(hospital).documents).toBeUndefined();
  });
});

describe("project codes", () => {
  it("every mapped code is in its official codelist, and project types round-trip", () => {
    const statuses = codelist("projectStatus");
    for (const code of Object.values(OC4IDS_PROJECT_STATUS)) if (code) expect(statuses.has(code), code).toBe(true);
    const types = codelist("projectType");
    expect(new Set(Object.values(OC4IDS_PROJECT_TYPE))).toEqual(types);
    for (const [type, code] of Object.entries(OC4IDS_PROJECT_TYPE)) expect(PROJECT_TYPE_FROM_OC4IDS[code]).toBe(type);
    expect(new Set(Object.values(OC4IDS_MILESTONE_STATUS))).toEqual(codelist("milestoneStatus"));
  });
});
