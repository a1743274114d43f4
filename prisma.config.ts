// Prisma CLI configuration. The CLI cannot download its native schema engine here, so it
// spawns our WebAssembly-backed stand-in instead (docs/decisions/0002-schema-engine-stand-in.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { resolveDatabase } from "./lib/database-url";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, "prisma", "engine", "schema-engine.mjs");

const db = resolveDatabase();

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: {
    url: db.url,
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
