// Sign-in abuse (issue 14), on a real database: a TOTP code works once, wrong second-factor codes
// lock the account like wrong passwords, a client cannot choose its own address (through the real
// HTTP server wrapper that rewrites X-Forwarded-For), and a NUL byte is an ordinary failed sign-in.
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { userActor } from "@/tests/helpers/actors";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const PASSWORD = "Right-password-2026";
let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let attemptLogin: typeof import("@/lib/auth/login").attemptLogin;
let totp: typeof import("@/lib/auth/totp");
let clientIp: typeof import("@/lib/auth/client-ip").clientIp;
let withForwardedFor: typeof import("@/lib/auth/forwarded-for").withForwardedFor;

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  prisma = (await import("@/lib/db")).prisma;
  attemptLogin = (await import("@/lib/auth/login")).attemptLogin;
  totp = await import("@/lib/auth/totp");
  clientIp = (await import("@/lib/auth/client-ip")).clientIp;
  withForwardedFor = (await import("@/lib/auth/forwarded-for")).withForwardedFor;
  // Lower limits keep the argon2 work of each file small; the rules are the same.
  await prisma.securitySettings.upsert({ where: { id: 1 }, create: { id: 1, ipMaxFailuresPer15Min: 8 }, update: { ipMaxFailuresPer15Min: 8 } });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function makeUser(username: string, roles: string[]) {
  return prisma.user.create({
    data: { username, displayName: username, passwordHash: await (await import("@/lib/auth/password")).hashPassword(PASSWORD), roles: { create: roles.map((role) => ({ role: role as never })) } },
  });
}

/** An administrator with TOTP enrolled; returns the secret. */
async function makeTotpAdmin(username: string): Promise<string> {
  const secret = totp.newTotpSecret();
  await makeUser(username, ["SECURITY_ADMIN"]);
  await prisma.user.update({ where: { username }, data: { totpSecret: totp.encryptSecret(secret, process.env.AUTH_SECRET!), totpEnabledAt: new Date() } });
  return secret;
}

function wrongCode(right: string): string {
  return right === "000000" ? "111111" : "000000";
}

describe("a TOTP code works once", () => {
  it("refuses the same code a second time, within its 30 seconds", async () => {
    const secret = await makeTotpAdmin("replay.admin");
    const code = totp.currentTotp(secret, "replay.admin");
    const base = { username: "replay.admin", password: PASSWORD, ip: "10.20.0.1", totp: code };
    expect(await attemptLogin(base)).toMatchObject({ ok: true, mfaPending: false });
    expect(await attemptLogin(base)).toEqual({ ok: false, error: "totpInvalid" });
    const failed = await prisma.auditEvent.findFirst({ where: { action: "auth.login.failed", actorName: "replay.admin" }, orderBy: { seq: "desc" } });
    expect(failed?.details).toMatchObject({ reason: "totp-replayed" });
  });

  it("lets exactly one of two concurrent sign-ins with the same code through", async () => {
    const secret = await makeTotpAdmin("race.admin");
    const base = { username: "race.admin", password: PASSWORD, ip: "10.20.0.2", totp: totp.currentTotp(secret, "race.admin") };
    const results = await Promise.all([attemptLogin(base), attemptLogin(base)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "totpInvalid" }]);
  });

  it("refuses the code that confirmed the enrolment for a sign-in straight after", async () => {
    const user = await makeUser("enrol.admin", ["SECURITY_ADMIN"]);
    const session = await prisma.session.create({ data: { userId: user.id, sessionVersion: user.sessionVersion, mfaPending: true } });
    const actor = { ...(await userActor("enrol.admin")), sessionId: session.id, mfaPending: true, isDemo: false };
    const { startTotpEnrolment, confirmTotpEnrolment } = await import("@/lib/data/account");
    const { secret } = await startTotpEnrolment(actor);
    const code = totp.currentTotp(secret, "enrol.admin");
    expect(await confirmTotpEnrolment(actor, code, "10.20.0.3")).toHaveLength(10);
    expect(await attemptLogin({ username: "enrol.admin", password: PASSWORD, ip: "10.20.0.3", totp: code })).toEqual({ ok: false, error: "totpInvalid" });
  });
});

describe("wrong second-factor codes lock the account like wrong passwords", () => {
  it("locks after maxFailedLogins wrong codes, refuses the right password and code until it expires", async () => {
    const secret = await makeTotpAdmin("guess.admin");
    const settings = await prisma.securitySettings.findUniqueOrThrow({ where: { id: 1 } });
    const right = totp.currentTotp(secret, "guess.admin");
    for (let i = 0; i < settings.maxFailedLogins; i++) {
      expect(await attemptLogin({ username: "guess.admin", password: PASSWORD, ip: `10.21.0.${i}`, totp: wrongCode(right) })).toEqual({ ok: false, error: "totpInvalid" });
    }
    const user = await prisma.user.findUniqueOrThrow({ where: { username: "guess.admin" } });
    expect(user.lockedUntil!.getTime() - Date.now()).toBeGreaterThan((settings.lockoutMinutes - 1) * 60_000);
    expect(await prisma.auditEvent.count({ where: { action: "auth.lockout", entityId: user.id } })).toBe(1);
    const failures = await prisma.auditEvent.findMany({ where: { action: "auth.login.failed", entityId: user.id }, orderBy: { seq: "asc" } });
    expect(failures.map((e) => (e.details as { reason: string }).reason)).toEqual(Array(settings.maxFailedLogins).fill("totp-invalid"));

    expect(await attemptLogin({ username: "guess.admin", password: PASSWORD, ip: "10.21.1.1", totp: right })).toEqual({ ok: false, error: "invalid" });
    const later = new Date(Date.now() + (settings.lockoutMinutes + 1) * 60_000);
    const laterCode = totp.currentTotp(secret, "guess.admin", later);
    expect(await attemptLogin({ username: "guess.admin", password: PASSWORD, ip: "10.21.1.1", totp: laterCode, now: later })).toMatchObject({ ok: true });
  });

  it("counts wrong recovery codes too", async () => {
    await makeTotpAdmin("recovery.admin");
    const base = { username: "recovery.admin", password: PASSWORD, ip: "10.22.0.1" };
    await attemptLogin({ ...base, totp: "ABCDE-12345" });
    await attemptLogin({ ...base, totp: "FFFFF-00000" });
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "recovery.admin" } })).failedLoginCount).toBe(2);
  });

  it("does not count the ordinary 'second factor required' step", async () => {
    await makeTotpAdmin("step.admin");
    for (let i = 0; i < 6; i++) expect(await attemptLogin({ username: "step.admin", password: PASSWORD, ip: "10.23.0.1" })).toEqual({ ok: false, error: "totpRequired" });
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "step.admin" } })).failedLoginCount).toBe(0);
  });
});

describe("a NUL byte in the sign-in form", () => {
  it("is an ordinary failed sign-in, recorded with a storable name", async () => {
    expect(await attemptLogin({ username: "adm\u0000in", password: "x-password-1", ip: "10.24.0.1", userAgent: "evil\u0000agent" })).toEqual({ ok: false, error: "invalid" });
    expect(await prisma.loginAttempt.count({ where: { username: "adm\uFFFDin", ip: "10.24.0.1", success: false } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "auth.login.failed", actorName: "adm\uFFFDin" } })).toBe(1);
  });

  it("stores a NUL-bearing or very long user agent of a successful sign-in safely", async () => {
    await makeUser("agent.clerk", ["OWNER_VIEWER"]);
    const result = await attemptLogin({ username: "agent.clerk", password: PASSWORD, ip: "10.24.0.2", userAgent: `Mozilla\u0000${"x".repeat(1000)}` });
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const session = await prisma.session.findUniqueOrThrow({ where: { id: result.sessionId } });
    expect(session.userAgent!.startsWith("Mozilla\uFFFDxxx")).toBe(true);
    expect(session.userAgent!.length).toBeLessThanOrEqual(300);
  });

  it("truncates a very long name before it is stored", async () => {
    expect(await attemptLogin({ username: `long${"\u0000".repeat(500)}`, password: "x-password-1", ip: "10.24.0.3" })).toEqual({ ok: false, error: "invalid" });
    const row = await prisma.loginAttempt.findFirstOrThrow({ where: { ip: "10.24.0.3" } });
    expect(row.username.length).toBeLessThanOrEqual(100);
  });
});

// ---- the client address, through a real HTTP server ----------------------------------------------

/**
 * A sign-in endpoint behind the same wrapper scripts/server.ts puts in front of Next.js, then what
 * Next.js itself does (fill X-Forwarded-For from the socket only when absent), then clientIp.
 */
async function signInServer(trustedProxyHops: number): Promise<{ server: Server; port: number }> {
  const server = createServer(
    withForwardedFor(async (req: IncomingMessage, res) => {
      req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { username: string; password: string };
      const ip = clientIp(headers, trustedProxyHops);
      const result = await attemptLogin({ ...body, ip });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ...result, ip }));
    }, trustedProxyHops),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function post(port: number, body: object, headers: Record<string, string>, localAddress = "127.0.0.1"): Promise<{ ok: boolean; error?: string; ip: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", localAddress, headers: { "content-type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("the client's address cannot be chosen by the client", () => {
  it("with no trusted proxy, ignores a forged X-Forwarded-For and X-Real-IP: the per-IP throttle holds", async () => {
    await makeUser("xff.clerk", ["OWNER_VIEWER"]);
    const { server, port } = await signInServer(0);
    try {
      const settings = await prisma.securitySettings.findUniqueOrThrow({ where: { id: 1 } });
      for (let i = 0; i < settings.ipMaxFailuresPer15Min; i++) {
        const forged = { "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `203.0.113.${i}` };
        const answer = await post(port, { username: `spray${i}`, password: "x-password-1" }, forged, "127.0.0.3");
        expect(answer).toMatchObject({ ok: false, error: "invalid", ip: "127.0.0.3" });
      }
      const forged = { "x-forwarded-for": "192.0.2.200" };
      expect(await post(port, { username: "xff.clerk", password: PASSWORD }, forged, "127.0.0.3")).toMatchObject({ ok: false, error: "throttled", ip: "127.0.0.3" });
      // Another address is not locked out by the first one's failures.
      expect(await post(port, { username: "xff.clerk", password: PASSWORD }, forged, "127.0.0.4")).toMatchObject({ ok: true, ip: "127.0.0.4" });
    } finally {
      server.close();
    }
  });

  it("behind one trusted proxy, uses the address that proxy saw, not what the client wrote before it", async () => {
    await makeUser("proxy.clerk", ["OWNER_VIEWER"]);
    const { server, port } = await signInServer(1);
    try {
      const settings = await prisma.securitySettings.findUniqueOrThrow({ where: { id: 1 } });
      // The proxy (connecting from 127.0.0.5) appends the address it saw to what the client sent.
      for (let i = 0; i < settings.ipMaxFailuresPer15Min; i++) {
        const answer = await post(port, { username: `proxyspray${i}`, password: "x-password-1" }, { "x-forwarded-for": `198.51.100.${i}, 203.0.113.9` }, "127.0.0.5");
        expect(answer).toMatchObject({ ok: false, error: "invalid", ip: "203.0.113.9" });
      }
      expect(await post(port, { username: "proxy.clerk", password: PASSWORD }, { "x-forwarded-for": "10.0.0.1, 203.0.113.9" }, "127.0.0.5")).toMatchObject({ ok: false, error: "throttled" });
      expect(await post(port, { username: "proxy.clerk", password: PASSWORD }, { "x-forwarded-for": "203.0.113.9, 203.0.113.10" }, "127.0.0.5")).toMatchObject({ ok: true, ip: "203.0.113.10" });
    } finally {
      server.close();
    }
  });
});

describe("the server log", () => {
  it("prints nothing for the second-factor step or a wrong password, and still logs a real error", async () => {
    await makeTotpAdmin("log.admin");
    const { NextRequest } = await import("next/server");
    const { handlers } = await import("@/lib/auth");
    const { authLogger } = await import("@/lib/auth/auth-logger");
    const base = "http://localhost:3000/api/auth";
    const csrf = await handlers.GET(new NextRequest(`${base}/csrf`));
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const signIn = (fields: Record<string, string>) =>
      handlers.POST(
        new NextRequest(`${base}/callback/credentials`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": "10.30.0.1" },
          body: new URLSearchParams({ csrfToken, ...fields }),
        }),
      );
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      expect((await signIn({ username: "log.admin", password: PASSWORD })).headers.get("location")).toContain("code=totpRequired");
      expect((await signIn({ username: "log.admin", password: "wrong-password-1" })).headers.get("location")).toContain("code=invalid");
      expect(errors).not.toHaveBeenCalled();
      authLogger.error!(new Error("database unreachable"));
      expect(errors).toHaveBeenCalledWith(expect.stringContaining("database unreachable"));
    } finally {
      errors.mockRestore();
    }
  });
});
