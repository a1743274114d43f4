import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { MAX_REQUEST_BODY_MB, securityHeaderRules } from "./lib/security-headers";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with HTTP 403.
  experimental: {
    authInterrupts: true,
    // Evidence uploads go through server actions and pass proxy.ts: both must accept the largest
    // attachment (ATTACHMENT_MAX_MB, at most 45) plus the form. The server checks the real limit;
    // proxy.ts answers 413 to anything larger before these parsers see it.
    serverActions: { bodySizeLimit: `${MAX_REQUEST_BODY_MB}mb` },
    proxyClientMaxBodySize: `${MAX_REQUEST_BODY_MB}mb`,
  },
  // The PGlite server runs in its own process; the app only needs `pg`.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg"],
  // Every response; proxy.ts replaces the CSP with one carrying the request's nonce. The attachment
  // route sets its own framing headers (an inline preview may be framed by the app's own pages).
  async headers() {
    return securityHeaderRules(process.env.NODE_ENV === "production");
  },
};

export default withNextIntl(nextConfig);
