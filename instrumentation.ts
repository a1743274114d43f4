// Runs once when the Next.js server starts, before it takes a request (`next start` directly or
// through scripts/start.ts): refuses to serve as a database role that could switch the audit
// log's triggers off (docs/decisions/0009), then starts the scheduled-job worker (lib/jobs,
// docs/decisions/0020; JOBS_WORKER=0 leaves it off in this process).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` prerenders without serving anyone: nothing to guard, and no database is needed.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { enforceDatabaseRoleAtStartup } = await import("@/lib/system/database-role");
  await enforceDatabaseRoleAtStartup();
  const { startAppJobWorker } = await import("@/lib/jobs/worker");
  // Not awaited: a worker that cannot start is reported, and the app still serves.
  startAppJobWorker()?.catch((error: unknown) => console.error("[jobs] the job worker did not start:", error));
}
