// `npm run plan:load -- <folder>`: loads a plan (a later plan beside 十四五, or a corrected one) from
// a folder of the same layout as prisma/data/plan plus plan.csv, checked by the seed's own loader
// (prisma/seed/plan-data.ts), and written by the seed's own writer in one transaction: all or
// nothing. Idempotent: loading the same folder twice changes nothing (docs/decisions/0028).
// Every load is an audit event (plan.load) in the same transaction, naming the files' SHA-256.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { appendAuditEvent } from "../lib/audit/log";
import { createPrismaClient } from "../lib/prisma-client";
import { loadPlanData } from "../prisma/seed/plan-data";
import { seedPlan } from "../prisma/seed/seed-plan";
import { ensureDatabase } from "./lib/embedded-db";

/** SHA-256 over the folder's files, each as its name, a NUL, its bytes, in name order. */
function folderSha256(folder: string): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(folder, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort()) {
    hash.update(name).update("\0").update(readFileSync(path.join(folder, name)));
  }
  return hash.digest("hex");
}

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
    const sourceSha256 = folderSha256(path.resolve(folder));
    const result = await prisma.$transaction(async (tx) => {
      const loaded = await seedPlan(tx, data);
      await appendAuditEvent(tx, {
        actorName: "npm run plan:load",
        action: "plan.load",
        entityType: "Plan",
        entityId: data.plan.id,
        details: {
          planId: data.plan.id, title: data.plan.title, periodStart: data.plan.periodStart, periodEnd: data.plan.periodEnd,
          folder: path.basename(path.resolve(folder)), sourceSha256, projects: loaded.projects, continued: loaded.continued, indicators: data.indicators.length,
        },
      });
      return loaded;
    }, { timeout: 600_000 });
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
