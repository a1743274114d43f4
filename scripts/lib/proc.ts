// Running child processes from the scripts: inherit output, fail loudly with the command named.
import { spawn, type SpawnOptions } from "node:child_process";
import path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", cwd: repoRoot, ...options });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Runs a package's CLI with this Node, without going through npx. */
export function runBin(relativeBin: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return run(process.execPath, [path.join(repoRoot, "node_modules", relativeBin), ...args], options);
}

export const bins = {
  prisma: "prisma/build/index.js",
  next: "next/dist/bin/next",
  vitest: "vitest/vitest.mjs",
  playwright: "@playwright/test/cli.js",
  tsx: "tsx/dist/cli.mjs",
} as const;
