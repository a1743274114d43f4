// Every page, route handler and server action in app/ must have a row in the authorization
// matrix (lib/auth/route-access.ts), every row must point at something that exists, and every
// route handler and server action must go through the wrapper that executes its row (withRoute,
// runAction/authorizeAction). tests/integration/access-matrix.test.ts calls each of them.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isPublicPath } from "@/lib/auth/auth.config";
import {
  ACTION_ACCESS, LANDING_PAGES, NAV_GROUPS, NAV_ITEMS, PAGE_ACCESS, navigationFor, PUBLIC_PATHS, ROUTE_HANDLER_ACCESS, accessDecision, roleMayUse, userMayOpen, type Access,
} from "@/lib/auth/route-access";
import { PERMISSIONS, permissionsFor, type Permission } from "@/lib/auth/permissions";
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
    expect(nav(["OWNER_EDITOR"])).toEqual(["/my-work", "/returns", "/notices", "/import", "/projects", "/plan", "/indicators"]);
    // A reviewer's 我的待办 is their queue (returns and corrections waiting, oldest first).
    expect(nav(["COUNTY_REVIEWER"])).toEqual(["/my-work", "/returns", "/import", "/projects", "/plan", "/indicators"]);
    expect(nav(["LEADERSHIP"])).toEqual(["/returns", "/notices", "/dashboard", "/delays", "/report", "/evaluation", "/projects", "/plan", "/indicators", "/reconciliation"]);
    expect(nav(["AUDITOR"])).toEqual(["/returns", "/notices", "/dashboard", "/delays", "/report", "/evaluation", "/projects", "/plan", "/indicators", "/audit", "/reconciliation"]);
    expect(nav(["SYSTEM_ADMIN"])).toEqual(["/admin/users", "/admin/organizations", "/admin/system"]);
    expect(nav(["SYSTEM_ADMIN"], true)).toEqual([]);
  });

  it("groups the pages by task, so the header has at most five entries and 建设月报 never sits beside 月报", () => {
    const groups = (roles: Parameters<typeof permissionsFor>[0]) => navigationFor({ permissions: permissionsFor(roles), mfaPending: false });
    expect(groups(["AUDITOR"]).map((g) => g.group)).toEqual(["work", "portfolio", "library", "oversight"]);
    expect(groups(["SYSTEM_ADMIN"]).map((g) => [g.group, g.items.map((i) => i.href)])).toEqual([["admin", ["/admin/users", "/admin/organizations", "/admin/system"]]]);
    for (const roles of ROLES.map((r) => [r] as const)) {
      const shown = groups(roles);
      expect(shown.length, roles[0]).toBeLessThanOrEqual(NAV_GROUPS.length);
      const groupOf = (href: string) => shown.find((g) => g.items.some((i) => i.href === href))?.group;
      if (groupOf("/returns") && groupOf("/report")) expect(groupOf("/returns"), roles[0]).not.toBe(groupOf("/report"));
    }
    // Every page of the navigation is in one group, and every group has pages.
    expect(new Set(NAV_ITEMS.map((i) => i.group))).toEqual(new Set(NAV_GROUPS));
  });

  it("lands reviewers on their queue and owner units on 我的待办", () => {
    const landing = (roles: Parameters<typeof permissionsFor>[0]) => LANDING_PAGES.find((l) => permissionsFor(roles).has(l.permission))?.path;
    expect(landing(["LEADERSHIP"])).toBe("/dashboard");
    expect(landing(["COUNTY_REVIEWER"])).toBe("/returns");
    expect(landing(["OWNER_EDITOR"])).toBe("/my-work");
    expect(landing(["OWNER_VIEWER"])).toBe("/my-work");
    expect(landing(["AUDITOR"])).toBeUndefined();
    for (const l of LANDING_PAGES) {
      for (const role of ROLES.filter((r) => permissionsFor([r]).has(l.permission))) expect(roleMayUse([role], PAGE_ACCESS[l.path]), `${role} ${l.path}`).toBe(true);
    }
  });
});


/** The route handlers Auth.js owns; they are listed ("public") but not ours to wrap. */
const AUTH_JS = new Set(["/api/auth/[...nextauth]"]);

function rel(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join("/");
}

/** Each exported server action of a "use server" file with the text of its body. */
function serverActions(): { key: string; body: string; source: string }[] {
  return files
    .filter((f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(readFileSync(f, "utf8")))
    .flatMap((f) => {
      const source = readFileSync(f, "utf8");
      const starts = [...source.matchAll(/export\s+async\s+function\s+(\w+)/g)];
      return starts.map((m, i) => ({ key: `${rel(f)}#${m[1]}`, body: source.slice(m.index, starts[i + 1]?.index ?? source.length), source }));
    });
}

describe("the matrix is executed, not only listed", () => {
  it("every route handler exports only withRoute(<its own row>) handlers", () => {
    const handlers = files.filter((f) => /route\.ts$/.test(f) && !AUTH_JS.has(routeOf(f)));
    expect(handlers.length).toBe(Object.keys(ROUTE_HANDLER_ACCESS).length - AUTH_JS.size);
    for (const file of handlers) {
      const source = readFileSync(file, "utf8");
      const methods = [...source.matchAll(/export\s+(?:async\s+function|const|function|let|var)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)].map((m) => m[1]);
      expect(methods.length, rel(file)).toBeGreaterThan(0);
      const wrapped = [...source.matchAll(/export\s+const\s+(\w+)\s*=\s*withRoute\(\s*"([^"]+)"/g)].map((m) => [m[1], m[2]]);
      expect(wrapped, rel(file)).toEqual(methods.map((method) => [method, routeOf(file)]));
      // Nothing resolves the user or answers 401/403 itself: that is the wrapper's job.
      expect(source, rel(file)).not.toMatch(/getCurrentUser|requireRoute|status:\s*40[13]/);
    }
  });

  it("every server action passes its own row to runAction or authorizeAction", () => {
    const actions = serverActions();
    expect(actions.map((a) => a.key).sort()).toEqual(Object.keys(ACTION_ACCESS).sort());
    for (const { key, body, source } of actions) {
      const keys = [...body.matchAll(/(?:runAction|authorizeAction)\(\s*"([^"]+)"/g)].map((m) => m[1]);
      expect(keys, key).toEqual([key]);
      expect(source, key).not.toMatch(/getCurrentUser|performAction/);
    }
  });

  it("the proxy's public paths are the matrix's public rows", () => {
    expect([...PUBLIC_PATHS]).toEqual(["/login", "/setup", "/api/health", "/api/auth"]);
    const publicRows = [...Object.entries(PAGE_ACCESS), ...Object.entries(ROUTE_HANDLER_ACCESS)].filter(([, a]) => a === "public").map(([p]) => p);
    // Only a trailing catch-all may be widened to its parent; a public "[id]" row would need a matcher.
    for (const row of publicRows) expect(row.replace(/\/\[\.\.\.[^\]]+\]$/, ""), row).not.toContain("[");
    for (const pathname of ["/login", "/setup", "/api/health", "/api/auth/session", "/api/auth/callback/credentials"]) expect(isPublicPath(pathname), pathname).toBe(true);
    for (const pathname of ["/", "/account", "/api/report", "/api/attachments/x", "/loginx", "/api/authx"]) expect(isPublicPath(pathname), pathname).toBe(false);
  });

  it("the proxy's side of the matrix stays edge-safe: no Node-only or server-only module is imported", () => {
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, "utf8");
      for (const m of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gm)) {
        if (m[1]) continue; // type-only imports are erased
        const spec = m[2]!;
        if (/^(node:|server-only$|next\/headers|@\/lib\/db$|@\/lib\/generated|@prisma|fs$|path$|crypto$)/.test(spec)) offending.push(`${rel(file)} → ${spec}`);
        const local = spec.startsWith("@/") ? path.join(process.cwd(), spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : null;
        if (local) visit([`${local}.ts`, `${local}.tsx`, path.join(local, "index.ts")].find((f) => existsSync(f))!);
      }
    };
    visit(path.join(process.cwd(), "lib/auth/auth.config.ts"));
    expect(seen.has(path.join(process.cwd(), "lib/auth/route-access.ts"))).toBe(true);
    expect(offending).toEqual([]);
  });
});

describe("accessDecision: the rule the wrappers apply", () => {
  const user = (permissions: Permission[], mfaPending = false) => ({ permissions: new Set(permissions), mfaPending });
  const cases: [Access, ReturnType<typeof user> | null, string][] = [
    ["public", null, "allow"],
    ["public", user([], true), "allow"],
    ["session", null, "sign-in"],
    ["session", user([], true), "allow"],
    ["signed-in", null, "sign-in"],
    ["signed-in", user([], true), "sign-in"],
    ["signed-in", user([]), "allow"],
    [["audit:read:all"], null, "sign-in"],
    [["audit:read:all"], user(["audit:read:all"]), "allow"],
    [["audit:read:all"], user(PERMISSIONS.filter((p) => p !== "audit:read:all")), "deny"],
    [["return:read:all", "return:read:own-org"], user(["return:read:own-org"]), "allow"],
    // A session owing its second factor holds only its own account; the rest asks it to finish.
    [["account:update:self"], user(["account:update:self"], true), "allow"],
    [["user:manage:all"], user(["account:update:self"], true), "sign-in"],
  ];
  it.each(cases)("%j for %j → %s", (access, who, expected) => {
    expect(accessDecision(access, who)).toBe(expected);
  });
});
