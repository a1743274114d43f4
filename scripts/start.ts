// `npm start`: database (embedded PGlite unless DATABASE_URL is set) → migrate deploy → seed
// once → job-queue schema → audit checkpoint → build if sources changed → Next.js on PORT (default 3000).
// `npm run dev` does the same with the development server.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfStale } from "./lib/build";
import { ensureAuthSecret } from "./lib/auth-secret";
import { installJobSchema } from "../lib/jobs/schema";
import { ensureDatabase } from "./lib/embedded-db";
import { bins, repoRoot, runBin } from "./lib/proc";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.AUTH_TRUST_HOST ??= "true";
ensureAuthSecret();

async function main() {
  const handle = await ensureDatabase();
  const shutdown = async (code: number) => {
    await handle.stop().catch((error: unknown) => console.error("[db] stop failed:", error));
    process.exit(code);
  };
  try {
    console.log(`[start] database: ${handle.db.mode === "embedded" ? "embedded PGlite" : "PostgreSQL server (DATABASE_URL)"}`);
    // prisma.config.ts and the seed connect as the owner; the app serves as DATABASE_URL (docs/decisions/0009).
    if (handle.db.ownerUrl !== handle.db.url) console.log("[start] migrations and seed as DATABASE_OWNER_URL; the app serves as DATABASE_URL");
    await runBin(bins.prisma, ["migrate", "deploy"]);
    // The job queue's schema, as the owner (the app's worker only uses it; docs/decisions/0020).
    await installJobSchema(handle.db.ownerUrl);
    await runBin(bins.tsx, [path.join("prisma", "seed.ts")]);
    // A signed checkpoint of the audit chain at every start: truncation while the app was down
    // shows up at the next verification. A failure is reported, not fatal (docs/decisions/0009).
    await runBin(bins.tsx, [path.join("scripts", "audit.ts"), "checkpoint", "--reason", "start-up"]).catch((error: unknown) =>
      console.error(`[start] audit checkpoint not taken: ${error instanceof Error ? error.message : String(error)}`),
    );
    if (!dev) {
      await buildIfStale(async () => {
        console.log("[start] building the app (next build) ...");
        await runBin(bins.next, ["build"]);
      });
    }
  } catch (error) {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
    return;
  }
  // Our own server around Next.js: it sets X-Forwarded-For from the socket (scripts/server.ts).
  const next = spawn(process.execPath, [path.join(repoRoot, "node_modules", bins.tsx), path.join("scripts", "server.ts"), ...(dev ? ["--dev"] : [])], {
    stdio: "inherit",
    cwd: repoRoot,
    env: { ...process.env, PORT: port },
  });
  console.log(`[start] open http://localhost:${port}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      next.kill(signal);
    });
  }
  next.on("exit", (code) => void shutdown(code ?? 0));
}

void main();
