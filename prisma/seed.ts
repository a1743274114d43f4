// `npm run db:seed` (and npm start): seeds the plan's project library when its data files
// changed since the last run, then the demo overlay once unless SEED_DEMO=0. Safe to rerun.
import { env } from "../lib/env";
import { createPrismaClient } from "../lib/prisma-client";
import { runSeed } from "./seed/run-seed";

async function main() {
  // The seed writes as the owner: the app's restricted role may serve meanwhile (docs/decisions/0009).
  const prisma = createPrismaClient(env.database.ownerUrl, 1);
  try {
    const report = await runSeed(prisma, { demo: env.SEED_DEMO });
    for (const line of report) console.log(`[seed] ${line}`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error("[seed] failed:", error);
  process.exit(1);
});
