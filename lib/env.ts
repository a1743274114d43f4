// Every environment variable the app reads, parsed once with zod. Import `env` from here;
// nothing else reads process.env (except lib/database-url.ts, which prisma.config.ts shares).
import { z } from "zod";
import { resolveDatabase } from "./database-url";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  /** The owner of the tables, for migrations, seed and audit purge; the app serves as DATABASE_URL (docs/decisions/0009). */
  DATABASE_OWNER_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  /** Serve even when DATABASE_URL's role could switch the audit triggers off (superuser, table owner...). Off unless 1. */
  ALLOW_SUPERUSER: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((value) => value === "1" || value === "true"),
  PGLITE_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PGLITE_DIR: z.string().optional(),
  /** A hot-standby replica of DATABASE_URL's database; heavy reads go there (lib/db-replica.ts, docs/decisions/0023). */
  DATABASE_REPLICA_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  /** Reads fall back to the primary when the replica is further behind than this many seconds. */
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  /** Connections per process; embedded PGlite is safe only with 1. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  /**
   * The longest one SQL statement of a request may run on a PostgreSQL server, in milliseconds
   * (0: unbounded). PostgreSQL cancels it beyond that; the request fails and the connection is
   * free again (docs/decisions/0044). Embedded PGlite is single-user and takes no timeout.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** The demo overlay is on unless SEED_DEMO=0 (or false). */
  SEED_DEMO: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((value) => value !== "0" && value !== "false"),
  APP_VERSION: z.string().optional(),
  /** Signs session cookies and encrypts TOTP secrets. scripts/start.ts creates one in .data when unset. */
  /** Reverse proxies in front of the app whose X-Forwarded-For entries are trusted. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** Optional government single sign-on (OIDC). All three of issuer, client id and secret enable it. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  // eslint-disable-next-line no-restricted-syntax -- a proper name: the identity provider as it calls itself
  OIDC_NAME: z.string().min(1).default("政务统一身份认证"),
  /** The ID-token claim that equals our User.username. */
  OIDC_USERNAME_CLAIM: z.string().min(1).default("preferred_username"),
  /** Monthly returns: the return for month M is due on this day of month M+1. */
  RETURN_DUE_DAY: z.coerce.number().int().min(1).max(28).default(25),
  /** Largest evidence file accepted, in MB (server actions accept bodies up to 50 MB; see next.config.ts). */
  ATTACHMENT_MAX_MB: z.coerce.number().int().min(1).max(45).default(20),
  /** Where evidence files live: `local` (ATTACHMENT_DIR, one machine) or `postgres` (shared by several instances; docs/decisions/0023). */
  STORAGE_BACKEND: z.enum(["local", "postgres"]).default("local"),
  /** Folder of the local attachment store. */
  ATTACHMENT_DIR: z.string().min(1).default(".data/attachments"),
  /** Excel/CSV import (lib/import): largest upload in MB, most data rows, and the most an .xlsx may inflate to. */
  IMPORT_MAX_MB: z.coerce.number().min(0.001).max(45).default(10),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  IMPORT_MAX_INFLATED_MB: z.coerce.number().min(1).max(2048).default(200),
  /**
   * Bulk downloads (exports, OC4IDS, reports as files) one app instance serves at once, and per user;
   * beyond them the answer is 503 with Retry-After (lib/http/bulk-slots.ts, docs/decisions/0040).
   */
  BULK_DOWNLOADS_MAX: z.coerce.number().int().min(1).max(64).default(4),
  BULK_DOWNLOADS_PER_USER: z.coerce.number().int().min(1).max(64).default(2),
  /** How long an uploaded file waits for confirmation before it must be uploaded again. */
  IMPORT_PREVIEW_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /** Audit log (docs/decisions/0009): hash function for new events (sm3 = GB/T 32905). */
  AUDIT_HASH_ALGORITHM: z.enum(["sha256", "sm3"]).default("sha256"),
  /** Where signed checkpoint files go (keep a copy off the database host). */
  AUDIT_CHECKPOINT_DIR: z.string().min(1).default(".data/audit-checkpoints"),
  /** Optional second folder every checkpoint file is also written to (another disk or mount, e.g. WORM/NFS); the verifier reads it too. */
  AUDIT_CHECKPOINT_MIRROR_DIR: z.string().min(1).optional(),
  /** Ed25519 key that signs checkpoints; created with its public key on first use. */
  AUDIT_SIGNING_KEY: z.string().min(1).default(".data/audit-signing-key.pem"),
  /** The public key the verifier checks checkpoint signatures with. */
  AUDIT_PUBLIC_KEY: z.string().min(1).default(".data/audit-signing-key.pub.pem"),
  /** Where `audit:purge` writes the events it removes before removing them. */
  AUDIT_ARCHIVE_DIR: z.string().min(1).default(".data/audit-archive"),
  /** Audit events younger than this many days are never purged (180 at least; the database enforces 180 too). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180, "AUDIT_RETENTION_DAYS cannot be below 180").default(180),
  /** Scheduled jobs (lib/jobs, docs/jobs.md): the server process runs the job worker unless JOBS_WORKER=0. */
  JOBS_WORKER: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((value) => value !== "0" && value !== "false"),
  /** A signed checkpoint is also taken once this many events were appended since the last one. */
  AUDIT_CHECKPOINT_EVERY_EVENTS: z.coerce.number().int().min(10).max(10_000_000).default(1000),
  /** The nightly audit archive and purge runs only when this is 1 (the purge deletes rows). */
  AUDIT_PURGE_SCHEDULED: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((value) => value === "1" || value === "true"),
  /** The scheduled daily backup (docs/jobs.md) writes its archives here; off when unset. */
  BACKUP_DIR: z.string().min(1).optional().or(z.literal("").transform(() => undefined)),
  /** How many scheduled archives BACKUP_DIR keeps (the oldest beyond are deleted). */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  /** Reminders stop this many weeks after a return's due day. */
  REMINDER_MAX_WEEKS: z.coerce.number().int().min(1).max(52).default(8),
  /** Optional SMTP sender for reminders and alerts, e.g. smtp://user:pass@mail.example.gov.cn:587. Off when unset. */
  SMTP_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  SMTP_FROM: z.string().min(3).default("noreply@localhost"),
  /** Seals the secrets `db:backup --include-secrets` puts in the archive, and opens them on `db:restore` (docs/operations.md). */
  BACKUP_PASSPHRASE: z.string().optional(),
});

function parseEnv() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment variables:\n  ${problems.join("\n  ")}`);
  }
  const database = resolveDatabase(process.env);
  return {
    ...parsed.data,
    database,
    databasePoolMax: parsed.data.DATABASE_POOL_MAX ?? (database.mode === "embedded" ? 1 : 10),
    /** The request clients' statement timeout (lib/db.ts, lib/db-replica.ts); 0 on embedded PGlite. */
    statementTimeoutMs: database.mode === "server" ? parsed.data.DATABASE_STATEMENT_TIMEOUT_MS : 0,
  };
}

export const env = parseEnv();

export function authSecret(): string {
  if (!env.AUTH_SECRET) throw new Error("AUTH_SECRET is not set (npm start creates .data/auth-secret; set it in production)");
  return env.AUTH_SECRET;
}
export type Env = typeof env;
