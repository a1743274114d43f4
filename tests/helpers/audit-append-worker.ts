// One "app instance" for tests/integration/audit-multiprocess.test.ts: its own process and its own
// connection pool, appending AUDIT_WORKER_COUNT events as AUDIT_WORKER_NAME through the app's
// appendAuditEvent (untyped: a made-up action), starting at AUDIT_WORKER_START_AT (epoch ms) so both processes write at once.
import { createPrismaClient } from "@/lib/prisma-client";
import { recordUntypedAuditEvent } from "./untyped-audit-event";

async function main() {
  const url = process.env.DATABASE_URL;
  const name = process.env.AUDIT_WORKER_NAME ?? "worker";
  const count = Number(process.env.AUDIT_WORKER_COUNT ?? "100");
  const startAt = Number(process.env.AUDIT_WORKER_START_AT ?? "0");
  const parallel = Number(process.env.AUDIT_WORKER_PARALLEL ?? "4");
  if (!url) throw new Error("DATABASE_URL is not set");
  const prisma = createPrismaClient(url, parallel);
  try {
    await prisma.$queryRaw`SELECT 1`;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
    await Promise.all(
      Array.from({ length: parallel }, async (_, lane) => {
        for (let i = lane; i < count; i += parallel) {
          await recordUntypedAuditEvent(prisma, { action: "cluster.append", entityType: "Instance", entityId: name, requestId: null, details: { i } });
        }
      }),
    );
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
