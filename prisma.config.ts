// Prisma CLI configuration. The CLI cannot download its native schema engine here, so it
// spawns our WebAssembly-backed stand-in instead (docs/decisions/0002-schema-engine-stand-in.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { resolveDatabase } from "./lib/database-url";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, "prisma", "engine", "schema-engine.mjs");

// The Prisma CLI changes the schema, so it connects as the owner (DATABASE_OWNER_URL, else DATABASE_URL).
const db = resolveDatabase();

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: {
    url: db.ownerUrl,
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
