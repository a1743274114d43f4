// The audit log from the command line, on embedded PGlite or a server (DATABASE_URL):
//   verify [--strict]             walk the chain, hold it against every signed checkpoint; exit 1 when
//                                 broken (--strict: also on warnings, e.g. checkpoints of another chain)
//   checkpoint [--reason TEXT]    sign the chain head into AUDIT_CHECKPOINT_DIR (cron this)
//   purge --before YYYY-MM-DD [--reason TEXT]
//                                 export, then delete events before that date (UTC); refuses events
//                                 younger than AUDIT_RETENTION_DAYS (>= 180). Run as the database owner.
import os from "node:os";
import { ensureDatabase } from "./lib/embedded-db";

const [command, ...rest] = process.argv.slice(2);

function option(name: string): string | undefined {
  const index = rest.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = rest[index + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value`);
  return value;
}

function operator(): string {
  return `cli:${os.userInfo().username}@${os.hostname()}`.slice(0, 100);
}

async function main(): Promise<number> {
  if (command !== "verify" && command !== "checkpoint" && command !== "purge") {
    console.error("usage: tsx scripts/audit.ts <verify [--strict] | checkpoint [--reason TEXT] | purge --before YYYY-MM-DD [--reason TEXT]>");
    return 2;
  }
  const handle = await ensureDatabase();
  // Imported after the environment is settled: lib/env parses it once.
  const [{ createPrismaClient }, checkpoint, purge] = await Promise.all([
    import("../lib/prisma-client"), import("../lib/audit/checkpoint"), import("../lib/audit/purge"),
  ]);
  // Only the owner may delete audit events (the purge); verify and checkpoint need no more than the app's role.
  const prisma = createPrismaClient(command === "purge" ? handle.db.ownerUrl : handle.db.url, 1);
  try {
    if (command === "verify") {
      const result = await checkpoint.verifyAuditLogAndCheckpoints(prisma);
      const range = result.firstSeq === null ? "no events" : `events ${result.firstSeq}–${result.lastSeq}`;
      console.log(`[audit] ${result.checked} events checked (${range}); checkpoints: ${result.checkpoints.files} file(s) in ${checkpoint.checkpointPaths().dir}, ${result.checkpoints.rows} database row(s), ${result.checkpointsChecked} compared`);
      for (const warning of result.warnings) console.log(`[audit] warning: ${warning}`);
      if (!result.ok) {
        console.error(`[audit] BROKEN${result.firstBrokenSeq !== undefined ? ` at event ${result.firstBrokenSeq}` : ""}: ${result.reason}`);
        const row = result.brokenRow;
        if (row) {
          console.error(`[audit]   row: seq ${row.seq} · ${row.at.toISOString()} · ${row.action} · ${row.entityType ?? "-"} ${row.entityId ?? ""} · actor ${row.actorName ?? "-"} · reason ${row.reason ?? "-"}`);
        }
        return 1;
      }
      if (rest.includes("--strict") && result.warnings.length) {
        console.error("[audit] warnings present and --strict given");
        return 1;
      }
      console.log(`[audit] OK: the chain is unbroken${result.lastHash ? `; head ${result.lastSeq} ${result.lastHash}` : ""}`);
      return 0;
    }
    if (command === "checkpoint") {
      const created = await checkpoint.createCheckpoint(prisma, { actorName: operator(), reason: option("reason") ?? null });
      console.log(`[audit] checkpoint of event ${created.file.seq} (${created.file.hash}) written to ${created.path}`);
      return 0;
    }
    const before = option("before");
    if (!before) throw new purge.PurgeRefusedError("purge needs --before YYYY-MM-DD");
    const result = await purge.purgeAuditEvents(prisma, { before: purge.parsePurgeDate(before), reason: option("reason") ?? null, actorName: operator() });
    if (result.purged === 0) {
      console.log(`[audit] nothing to purge before ${before}`);
    } else {
      console.log(`[audit] purged events ${result.fromSeq}–${result.toSeq} (${result.purged}); archive ${result.archivePath} (sha256 ${result.archiveSha256}); anchor ${result.checkpointFile}; recorded as event ${result.eventSeq}`);
    }
    return 0;
  } catch (error) {
    const refused = error instanceof Error && error.name === "PurgeRefusedError";
    console.error(`[audit] ${refused ? "" : "failed: "}${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await prisma.$disconnect();
    await handle.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("[audit] failed:", error);
    process.exit(1);
  },
);
