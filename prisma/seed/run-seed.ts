// Decides what to seed: the plan library when its data checksum changed, the demo overlay once.
import type { PrismaClient } from "../../lib/generated/prisma/client";
import { loadPlanData } from "./plan-data";
import { DEMO_SEED } from "./demo-overlay";
import { seedDemo } from "./seed-demo";
import { seedDemoUsers } from "./demo-users";
import { seedPlan } from "./seed-plan";

export async function runSeed(prisma: PrismaClient, options: { demo: boolean; today?: Date }): Promise<string[]> {
  const report: string[] = [];
  const data = loadPlanData();
  const planRun = await prisma.seedRun.findUnique({ where: { id: "plan" } });
  if (planRun?.checksum === data.checksum) {
    report.push(`plan library already seeded (${planRun.appliedAt.toISOString()}); nothing to do`);
  } else {
    const started = Date.now();
    const { projects } = await seedPlan(prisma, data);
    await prisma.seedRun.upsert({
      where: { id: "plan" },
      create: { id: "plan", checksum: data.checksum },
      update: { checksum: data.checksum, appliedAt: new Date() },
    });
    report.push(`plan library: ${projects} projects, ${data.indicators.length} indicators (${Date.now() - started} ms)`);
  }
  if (!options.demo) {
    report.push("demo overlay off (SEED_DEMO=0)");
    return report;
  }
  const demoRun = await prisma.seedRun.findUnique({ where: { id: "demo" } });
  if (demoRun) {
    report.push(`demo overlay already applied (${demoRun.appliedAt.toISOString()})`);
    return report;
  }
  const started = Date.now();
  const result = await seedDemo(prisma, options.today);
  const users = await seedDemoUsers(prisma);
  await prisma.seedRun.create({ data: { id: "demo", checksum: DEMO_SEED } });
  report.push(`demo overlay: ${result.projects} projects, ${result.returns} monthly returns, ${users} demo accounts (${Date.now() - started} ms)`);
  return report;
}
