import { describe, expect, it } from "vitest";
import { isSameOriginMutation } from "@/lib/auth/origin";
import { clientIp } from "@/lib/auth/client-ip";
import { PERMISSIONS, ROLE_PERMISSIONS, can, permissionsFor } from "@/lib/auth/permissions";
import { ADMIN_ROLES, ROLES, roleSetProblem } from "@/lib/auth/roles";
import { sessionEndReason } from "@/lib/auth/session-rules";

describe("roles (三员分立)", () => {
  it("an administrator role stands alone", () => {
    expect(roleSetProblem(["SYSTEM_ADMIN"])).toBeNull();
    expect(roleSetProblem(["OWNER_EDITOR", "LEADERSHIP"])).toBeNull();
    expect(roleSetProblem(["SYSTEM_ADMIN", "AUDIT_ADMIN"])).toBe("adminNotAlone");
    expect(roleSetProblem(["SECURITY_ADMIN", "AUDITOR"])).toBe("adminNotAlone");
    expect(roleSetProblem([])).toBe("empty");
  });

  it("administrators hold no business permission", () => {
    const business = PERMISSIONS.filter((p) => /^(project|return|notice|plan|indicator):/.test(p));
    for (const role of ADMIN_ROLES) {
      expect(ROLE_PERMISSIONS[role].filter((p) => business.includes(p)), role).toEqual([]);
    }
  });

  it("auditors read everything and change nothing", () => {
    // Only their own password may change; no business write.
    const writes = ROLE_PERMISSIONS.AUDITOR.filter((p) => !p.startsWith("account:") && /:(update|submit|approve|send|respond|rate|manage):/.test(p));
    expect(writes).toEqual([]);
    expect(ROLE_PERMISSIONS.AUDITOR).toContain("project:read:all");
    expect(ROLE_PERMISSIONS.AUDITOR).toContain("audit:read:all");
  });

  it("owner units edit only their own organization's projects", () => {
    const editor = { permissions: permissionsFor(["OWNER_EDITOR"]) };
    expect(can(editor, "project:update:own-org")).toBe(true);
    expect(can(editor, "project:read:all")).toBe(false);
    expect(can({ permissions: permissionsFor(["OWNER_VIEWER"]) }, "project:update:own-org")).toBe(false);
  });

  it("every role is in the table and every granted permission exists", () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    for (const permissions of Object.values(ROLE_PERMISSIONS)) for (const p of permissions) expect(PERMISSIONS).toContain(p);
  });
});

describe("session limits", () => {
  const now = new Date("2026-11-29T12:00:00Z");
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  const settings = { idleTimeoutMinutes: 30, absoluteTimeoutHours: 12 };
  const user = { disabledAt: null, sessionVersion: 3 };
  const session = { revokedAt: null, createdAt: minutesAgo(60), lastSeenAt: minutesAgo(5), sessionVersion: 3 };

  it("keeps a fresh session", () => expect(sessionEndReason(session, user, settings, now)).toBeNull());
  it("ends after 30 idle minutes", () => expect(sessionEndReason({ ...session, lastSeenAt: minutesAgo(31) }, user, settings, now)).toBe("idle"));
  it("ends 12 hours after sign-in however active", () =>
    expect(sessionEndReason({ ...session, createdAt: minutesAgo(12 * 60 + 1), lastSeenAt: minutesAgo(1) }, user, settings, now)).toBe("expired"));
  it("ends when the password or roles changed", () => expect(sessionEndReason(session, { ...user, sessionVersion: 4 }, settings, now)).toBe("changed"));
  it("ends when the user is disabled", () => expect(sessionEndReason(session, { ...user, disabledAt: now }, settings, now)).toBe("disabled"));
  it("ends when revoked", () => expect(sessionEndReason({ ...session, revokedAt: now }, user, settings, now)).toBe("revoked"));
});

describe("origin check for mutations", () => {
  const origin = "http://localhost:3000";
  const h = (entries: Record<string, string>) => new Headers(entries);
  it("lets reads through", () => expect(isSameOriginMutation("GET", h({ origin: "http://evil.example" }), origin)).toBe(true));
  it("accepts a same-origin POST", () => expect(isSameOriginMutation("POST", h({ origin }), origin)).toBe(true));
  it("refuses a cross-origin POST", () => expect(isSameOriginMutation("POST", h({ origin: "http://evil.example" }), origin)).toBe(false));
  it("refuses a cross-site POST without Origin", () => expect(isSameOriginMutation("DELETE", h({ "sec-fetch-site": "cross-site" }), origin)).toBe(false));
});

describe("client address", () => {
  it("takes the entry the nearest trusted hop added", () => {
    const headers = new Headers({ "x-forwarded-for": "1.1.1.1, 10.0.0.5, 192.0.2.7" });
    expect(clientIp(headers, 0)).toBe("192.0.2.7");
    expect(clientIp(headers, 1)).toBe("10.0.0.5");
    expect(clientIp(new Headers(), 0)).toBe("unknown");
  });
});
