// Benchmark: previewing and importing a 10,000-row registry file (issue 9: ≤ 15 s on this
// machine), then the same file again (a no-op) and a file updating all 10,000 projects.
// Runs on a fresh database on BENCH_DATABASE_URL's server (default the local PostgreSQL), or on
// a throwaway embedded PGlite with --embedded. Appends its results to bench/RESULTS.md.
//   npm run bench:import            npm run bench:import -- --embedded
import "./server-only-shim";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { CurrentUser } from "../lib/auth/session";
import { REGISTRY_COLUMNS } from "../lib/imports/layouts";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const embedded = process.argv.includes("--embedded");

async function registryFile(rows: number, totalOffset: number): Promise<Uint8Array> {
  const counties = ["仁怀市", "红花岗区", "汇川区", "播州区", "新蒲新区", "桐梓县", "湄潭县", "赤水市"];
  const programmes = ["专栏16·城镇市政基础设施建设重点工程", "专栏9·义务教育发展工程", "专栏7·老旧小区改造工程", "专栏13·公路"];
  const stages = ["前期", "在建", "建成"];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("项目登记");
  const headers = REGISTRY_COLUMNS.map((c) => c.header);
  sheet.addRow(headers);
  for (let i = 1; i <= rows; i++) {
    const v: Record<string, string | number> = {
      项目名称: `基准导入项目${String(i).padStart(5, "0")}`,
      所在区县: counties[i % counties.length]!,
      所属子工程: programmes[i % programmes.length]!,
      行业: "经济与产业",
      项目类型: "新建",
      项目性质: "公益性",
      当前阶段: stages[i % stages.length]!,
      "2025年目标": "建成",
      "计划开工（年-月-日）": `2025-${String((i % 12) + 1).padStart(2, "0")}-01`,
      "计划竣工（年-月-日）": `2027-${String((i % 12) + 1).padStart(2, "0")}-28`,
      "总投资（万元）": 10_000 + (i % 5000) + totalOffset,
      "十四五计划投资（万元）": 5000 + (i % 3000),
      "计划年度（年）": 2026,
      "年度计划投资（万元）": 1000 + (i % 900),
      资金来源1: "地方政府专项债券",
      "资金来源1计划金额（万元）": 2000,
    };
    sheet.addRow(headers.map((h) => v[h] ?? null));
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, (performance.now() - started) / 1000];
}

async function main() {
  if (embedded) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const { applyMigrations, createTestDatabase } = await import("../tests/helpers/test-database");
  const database = await createTestDatabase();
  try {
    await applyMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    if (embedded) process.env.DATABASE_POOL_MAX = "1";
    const { prisma } = await import("../lib/db");
    const { runSeed } = await import("../prisma/seed/run-seed");
    console.log("[bench] seeding the plan library and demo accounts ...");
    await runSeed(prisma, { demo: true });
    const { permissionsFor } = await import("../lib/auth/permissions");
    const user = await prisma.user.findUniqueOrThrow({ where: { username: "owner.editor" }, include: { roles: true, organization: true } });
    const roles = user.roles.map((r) => r.role);
    const owner: CurrentUser = {
      id: user.id, username: user.username, displayName: user.displayName, organizationId: user.organizationId, organizationName: user.organization?.name ?? null,
      divisionCode: user.organization?.divisionCode ?? null, roles, permissions: permissionsFor(roles), sessionId: "bench", mfaPending: false, mustChangePassword: false, isDemo: true,
    };
    const { previewImport, confirmImport } = await import("../lib/imports/batches");

    const [file, buildSeconds] = await timed(() => registryFile(ROWS, 0));
    console.log(`[bench] ${ROWS}-row file: ${(file.byteLength / 1024 / 1024).toFixed(2)} MB, built in ${buildSeconds.toFixed(1)} s`);
    const results: { step: string; seconds: number; outcome: string }[] = [];
    const preview = async (label: string, bytes: Uint8Array) => {
      const [result, seconds] = await timed(() => previewImport(owner, { name: "基准.xlsx", bytes }));
      if (!result.ok) throw new Error(JSON.stringify(result.problem));
      const s = result.preview.summary;
      results.push({ step: label, seconds, outcome: `${s.create} new, ${s.update} changed, ${s.unchanged} unchanged, ${s.errors} errors; ms ${JSON.stringify(result.preview.timings)}` });
      console.log(`[bench] ${label}: ${seconds.toFixed(2)} s`);
      return result.preview;
    };
    const confirm = async (label: string, batchId: string) => {
      const [result, seconds] = await timed(() => confirmImport(owner, batchId, "127.0.0.1"));
      results.push({ step: label, seconds, outcome: `${result.summary.create} new, ${result.summary.update} changed written; ms ${JSON.stringify(result.timings)}` });
      console.log(`[bench] ${label}: ${seconds.toFixed(2)} s`);
    };

    const first = await preview("preview (new projects)", file);
    await confirm("confirm (new projects)", first.batchId!);
    const again = await preview("same file again (no-op)", file);
    if (again.batchId !== null || again.summary.unchanged !== ROWS) throw new Error("the second import was not a no-op");
    const changedFile = await registryFile(ROWS, 1);
    const second = await preview("preview (all projects changed)", changedFile);
    await confirm("confirm (all projects changed)", second.batchId!);
    await prisma.$disconnect();

    const byStep = Object.fromEntries(results.map((r) => [r.step, r.seconds]));
    const newTotal = byStep["preview (new projects)"]! + byStep["confirm (new projects)"]!;
    const updateTotal = byStep["preview (all projects changed)"]! + byStep["confirm (all projects changed)"]!;
    const pgVersion = embedded ? "PGlite 0.5.14 (PostgreSQL 18, embedded, one connection)" : "PostgreSQL server";
    const section = [
      `## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — import of a ${ROWS.toLocaleString("en")}-row registry file`,
      "",
      `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${pgVersion}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} (other work on the machine). File: ${(file.byteLength / 1024 / 1024).toFixed(2)} MB .xlsx, 16 columns filled. Command: \`npm run bench:import${embedded ? " -- --embedded" : ""}\`.`,
      "",
      "| step | seconds | outcome |",
      "|---|---|---|",
      ...results.map((r) => `| ${r.step} | ${r.seconds.toFixed(2)} | ${r.outcome} |`),
      `| **preview + confirm, new projects** | **${newTotal.toFixed(2)}** | target ≤ 15 s: ${newTotal <= 15 ? "met" : "NOT met"} |`,
      `| **preview + confirm, all changed** | **${updateTotal.toFixed(2)}** | target ≤ 15 s: ${updateTotal <= 15 ? "met" : "NOT met"} |`,
      "",
    ].join("\n");
    const file2 = path.join(__dirname, "RESULTS.md");
    const current = readFileSync(file2, "utf8");
    const [title, ...rest] = current.split("\n\n");
    writeFileSync(file2, [title, section.trimEnd(), ...rest].join("\n\n"));
    console.log(section);
  } finally {
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
