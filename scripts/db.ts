// Database scripts that work the same on embedded PGlite and on a server (DATABASE_URL):
//   migrate [name]  create and apply a migration from schema changes (prisma migrate dev)
//   deploy          apply pending migrations          status   list applied/pending migrations
//   drift           exit non-zero when the database differs from prisma/migrations
//   reset           drop everything, re-apply migrations, seed again
//   seed            run the idempotent seed          server   serve the embedded database only
// All but `server` act as the owner: DATABASE_OWNER_URL when set, else DATABASE_URL (prisma.config.ts,
// prisma/seed.ts), so the app may serve as a restricted role (docs/decisions/0009).
// deploy, reset and migrate also install the job queue's graphile_worker schema as the owner, with
// the app role's grants (lib/jobs/schema.ts, docs/decisions/0020).
import path from "node:path";
import { installJobSchema } from "../lib/jobs/schema";
import { ensureDatabase } from "./lib/embedded-db";
import { bins, runBin } from "./lib/proc";

const [command, ...rest] = process.argv.slice(2);

const prismaArgs: Record<string, string[]> = {
  migrate: ["migrate", "dev", ...(rest[0] ? ["--name", rest[0]] : []), ...rest.slice(1)],
  deploy: ["migrate", "deploy"],
  status: ["migrate", "status"],
  drift: ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-config-datasource", "--exit-code"],
  reset: ["migrate", "reset", "--force"],
};

async function main() {
  if (!command || (!(command in prismaArgs) && command !== "seed" && command !== "server")) {
    console.error("usage: tsx scripts/db.ts <migrate [name]|deploy|status|drift|reset|seed|server>");
    process.exit(2);
  }
  const handle = await ensureDatabase();
  let exitCode = 0;
  try {
    if (command === "server") {
      console.log(`[db] serving ${handle.db.url}; Ctrl+C to stop`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
    } else if (command === "seed") {
      await runBin(bins.tsx, [path.join("prisma", "seed.ts")]);
    } else {
      await runBin(bins.prisma, prismaArgs[command]!);
      if (command === "reset") await runBin(bins.tsx, [path.join("prisma", "seed.ts")]);
      if (command === "deploy" || command === "reset" || command === "migrate") await installJobSchema(handle.db.ownerUrl);
    }
  } catch (error) {
    console.error(`[db] ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  } finally {
    await handle.stop();
  }
  process.exit(exitCode);
}

void main();
