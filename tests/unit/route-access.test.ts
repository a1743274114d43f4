// Every page, route handler and server action in app/ must have a row in the authorization
// matrix (lib/auth/route-access.ts), and every row must point at something that exists.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_ACCESS, NAV_ITEMS, PAGE_ACCESS, ROUTE_HANDLER_ACCESS, roleMayUse, userMayOpen } from "@/lib/auth/route-access";
import { permissionsFor } from "@/lib/auth/permissions";
import { ROLES } from "@/lib/auth/roles";

const appDir = path.join(process.cwd(), "app");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function routeOf(file: string): string {
  const segments = path.relative(appDir, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

const files = walk(appDir);

describe("authorization matrix covers the app", () => {
  it("lists every page", () => {
    const pages = files.filter((f) => f.endsWith("page.tsx")).map(routeOf).sort();
    expect(pages).toEqual(Object.keys(PAGE_ACCESS).sort());
  });

  it("lists every route handler", () => {
    const handlers = files.filter((f) => /route\.ts$/.test(f)).map(routeOf).sort();
    expect(handlers).toEqual(Object.keys(ROUTE_HANDLER_ACCESS).sort());
  });

  it("lists every server action", () => {
    const actions = files
      .filter((f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(readFileSync(f, "utf8")))
      .flatMap((f) => {
        const source = readFileSync(f, "utf8");
        const rel = path.relative(process.cwd(), f).split(path.sep).join("/");
        return [...source.matchAll(/export\s+async\s+function\s+(\w+)/g)].map((m) => `${rel}#${m[1]}`);
      })
      .sort();
    expect(actions).toEqual(Object.keys(ACTION_ACCESS).sort());
  });

  it("gives administrators no business page and business roles no administration page", () => {
    for (const role of ["SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"] as const) {
      expect(roleMayUse([role], PAGE_ACCESS["/projects"]), role).toBe(false);
    }
    for (const role of ROLES.filter((r) => !r.endsWith("_ADMIN"))) {
      for (const page of ["/admin/users", "/admin/security", "/admin/organizations", "/admin/system"] as const) {
        expect(roleMayUse([role], PAGE_ACCESS[page]), `${role} ${page}`).toBe(false);
      }
    }
  });
});

describe("navigation follows the matrix", () => {
  it("shows each role exactly the pages it may open, and nothing before the second factor", () => {
    const nav = (roles: Parameters<typeof permissionsFor>[0], mfaPending = false) =>
      NAV_ITEMS.filter((item) => userMayOpen({ permissions: permissionsFor(roles), mfaPending }, item.href)).map((item) => item.href);
    expect(nav(["OWNER_EDITOR"])).toEqual(["/my-work", "/notices", "/projects", "/returns", "/import", "/plan", "/indicators"]);
    expect(nav(["COUNTY_REVIEWER"])).toEqual(["/projects", "/returns", "/import", "/plan", "/indicators"]);
    expect(nav(["LEADERSHIP"])).toEqual(["/dashboard", "/delays", "/report", "/notices", "/projects", "/returns", "/plan", "/indicators", "/reconciliation"]);
    expect(nav(["AUDITOR"])).toEqual(["/dashboard", "/delays", "/report", "/notices", "/projects", "/returns", "/plan", "/indicators", "/audit", "/reconciliation"]);
    expect(nav(["SYSTEM_ADMIN"])).toEqual(["/admin/users", "/admin/organizations", "/admin/system"]);
    expect(nav(["SYSTEM_ADMIN"], true)).toEqual([]);
  });
});

