// The app's one Prisma client, on embedded PGlite or a PostgreSQL server (lib/env.ts decides).
import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { createPrismaClient } from "@/lib/prisma-client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma: PrismaClient = globalForPrisma.prisma ?? createPrismaClient(env.database.url, env.databasePoolMax, { statementTimeoutMs: env.statementTimeoutMs });
if (env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
