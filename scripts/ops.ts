// Backup and restore (docs/operations.md), on a server (DATABASE_URL) or embedded PGlite, as the owner
// (DATABASE_OWNER_URL, else DATABASE_URL):
//   backup <file> [--include-secrets]   one archive: database snapshot, evidence files, audit checkpoints,
//                                       public key, signed manifest; --include-secrets adds the signing key
//                                       and auth secret sealed with BACKUP_PASSPHRASE
//   restore <file> [--force]            into an empty database (--force: replace one with data); checks every
//                                       hash, starts a restore epoch, verifies the audit log; exit 1 on any mismatch
import os from "node:os";
import path from "node:path";
import { ensureDatabase } from "./lib/embedded-db";
import { bins, repoRoot, runBin } from "./lib/proc";

const [command, file, ...flags] = process.argv.slice(2);

function operator(): string {
  return `cli:${os.userInfo().username}@${os.hostname()}`.slice(0, 100);
}

async function main(): Promise<number> {
  if ((command !== "backup" && command !== "restore") || !file || file.startsWith("--")) {
    console.error("usage: tsx scripts/ops.ts <backup <file> [--include-secrets] | restore <file> [--force]>");
    return 2;
  }
  const handle = await ensureDatabase();
  // Imported after the environment is settled: lib/env parses it once.
  const [{ env }, { createPrismaClient }, checkpoint, backup, restore, packageJson] = await Promise.all([
    import("../lib/env"), import("../lib/prisma-client"), import("../lib/audit/checkpoint"),
    import("../lib/operations/backup"), import("../lib/operations/restore"), import("../package.json"),
  ]);
  const paths = checkpoint.checkpointPaths();
  const target = path.resolve(file);
  const authSecretFile = path.join(repoRoot, ".data", "auth-secret");
  try {
    if (command === "backup") {
      let secrets: { passphrase: string; authSecret: string | null } | undefined;
      if (flags.includes("--include-secrets")) {
        if (!env.BACKUP_PASSPHRASE) throw new Error("--include-secrets needs the passphrase in BACKUP_PASSPHRASE");
        const { existsSync, readFileSync } = await import("node:fs");
        secrets = { passphrase: env.BACKUP_PASSPHRASE, authSecret: env.AUTH_SECRET ?? (existsSync(authSecretFile) ? readFileSync(authSecretFile, "utf8").trim() : null) };
      }
      const prisma = createPrismaClient(handle.db.ownerUrl, 1);
      try {
        const result = await backup.createBackup({
          ownerUrl: handle.db.ownerUrl, mode: handle.db.mode, prisma, file: target, attachmentDir: path.resolve(env.ATTACHMENT_DIR), storage: env.STORAGE_BACKEND, paths,
          appVersion: env.APP_VERSION ?? packageJson.default.version, secrets, actorName: operator(),
        });
        const m = result.manifest;
        const rows = Object.values(m.snapshot.counts).reduce((a, b) => a + b, 0);
        console.log(`[ops] backup written to ${target} in ${result.seconds.toFixed(1)} s`);
        console.log(`[ops]   database: ${m.database.kind}, ${Object.keys(m.snapshot.counts).length} tables, ${rows} rows; migration ${m.migrationHead ?? "-"}`);
        console.log(`[ops]   evidence files: ${m.snapshot.evidence.length}; audit head ${m.audit.head ? `${m.audit.head.seq} ${m.audit.head.hash}` : "-"} (epoch ${m.audit.epoch})`);
        console.log(`[ops]   secrets: ${m.includesSecrets ? "included, sealed with BACKUP_PASSPHRASE" : "not included (keep the signing key and auth secret elsewhere)"}`);
        console.log(`[ops]   manifest sha256 ${result.manifestSha256}; recorded as audit event ${result.eventSeq}`);
        return 0;
      } finally {
        await prisma.$disconnect();
      }
    }
    const result = await restore.restoreBackup({
      ownerUrl: handle.db.ownerUrl, mode: handle.db.mode, prismaFor: (url) => createPrismaClient(url, 1), file: target,
      attachmentDir: path.resolve(env.ATTACHMENT_DIR), paths, force: flags.includes("--force"), passphrase: env.BACKUP_PASSPHRASE,
      authSecretFile: env.AUTH_SECRET ? null : authSecretFile, actorName: operator(),
      migrate: () => runBin(bins.prisma, ["migrate", "deploy"]),
      log: (line) => console.log(`[ops] ${line}`),
    });
    for (const secret of result.secretsRestored) console.log(`[ops] secret restored: ${secret}`);
    const v = result.verification;
    for (const warning of v.warnings) console.log(`[ops] audit warning: ${warning}`);
    console.log(`[ops] audit verification: ${v.checked} events, ${v.checkpointsChecked} checkpoint(s) compared, ${v.checkpoints.otherTimelines} of other timelines set aside; epoch ${v.checkpoints.epoch}`);
    if (!v.ok) {
      console.error(`[ops] AUDIT BROKEN${v.firstBrokenSeq !== undefined ? ` at event ${v.firstBrokenSeq}` : ""}: ${v.reason}`);
      return 1;
    }
    console.log(`[ops] restored in ${result.seconds.toFixed(1)} s; audit OK, head ${v.lastSeq} ${v.lastHash}`);
    return 0;
  } catch (error) {
    const refused = error instanceof Error && (error.name === "RestoreRefusedError" || error.name === "ArchiveRejectedError");
    console.error(`[ops] ${refused ? "REFUSED: " : "failed: "}${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await handle.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("[ops] failed:", error);
    process.exit(1);
  },
);
