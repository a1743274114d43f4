// Project.completedInvestment (the approved cumulative) has one writer, lib/returns/cumulative.ts
// (issue 17 item 4, docs/decisions/0006): a scan of the app, the seed and the scripts finds no other
// code that sets or moves it, through Prisma or SQL. The cases show the scan catching the copies it
// replaced. bench/ loads its synthetic data with its own SQL and the migrations' backfill is history:
// neither runs in the app.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const SCANNED = ["app", "components", "lib", "prisma/seed", "scripts"];
const WRITER = "lib/returns/cumulative.ts";

const PRISMA_WRITE = /\bcompletedInvestment\s*:\s*\{\s*(?:increment|decrement|set|multiply|divide)\b/;
const SQL_WRITE = /UPDATE\s+"Project"[^;`]*?"completedInvestment"\s*=/;
const PROJECT_WRITE = /\.project\.(?:update|updateMany|upsert|create|createMany)\(\s*\{[^;]*?\bcompletedInvestment\s*:/;

/** The lines of `text` that write the stored cumulative. */
function cumulativeWriters(text: string): number[] {
  const lines: number[] = [];
  for (const re of [PRISMA_WRITE, SQL_WRITE, PROJECT_WRITE]) {
    const g = new RegExp(re.source, "g");
    for (const m of text.matchAll(g)) lines.push(text.slice(0, m.index).split("\n").length);
  }
  return [...new Set(lines)].sort((a, b) => a - b);
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.posix.join(dir, name);
    if (rel.startsWith("lib/generated")) continue;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...files(rel));
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(rel);
  }
  return out;
}

describe("one writer of Project.completedInvestment", () => {
  it("catches the writers it replaced", () => {
    expect(cumulativeWriters(`await tx.project.update({ where: { id: row.projectId }, data: { completedInvestment: { increment: row.completedInvestment } } });`)).toEqual([1]);
    expect(cumulativeWriters(`if (!delta.isZero())\n  await tx.project.update({ where: { id }, data: { completedInvestment: delta } });`)).toEqual([2]);
    expect(cumulativeWriters('await prisma.$executeRaw`\n  UPDATE "Project" p SET "completedInvestment" = s.total\n FROM x`;')).toEqual([2]);
    expect(cumulativeWriters(`SELECT p."completedInvestment" FROM "Project" p; const x = { completedInvestment: "1" };`)).toEqual([]);
  });

  it("finds none outside lib/returns/cumulative.ts, and that one writes", () => {
    const found: string[] = [];
    for (const file of SCANNED.flatMap(files)) {
      const lines = cumulativeWriters(readFileSync(path.join(ROOT, file), "utf8"));
      if (file === WRITER) expect(lines.length, WRITER).toBeGreaterThan(0);
      else found.push(...lines.map((l) => `${file}:${l}`));
    }
    expect(found).toEqual([]);
  });
});
