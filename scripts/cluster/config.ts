// Configuration files of the scale-out topology (docs/deployment.md, docs/decisions/0023-scale-out.md):
// PostgreSQL primary + hot standby, PgBouncer in transaction mode, nginx round-robin over the app
// instances. scripts/cluster/run.ts writes them under a temporary directory on loopback; the
// deployment guide shows the same files with production paths. One generator, so the documented
// settings are the tested ones.

export interface ClusterPorts {
  primary: number;
  replica: number;
  pgbouncer: number;
  nginx: number;
  apps: number[];
}

export const DEFAULT_PORTS: ClusterPorts = { primary: 55432, replica: 55433, pgbouncer: 56432, nginx: 58080, apps: [53001, 53002] };
/** nginx in front of the first instance only: the one-instance side of the benchmark (--bench). */
export const SINGLE_NGINX_PORT = 58081;

/** postgresql.conf additions for the primary (the standby inherits them through pg_basebackup). */
export function primaryConf(opts: { port: number; socketDir: string; listen?: string }): string {
  return [
    `listen_addresses = '${opts.listen ?? "127.0.0.1"}'`,
    `port = ${opts.port}`,
    `unix_socket_directories = '${opts.socketDir}'`,
    "wal_level = replica",
    "max_wal_senders = 5",
    "max_replication_slots = 5",
    "wal_keep_size = '256MB'",
    "hot_standby = on",
    // Long reports on the standby are not cancelled by vacuum on the primary (the primary keeps
    // the rows they read a little longer instead).
    "hot_standby_feedback = on",
    "max_standby_streaming_delay = '30s'",
    "max_connections = 100",
    "shared_buffers = '128MB'",
    "fsync = on",
    "synchronous_commit = on",
    "",
  ].join("\n");
}

/** pg_hba.conf of the primary: the app, the owner and the replication user from loopback only. */
export function primaryHba(): string {
  return [
    "local   all          all                     trust",
    "host    all          all         127.0.0.1/32  trust",
    "host    replication  replicator  127.0.0.1/32  trust",
    "",
  ].join("\n");
}

/** What the standby overrides after pg_basebackup -R (which writes primary_conninfo and standby.signal). */
export function replicaConf(opts: { port: number; socketDir: string }): string {
  return [`port = ${opts.port}`, `unix_socket_directories = '${opts.socketDir}'`, "primary_slot_name = 'replica1'", ""].join("\n");
}

/**
 * pgbouncer.ini: transaction pooling in front of the primary. Prepared statements: the app's
 * driver (@prisma/adapter-pg on node-postgres) sends unnamed statements only (no
 * statementNameGenerator), which transaction pooling supports; PgBouncer >= 1.21 could also track
 * named ones (max_prepared_statements), 1.18 (Debian 12) cannot, and needs not.
 */
export function pgbouncerIni(opts: { port: number; primaryPort: number; database: string; dir: string; authFile: string; poolSize?: number }): string {
  return [
    "[databases]",
    `${opts.database} = host=127.0.0.1 port=${opts.primaryPort} dbname=${opts.database}`,
    "",
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${opts.port}`,
    `unix_socket_dir = ${opts.dir}`,
    `logfile = ${opts.dir}/pgbouncer.log`,
    `pidfile = ${opts.dir}/pgbouncer.pid`,
    "auth_type = trust",
    `auth_file = ${opts.authFile}`,
    "pool_mode = transaction",
    `default_pool_size = ${opts.poolSize ?? 20}`,
    "max_client_conn = 400",
    "reserve_pool_size = 5",
    // node-postgres may send these at start-up; PgBouncer must not refuse the connection for them.
    // A server connection serves many clients, so a client's statement_timeout cannot travel
    // through it: the app's login role carries it instead (ALTER ROLE ... SET, docs/decisions/0044).
    "ignore_startup_parameters = extra_float_digits,options,statement_timeout",
    "server_reset_query = DISCARD ALL",
    "server_reset_query_always = 0",
    "",
  ].join("\n");
}

/** nginx.conf: round-robin over the app instances; a dead instance is skipped for the next try. */
export function nginxConf(opts: { port: number; apps: number[]; dir: string }): string {
  const servers = opts.apps.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=10s;`).join("\n");
  return `worker_processes 1;
pid ${opts.dir}/nginx.pid;
error_log ${opts.dir}/nginx-error.log warn;
events { worker_connections 512; }
http {
  access_log ${opts.dir}/nginx-access.log;
  client_body_temp_path ${opts.dir}/client_body;
  proxy_temp_path ${opts.dir}/proxy;
  fastcgi_temp_path ${opts.dir}/fastcgi;
  uwsgi_temp_path ${opts.dir}/uwsgi;
  scgi_temp_path ${opts.dir}/scgi;
  client_max_body_size 50m;
  upstream zunyi_app {
${servers}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${opts.port};
    location / {
      proxy_pass http://zunyi_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Which instance answered (the cluster test counts them; handy when reading a bug report).
      add_header X-Upstream $upstream_addr always;
      # Fail over to the other instance when one is gone; only idempotent requests are retried
      # (nginx's default), so a POST is never applied twice.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

/** The environment of one app instance in the cluster (TRUSTED_PROXY_HOPS=1: nginx is in front). */
export function appEnv(opts: { port: number; pgbouncerPort: number; primaryPort: number; replicaPort: number; database: string; appRole: string; owner: string; secret: string; dataDir: string }): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(opts.port),
    // Serving traffic goes through PgBouncer; migrations, the seed and the job runner's LISTEN
    // need a session and connect to the primary directly (DATABASE_OWNER_URL).
    DATABASE_URL: `postgresql://${opts.appRole}@127.0.0.1:${opts.pgbouncerPort}/${opts.database}`,
    DATABASE_OWNER_URL: `postgresql://${opts.owner}@127.0.0.1:${opts.primaryPort}/${opts.database}`,
    DATABASE_REPLICA_URL: `postgresql://${opts.appRole}@127.0.0.1:${opts.replicaPort}/${opts.database}`,
    REPLICA_MAX_LAG_SECONDS: "30",
    AUTH_SECRET: opts.secret,
    TRUSTED_PROXY_HOPS: "1",
    STORAGE_BACKEND: "postgres",
    AUDIT_CHECKPOINT_DIR: `${opts.dataDir}/audit-checkpoints`,
    AUDIT_SIGNING_KEY: `${opts.dataDir}/audit-signing-key.pem`,
    AUDIT_PUBLIC_KEY: `${opts.dataDir}/audit-signing-key.pub.pem`,
  };
}
