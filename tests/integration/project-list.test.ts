// The project library table's data layer on a real, seeded database: scoping, totals against a
// hand-written SQL sum, sorting, and the .xlsx/.csv export read back.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
const { query: sqlQuery, sqlOne } = sqlOn(() => db.url);
let prisma: typeof import("@/lib/db").prisma;
let projects: typeof import("@/lib/data/projects");
let exporter: typeof import("@/lib/export/projects");
let parse: typeof import("@/lib/validations/project-list").parseProjectListParams;

function query(params: Record<string, string>) {
  const result = parse(params);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.query;
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  projects = await import("@/lib/data/projects");
  exporter = await import("@/lib/export/projects");
  parse = (await import("@/lib/validations/project-list")).parseProjectListParams;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("project list", () => {
  it("totals equal a hand-written SQL sum for a county and column filter", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const result = await projects.listProjects(leader, query({ county: "520382", column: "9,10" }));
    const expected = await sqlOne<{ count: string; planned: string; total: string }>(
      `SELECT count(*) AS count, coalesce(sum(p."plannedInvestment"), 0)::text AS planned, coalesce(sum(p."totalInvestment"), 0)::text AS total
         FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId"
        WHERE c.number IN (9, 10) AND EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382')`,
    );
    const completed = await sqlOne<{ sum: string }>(
      `SELECT coalesce(sum(r."completedInvestment"), 0)::text AS sum FROM "MonthlyReturn" r JOIN "Project" p ON p.id = r."projectId"
         JOIN "PlanColumn" c ON c.id = p."columnId"
        WHERE r.status = 'APPROVED' AND c.number IN (9, 10)
          AND EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382')`,
    );
    expect(result.totals.count).toBe(Number(expected.count));
    expect(Number(result.totals.plannedInvestment)).toBe(Number(expected.planned));
    expect(Number(result.totals.totalInvestment)).toBe(Number(expected.total));
    expect(Number(result.totals.completedInvestment)).toBe(Number(completed.sum));
    expect(result.totals.count).toBeGreaterThan(0);
  });

  it("an owner unit sees only its own organization's projects", async () => {
    const owner = await actor(["OWNER_EDITOR"], "仁怀市人民政府");
    const result = await projects.listProjects(owner, query({ perPage: "100" }));
    const own = await prisma.project.count({ where: { ownerOrgId: owner.organizationId } });
    expect(result.total).toBe(own);
    expect(result.rows.every((r) => r.ownerOrg?.name === "仁怀市人民政府")).toBe(true);
    const other = await prisma.project.findFirstOrThrow({ where: { NOT: { ownerOrgId: owner.organizationId } } });
    expect(await projects.getProject(owner, other.id)).toBeNull();
  });

  it("administrators are refused in the data layer", async () => {
    const admin = await actor(["SYSTEM_ADMIN"]);
    await expect(projects.listProjects(admin, query({}))).rejects.toThrow(/permission denied/);
  });

  it("sorts by budget descending with missing budgets last", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const result = await projects.listProjects(leader, query({ sort: "plannedInvestment.desc", perPage: "100" }));
    const values = result.rows.map((r) => Number(r.plannedInvestment));
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it("each filter selects the same projects as the equivalent Prisma query", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const some = await prisma.project.findFirstOrThrow({ where: { ownerOrgId: { not: null }, sectorCode: { not: null } }, orderBy: { planKey: "asc" } });
    const programme = await prisma.programme.findUniqueOrThrow({ where: { id: some.programmeId } });
    // The stored lights, as the table computes them before a light filter.
    await (await import("@/lib/portfolio/lights")).refreshTrafficLights();
    const cases: [Record<string, string>, object][] = [
      [{ programme: programme.key }, { programme: { key: programme.key } }],
      [{ sector: some.sectorCode! }, { sectorCode: some.sectorCode }],
      [{ stage: "CONSTRUCTION,COMPLETED" }, { lifecycleStage: { in: ["CONSTRUCTION", "COMPLETED"] } }],
      [{ target: "COMPLETE" }, { targetStage2025: "COMPLETE" }],
      [{ owner: some.ownerOrgId! }, { ownerOrgId: some.ownerOrgId }],
      [{ funding: "SPECIAL_BOND" }, { fundingPlans: { some: { sourceCode: "SPECIAL_BOND" } } }],
      [{ budget: "missing" }, { plannedInvestment: null }],
      [{ budget: "has", column: "16" }, { plannedInvestment: { not: null }, column: { number: 16 } }],
      [{ demo: "yes" }, { NOT: { demoFields: { isEmpty: true } } }],
      [{ demo: "no" }, { demoFields: { isEmpty: true } }],
      [{ light: "RED" }, { trafficLight: { light: "RED" } }],
      [{ county: "520381,520382" }, { locations: { some: { divisionCode: { in: ["520381", "520382"] } } } }],
      [{ q: "变电站" }, { name: { contains: "变电站" } }],
    ];
    for (const [params, where] of cases) {
      const expected = (await prisma.project.findMany({ where, select: { id: true } })).map((r) => r.id).sort();
      const listed = await projects.exportProjects(leader, query(params));
      expect(listed.map((r) => r.id).sort(), JSON.stringify(params)).toEqual(expected);
      const page = await projects.listProjects(leader, query(params));
      expect(page.total, JSON.stringify(params)).toBe(expected.length);
    }
    // The cases are not vacuous: the stages and the lights both select something.
    expect(await prisma.project.count({ where: { lifecycleStage: { in: ["CONSTRUCTION", "COMPLETED"] } } })).toBeGreaterThan(0);
    expect(await prisma.projectLight.count({ where: { light: "RED" } })).toBeGreaterThan(0);
  });

  it("a file's rows come a page at a time, in the table's order, the same rows as the whole set", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const q = query({ sort: "plannedInvestment.desc" });
    const whole = await projects.exportProjects(leader, q);
    const { count, pages } = await projects.exportProjectPages(leader, q, prisma, 7);
    expect(count).toBe(whole.length);
    const sizes: number[] = [];
    const ids: string[] = [];
    for await (const page of pages) {
      sizes.push(page.length);
      ids.push(...page.map((r) => r.id));
    }
    expect(Math.max(...sizes)).toBe(7);
    expect(sizes.length).toBe(Math.ceil(whole.length / 7));
    expect(ids).toEqual(whole.map((r) => r.id));
  });

  it("pages neither overlap nor skip rows, in every sort and with a filter", async () => {
    const leader = await actor(["LEADERSHIP"]);
    for (const params of <Record<string, string>[]>[{ sort: "plannedInvestment.desc" }, { sort: "column.asc" }, { stage: "CONSTRUCTION", sort: "name.desc" }, {}]) {
      const all = await projects.exportProjects(leader, query(params));
      const seen: string[] = [];
      for (let page = 1; seen.length < all.length; page++) {
        const result = await projects.listProjects(leader, query({ ...params, perPage: "20", page: String(page) }));
        expect(result.rows.length, JSON.stringify(params)).toBeGreaterThan(0);
        seen.push(...result.rows.map((r) => r.id));
      }
      expect(seen, JSON.stringify(params)).toEqual(all.map((r) => r.id));
    }
  });

  it("a page's rows, read in one statement, equal Prisma's findMany with the list's select, for every project", async () => {
    const leader = await actor(["LEADERSHIP"]);
    // The seeded library fills every sector and budget: one project goes without, so the blanks are compared too.
    await sqlOne(`UPDATE "Project" SET "sectorCode" = NULL, "plannedInvestment" = NULL WHERE id = (SELECT id FROM "Project" WHERE approval = 'ACCEPTED' ORDER BY "planKey" DESC NULLS LAST LIMIT 1)`);
    // trafficLight shown: the lights are brought up to date first, so rows carry them.
    const rows = await projects.exportProjects(leader, query({ cols: "name,trafficLight", sort: "name.desc" }));
    const byPrisma = new Map(
      (await prisma.project.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: projects.listSelect })).map((r) => [r.id, r]),
    );
    const byValue = (a: { completedInvestment: { toString(): string } }, b: { completedInvestment: { toString(): string } }) =>
      a.completedInvestment.toString().localeCompare(b.completedInvestment.toString());
    for (const row of rows) {
      const expected = byPrisma.get(row.id)!;
      // Prisma does not order the submitted returns (the list only sums them); compare them as sets.
      expect({ ...row, monthlyReturns: [...row.monthlyReturns].sort(byValue) }).toEqual({ ...expected, monthlyReturns: [...expected.monthlyReturns].sort(byValue) });
    }
    // Every kind of value was compared: rows with and without each relation, several counties, submitted figures.
    expect(rows.length).toBeGreaterThan(100);
    const kinds = {
      light: rows.some((r) => r.trafficLight),
      sector: rows.some((r) => r.sector),
      noSector: rows.some((r) => !r.sector),
      owner: rows.some((r) => r.ownerOrg),
      counties: rows.some((r) => r.locations.length > 0),
      noBudget: rows.some((r) => r.plannedInvestment === null),
      submitted: rows.some((r) => r.monthlyReturns.length > 0),
      start: rows.some((r) => r.plannedStart !== null),
      demo: rows.some((r) => r.demoFields.length > 0),
    };
    expect(Object.entries(kinds).filter(([, seen]) => !seen).map(([kind]) => kind)).toEqual([]);
  });

  it("the table counts a filtered set up to a cap: the same pages either way, exact totals within the cap or when asked, a lower bound beyond it; a page past the cap's rows found by a bounded walk or else counted (docs/decisions/0043)", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const reviewer = await actor(["COUNTY_REVIEWER"], undefined, "520382");
    const owner = await actor(["OWNER_EDITOR"], "仁怀市人民政府");
    const cases: [typeof leader, Record<string, string>][] = [
      [leader, { county: "520382", column: "9,10" }],
      [leader, { county: "520382", perPage: "2", page: "2" }],
      [leader, { q: "道路", sort: "plannedInvestment.desc" }],
      [leader, { q: "道路", sort: "plannedInvestment.desc", perPage: "3" }],
      [leader, { stage: "CONSTRUCTION", sort: "name.desc", perPage: "20", page: "2" }],
      [leader, { light: "RED,YELLOW", sort: "totalInvestment.desc" }],
      [leader, { stage: "CONSTRUCTION", perPage: "5" }],
      [leader, { stage: "CONSTRUCTION", perPage: "5", page: "3" }],
      [leader, { light: "RED,YELLOW", sort: "plannedInvestment.asc", perPage: "4", page: "3" }],
      [reviewer, { perPage: "3", page: "4" }],
      [leader, { light: "RED,YELLOW", sort: "totalInvestment.desc", perPage: "4", page: "3" }],
      [leader, {}],
      [reviewer, {}],
      [reviewer, { sort: "plannedCompletion.asc", perPage: "20", page: "3" }],
      [reviewer, { sort: "plannedCompletion.asc", perPage: "2" }],
      [owner, { q: "遵义" }],
      [owner, { q: "遵义", perPage: "2", page: "2" }],
    ];
    let capped = 0;
    let walked = 0;
    let deepCounted = 0;
    let within = 0;
    for (const [who, params] of cases) {
      const label = JSON.stringify(params);
      const exact = await projects.listProjects(who, query(params));
      const narrowed = !(who === leader && label === "{}"); // the whole library's totals are the rollup's (ADR 0042): never capped
      // A page ending at `end` within the cap's rows is capped when the set is larger than the cap. A page
      // past them is found by the bounded walk when the walk reaches a row after the page (capped), else
      // counted in full. Walk limits: 0 never finds it, 10^9 covers the whole library.
      const end = exact.page * exact.perPage;
      const walks = projects.WALKABLE_SORTS.has(params.sort ?? "planKey.asc");
      for (const walkLimit of [0, 1_000_000_000]) {
        for (const cap of [0, 5, end - 1, end, exact.total, exact.total + 1, 10_000]) {
          const at = `${label} cap ${cap} walk ${walkLimit}`;
          const page = await projects.listProjectPage(who, query(params), cap, walkLimit);
          expect(page.rows.map((r) => r.id), at).toEqual(exact.rows.map((r) => r.id));
          expect(page.hasNext, at).toBe(end < exact.total);
          const shouldCap = narrowed && (end <= cap ? exact.total > cap : walkLimit > 0 && walks && exact.total > end);
          expect(page.capped, at).toBe(shouldCap);
          if (page.capped) {
            if (end <= cap) capped += 1;
            else walked += 1;
            expect(page.total).toBe(cap);
            expect(page.totals).toBeNull();
            expect(page.pageCount).toBeNull();
          } else {
            if (narrowed && end > cap && exact.total > cap) deepCounted += 1;
            within += 1;
            expect(page.totals, at).toEqual(exact.totals);
            expect(page.pageCount).toBe(exact.pageCount);
          }
          // Asked for, the totals are exact whatever the cap.
          const asked = await projects.listProjectPage(who, query({ ...params, totals: "exact" }), cap, walkLimit);
          expect(asked.capped).toBe(false);
          expect(asked.rows.map((r) => r.id), at).toEqual(exact.rows.map((r) => r.id));
          expect(asked.totals, label).toEqual(exact.totals);
        }
      }
    }
    // The walk's edge: a page that ends exactly at the set's last row has no row after it, so the
    // walk does not vouch for a larger set; the page is counted (not capped) and has no next page.
    const set = await projects.listProjects(owner, query({ q: "遵义" }));
    expect(set.total).toBeGreaterThan(1);
    for (const perPage of [set.total - 1, set.total]) {
      const edge = await projects.listProjectPage(owner, query({ q: "遵义", perPage: String(perPage) }), 0, 1_000_000_000);
      expect(edge.capped, `perPage ${perPage} of ${set.total}`).toBe(perPage < set.total);
      expect(edge.hasNext).toBe(perPage < set.total);
      expect(edge.rows).toHaveLength(perPage);
    }
    expect(capped).toBeGreaterThanOrEqual(10);
    expect(walked).toBeGreaterThanOrEqual(10);
    expect(deepCounted).toBeGreaterThanOrEqual(10);
    expect(within).toBeGreaterThanOrEqual(10);
  });
  it("the filter options are kept for one data version: a committed change shows at the next page view", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const before = await projects.listProjectFilterOptions(leader);
    expect(await projects.listProjectFilterOptions(leader)).toBe(before); // the same object: served from the cache
    const owner = before.owners[0]!;
    await prisma.$transaction((tx) => tx.organization.update({ where: { id: owner.id }, data: { name: `${owner.name}（更名）` } }));
    const after = await projects.listProjectFilterOptions(leader);
    expect(after.owners.find((o) => o.id === owner.id)?.name).toBe(`${owner.name}（更名）`);
    // Another reader's scope is kept apart: an owner unit sees only its own organization.
    const unit = await actor(["OWNER_EDITOR"], "仁怀市人民政府");
    expect((await projects.listProjectFilterOptions(unit)).owners.map((o) => o.name)).toEqual(["仁怀市人民政府"]);
    await prisma.$transaction((tx) => tx.organization.update({ where: { id: owner.id }, data: { name: owner.name } }));
  });

  it("search treats % and _ as the characters themselves", async () => {
    const leader = await actor(["LEADERSHIP"]);
    expect((await projects.listProjects(leader, query({ q: "%" }))).total).toBe(0);
    expect((await projects.listProjects(leader, query({ q: "_" }))).total).toBe(0);
    expect((await projects.listProjects(leader, query({ q: "变%站" }))).total).toBe(0);
  });

  it("keeps the raw index that serves the budget-descending sort (Prisma's schema cannot declare it)", async () => {
    const row = await sqlOne<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'Project_plannedInvestment_desc_idx'`);
    expect(row?.def).toContain(`("plannedInvestment" DESC NULLS LAST, id)`);
  });

  it("keeps the partial index of the projects not accepted, which the accepted-only scope's anti-join reads (docs/decisions/0043)", async () => {
    const row = await sqlOne<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'Project_not_accepted_idx'`);
    expect(row?.def).toMatch(/\(id\) WHERE \(approval <> 'ACCEPTED'::"ProjectApproval"\)/);
    // The accepted-only scope's inner side reads it (scans are switched off: on a test library's few
    // hundred rows a scan is cheapest anyway; without the index the plan would still scan).
    const { acceptedProjectSql } = await import("@/lib/policy");
    const scope = acceptedProjectSql();
    const results = (await sqlQuery(`SET enable_seqscan = off; EXPLAIN SELECT count(*) FROM "Project" p WHERE ${scope.sql}`)) as unknown as { rows: { "QUERY PLAN": string }[] }[];
    const plan = results[1]!.rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan).toContain("Project_not_accepted_idx");
  });

  it("finds a project by a Chinese substring of its name", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const result = await projects.listProjects(leader, query({ q: "仡源变电站" }));
    expect(result.rows.map((r) => r.name)).toEqual(["务川县500千伏仡源变电站"]);
  });

  it("search ignores whitespace and full-/half-width differences in names, organizations and codes (docs/decisions/0022)", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const names = async (q: string) => (await projects.listProjects(leader, query({ q, perPage: "100" }))).rows.map((r) => r.name);
    expect(await names("汇川区妇幼保健院")).toEqual(["汇川区妇幼保健院"]);
    expect(await names("道真县人民医院")).toEqual(["道真县人民医院整体搬迁"]);
    expect(await names("习水县第二人民医院")).toEqual(["习水县第二人民医院"]);
    expect(await names("习水县 第二 人民医院")).toEqual(["习水县第二人民医院"]);
    expect(await names("３号线")).toEqual(["遵义市城市轨道交通3号线"]);
    // The plan's own words find the project too.
    expect(await names("门急诊楼、老住院楼")).toEqual(["贵州航天医院门急诊楼改扩建工程", "贵州航天医院老住院楼改扩建工程"]);
    expect(await names("ｃ１０－ｐ０３－００４")).toEqual(["汇川区妇幼保健院"]);
    // An owner unit's name, however it is typed, finds its projects.
    const owner = await prisma.project.findFirstOrThrow({ where: { ownerOrgId: { not: null } }, select: { ownerOrg: { select: { id: true, name: true } } } });
    const spaced = [...owner.ownerOrg!.name].join(" ");
    const byOwner = await projects.listProjects(leader, query({ q: spaced, perPage: "100" }));
    const owned = await prisma.project.count({ where: { ownerOrgId: owner.ownerOrg!.id } });
    expect(byOwner.total).toBeGreaterThanOrEqual(owned);
    expect(owned).toBeGreaterThan(0);
  });

  it("exports the filtered set as .xlsx that reads back to the same rows", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const q = query({ column: "15" });
    const rows = await projects.exportProjects(leader, q);
    const buffer = await exporter.projectsXlsx(rows, (k) => k);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("项目库")!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = sheet.getRow(1).values as unknown[];
    expect(header).toContain("十四五计划投资（亿元）");
    const nameCol = header.indexOf("项目名称");
    const plannedCol = header.indexOf("十四五计划投资（亿元）");
    expect(sheet.rowCount - 1).toBe(rows.length);
    rows.forEach((row, i) => {
      const cells = sheet.getRow(i + 2);
      expect(cells.getCell(nameCol).value).toBe(row.name);
      const planned = cells.getCell(plannedCol).value;
      expect(typeof planned).toBe("number");
      expect(planned).toBeCloseTo(Number(row.plannedInvestment) / 10_000, 4);
    });
  });

  it("exports .csv with a BOM, Chinese headers and quoted fields", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const rows = await projects.exportProjects(leader, query({ q: "门急诊楼" }));
    const csv = exporter.projectsCsv(rows, (k) => k);
    expect(csv.startsWith("\uFEFF规划编号,项目代码,项目名称")).toBe(true);
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(rows.length + 1);
  });
});

describe("registry edits", () => {
  it("the city review office settles a 区县待确认 project's county once, audited as project.update of counties", async () => {
    const registry = await import("@/lib/data/project-registry");
    const project = await prisma.project.findFirstOrThrow({ where: { planKey: "C13-P04-004" }, include: { locations: true } });
    expect(project).toMatchObject({ countyPending: true, locations: [], reviewDivisionCode: "520300", name: "洪渡河高生库区航运工程" });
    const leader = await actor(["LEADERSHIP"]);
    const listed = await projects.listProjects(leader, query({ q: "洪渡河高生" }));
    expect(listed.rows.map((r) => [r.countyPending, r.locations.length])).toEqual([[true, 0]]);
    const input = { projectId: project.id, version: project.version, counties: ["520326"] };
    // A county's reviewer is not this project's review office; owner units and leaders have no such permission.
    await expect(registry.settleProjectCounty(await actor(["COUNTY_REVIEWER"], "仁怀市发展和改革局"), input, "ip")).rejects.toThrow(/not found/i);
    await expect(registry.settleProjectCounty(leader, input, "ip")).rejects.toThrow(/permission denied/);
    const city = await actor(["COUNTY_REVIEWER"], "遵义市发展和改革委员会");
    expect(city.divisionCode).toBe("520300");
    await expect(registry.settleProjectCounty(city, { ...input, counties: ["999999"] }, "ip")).rejects.toThrow(/validation/);
    await expect(registry.settleProjectCounty(city, { ...input, version: project.version + 5 }, "ip")).rejects.toThrow(/validation/);
    const result = await registry.settleProjectCounty(city, input, "10.0.0.2");
    expect(result).toEqual({ counties: ["520326"], reviewDivisionCode: "520326" });
    const after = await prisma.project.findUniqueOrThrow({ where: { id: project.id }, include: { locations: true } });
    expect(after).toMatchObject({ countyPending: false, reviewDivisionCode: "520326", version: project.version + 1 });
    expect(after.locations.map((l) => l.divisionCode)).toEqual(["520326"]);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: project.id, action: "project.update" }, orderBy: { seq: "desc" } });
    expect(event.details).toMatchObject({ fields: ["counties"], before: { counties: [] }, after: { counties: ["520326"] } });
    // Once settled, 务川's office reviews it and the city's no longer does; it is not pending any more.
    await expect(registry.settleProjectCounty(city, { ...input, version: after.version }, "ip")).rejects.toThrow(/not found/i);
    const wuchuan = await actor(["COUNTY_REVIEWER"], undefined, "520326");
    await expect(registry.settleProjectCounty(wuchuan, { ...input, version: after.version }, "ip")).rejects.toThrow(/validation/);
  });

  it("saves an owner unit's edit with its audit event and refuses a stale one with the current values", async () => {
    const registry = await import("@/lib/data/project-registry");
    const owner = await actor(["OWNER_EDITOR"], "仁怀市人民政府");
    owner.id = (await prisma.user.findUniqueOrThrow({ where: { username: "owner.editor" } })).id;
    const project = await prisma.project.findFirstOrThrow({ where: { ownerOrgId: owner.organizationId }, orderBy: { planKey: "asc" } });
    const input = {
      projectId: project.id, version: project.version, projectCode: "2021-520382-47-01-000123", projectType: null, nature: "PUBLIC_WELFARE" as const,
      lifecycleStage: "CONSTRUCTION" as const, plannedStart: "2021-03-01", plannedCompletion: "2026-06-30", totalInvestment: "250000", plannedInvestment: "180000",
    };
    const { changed } = await registry.updateProjectRegistry(owner, input, "10.0.0.1");
    expect(changed).toContain("totalInvestment");
    const after = await prisma.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(after.version).toBe(project.version + 1);
    expect(after.totalInvestment?.toString()).toBe("250000");
    expect(after.demoFields).not.toContain("totalInvestment");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "project.update", entityId: project.id } });
    expect(event.details).toMatchObject({ after: { totalInvestment: "250000", projectCode: "2021-520382-47-01-000123" } });

    // A second editor still holding the old version is refused and shown what is there now.
    const stale = registry.updateProjectRegistry(owner, { ...input, totalInvestment: "1" }, "10.0.0.2");
    await expect(stale).rejects.toBeInstanceOf(registry.StaleEditError);
    await stale.catch((error: InstanceType<typeof registry.StaleEditError>) => {
      expect(error.current.totalInvestment).toBe("250000");
      expect(error.changedBy?.name).toBe("t");
    });
    expect((await prisma.project.findUniqueOrThrow({ where: { id: project.id } })).totalInvestment?.toString()).toBe("250000");
  });

  it("does not let an owner unit edit another organization's project", async () => {
    const registry = await import("@/lib/data/project-registry");
    const owner = await actor(["OWNER_EDITOR"], "仁怀市人民政府");
    const other = await prisma.project.findFirstOrThrow({ where: { NOT: { ownerOrgId: owner.organizationId } } });
    await expect(
      registry.updateProjectRegistry(owner, {
        projectId: other.id, version: other.version, projectCode: null, projectType: null, nature: null, lifecycleStage: "CONSTRUCTION",
        plannedStart: null, plannedCompletion: null, totalInvestment: null, plannedInvestment: null,
      }, "ip"),
    ).rejects.toThrow(/not found/);
    expect(await registry.getEditableProject(owner, other.id)).toBeNull();
  });
});

describe("remembered columns and saved views", () => {
  it("remembers a user's columns and order, and shares a view only within the organization", async () => {
    const views = await import("@/lib/data/table-views");
    const users = await prisma.user.findMany({ where: { username: { in: ["owner.editor", "owner.viewer", "leader"] } } });
    const byName = Object.fromEntries(users.map((u) => [u.username, u]));
    const editor = { ...(await actor(["OWNER_EDITOR"], "仁怀市人民政府")), id: byName["owner.editor"]!.id };
    const viewer = { ...(await actor(["OWNER_VIEWER"], "仁怀市人民政府")), id: byName["owner.viewer"]!.id };
    const leader = { ...(await actor(["LEADERSHIP"], "遵义市新型城镇化工作领导小组办公室")), id: byName["leader"]!.id };

    expect(await views.getColumnPreference(editor)).toBeNull();
    await views.saveColumnPreference(editor, ["plannedInvestment", "name", "county"]);
    expect(await views.getColumnPreference(editor)).toEqual(["plannedInvestment", "name", "county"]);
    expect(await views.getColumnPreference(viewer)).toBeNull();

    await views.saveView(editor, { name: "仁怀在建", query: "stage=CONSTRUCTION&page=3", shared: true }, "ip");
    await views.saveView(editor, { name: "私人", query: "sort=plannedInvestment.desc", shared: false }, "ip");
    expect((await views.listSavedViews(editor)).map((v) => v.name).sort()).toEqual(["仁怀在建", "私人"]);
    const seenByViewer = await views.listSavedViews(viewer);
    expect(seenByViewer.map((v) => [v.name, v.query])).toEqual([["仁怀在建", "stage=CONSTRUCTION"]]);
    // Whose view it is, read with it (the list says "shared by …").
    expect(seenByViewer[0]).toMatchObject({ ownerId: editor.id, ownerName: byName["owner.editor"]!.displayName, organizationId: editor.organizationId });
    // By name, the user's own and the shared ones together.
    await views.saveView(viewer, { name: "A 学校", query: "q=%E5%AD%A6%E6%A0%A1", shared: false }, "ip");
    expect((await views.listSavedViews(viewer)).map((v) => [v.name, v.ownerName])).toEqual([
      ["A 学校", byName["owner.viewer"]!.displayName],
      ["仁怀在建", byName["owner.editor"]!.displayName],
    ]);
    expect(await views.listSavedViews(leader)).toEqual([]);
    await expect(views.saveView(editor, { name: "坏", query: "sort=passwordHash.asc", shared: false }, "ip")).rejects.toThrow(/validation/);
    await expect(views.deleteView(viewer, seenByViewer[0]!.id, "ip")).rejects.toThrow(/not found/);
  });
});
