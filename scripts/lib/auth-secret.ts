// AUTH_SECRET for a fresh clone: generated once into .data/auth-secret (git-ignored, 0600) when
// the environment does not provide one. Production sets AUTH_SECRET itself.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./proc";

export function ensureAuthSecret(env: NodeJS.ProcessEnv = process.env): void {
  if (env.AUTH_SECRET) return;
  const file = path.join(repoRoot, ".data", "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  }
  env.AUTH_SECRET = readFileSync(file, "utf8").trim();
}
