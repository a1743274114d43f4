// The app's HTTP server (started by scripts/start.ts in place of `next start`/`next dev`): Next.js
// behind a node:http server that sets X-Forwarded-For from the socket before Next.js sees the
// request (lib/auth/forwarded-for.ts), so a client cannot choose the address that the sign-in
// throttle, lockouts and the audit log record. Usage: tsx scripts/server.ts [--dev]; PORT (3000).
import { createServer } from "node:http";
import { repoRoot } from "./lib/proc";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? "3000");
// As `next start` / `next dev` would; set before Next.js and React are loaded.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";

async function main() {
  const { default: next } = await import("next");
  const { env } = await import("../lib/env");
  const { withForwardedFor } = await import("../lib/auth/forwarded-for");
  const server = createServer();
  const app = next({ dev, dir: repoRoot, port, httpServer: server });
  await app.prepare();
  const handle = app.getRequestHandler();
  server.on(
    "request",
    withForwardedFor((req, res) => {
      handle(req, res).catch((error: unknown) => {
        console.error("[server]", error);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
    }, env.TRUSTED_PROXY_HOPS),
  );
  await new Promise<void>((resolve) => server.listen(port, resolve));
  console.log(`[server] Next.js ${dev ? "development" : "production"} server on port ${port} (TRUSTED_PROXY_HOPS=${env.TRUSTED_PROXY_HOPS})`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      server.close();
      void app.close().finally(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error("[server]", error);
  process.exit(1);
});
