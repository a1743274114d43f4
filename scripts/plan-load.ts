// `npm run plan:load -- <folder>`: loads a plan (a later plan beside 十四五, or a corrected one) from
// a folder of the same layout as prisma/data/plan plus plan.csv, checked by the seed's own loader
// (prisma/seed/plan-data.ts), and written by the seed's own writer in one transaction: all or
// nothing. Idempotent: loading the same folder twice changes nothing (docs/decisions/0028).
import path from "node:path";
import { createPrismaClient } from "../lib/prisma-client";
import { loadPlanData } from "../prisma/seed/plan-data";
import { seedPlan } from "../prisma/seed/seed-plan";
import { ensureDatabase } from "./lib/embedded-db";

async function main(): Promise<number> {
  const folder = process.argv[2];
  if (!folder) {
    console.error("usage: npm run plan:load -- <folder with plan.csv, columns.csv, programmes.csv, projects.csv, indicators.csv, source.txt>");
    return 2;
  }
  let data;
  try {
    data = loadPlanData(path.resolve(folder));
  } catch (error) {
    console.error(`[plan:load] ${folder} is not a valid plan:\n${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const handle = await ensureDatabase();
  // The plan is written as the owner, like the seed (docs/decisions/0009).
  const prisma = createPrismaClient(handle.db.ownerUrl, 1);
  try {
    const result = await prisma.$transaction((tx) => seedPlan(tx, data), { timeout: 600_000 });
    console.log(`[plan:load] ${data.plan.id} ${data.plan.title} (${data.plan.periodStart}–${data.plan.periodEnd}): ${result.projects} projects, ${result.continued} continued (续建), ${data.indicators.length} indicators`);
    return 0;
  } catch (error) {
    console.error(`[plan:load] ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await prisma.$disconnect();
    await handle.stop();
  }
}

void main().then((code) => process.exit(code));
