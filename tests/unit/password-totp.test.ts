import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblems, verifyPassword } from "@/lib/auth/password";
import { currentTotp, decryptSecret, encryptSecret, hashRecoveryCode, newRecoveryCodes, newTotpSecret, acceptedTotpStep } from "@/lib/auth/totp";

const policy = { passwordMinLength: 10, requireMixedCase: false, requireDigit: true, requireSymbol: false };

describe("password hashing", () => {
  it("uses argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("Correct-horse-7");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hash, "Correct-horse-7")).toBe(true);
    expect(await verifyPassword(hash, "correct-horse-7")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

describe("password policy", () => {
  it("accepts a long, uncommon password", () => expect(passwordProblems("Zunyi-demo-2026", policy)).toEqual([]));
  it("rejects short, common and username-based passwords", () => {
    expect(passwordProblems("abc1", policy)).toContain("tooShort");
    expect(passwordProblems("password123", policy)).toContain("common");
    expect(passwordProblems("zhangsan-2026x", policy, "zhangsan")).toContain("containsUsername");
  });
  it("applies the configurable complexity rules", () => {
    expect(passwordProblems("lowercase-only-words", policy)).toContain("needsDigit");
    expect(passwordProblems("alllower-2026x", { ...policy, requireMixedCase: true })).toContain("needsMixedCase");
    expect(passwordProblems("NoSymbol2026abc", { ...policy, requireSymbol: true })).toContain("needsSymbol");
    expect(passwordProblems("密码很长而且不常见2026", policy)).toEqual([]);
  });
  it("allows at least 64 characters and refuses more than 128", () => {
    expect(passwordProblems(`${"a1".repeat(32)}`, policy)).toEqual([]);
    expect(passwordProblems(`${"a1".repeat(65)}`, policy)).toContain("tooLong");
  });
  it("never lets the minimum drop below 8", () => expect(passwordProblems("abcdef1", { ...policy, passwordMinLength: 4 })).toContain("tooShort"));
});

describe("TOTP", () => {
  it("accepts the current code and rejects others", () => {
    const secret = newTotpSecret();
    const code = currentTotp(secret, "sysadmin");
    expect(acceptedTotpStep(secret, "sysadmin", code)).not.toBeNull();
    expect(acceptedTotpStep(secret, "sysadmin", code === "000000" ? "111111" : "000000")).toBeNull();
    expect(acceptedTotpStep(secret, "sysadmin", "12ab56")).toBeNull();
  });

  it("says which 30-second time step a code belongs to, one step of drift either side", () => {
    const secret = newTotpSecret();
    const at = new Date("2026-12-04T08:00:10Z");
    const step = Math.floor(at.getTime() / 30_000);
    const code = currentTotp(secret, "sysadmin", at);
    expect(acceptedTotpStep(secret, "sysadmin", code, at)).toBe(step);
    // The same code a step later (the app's clock was behind) still belongs to its own step.
    expect(acceptedTotpStep(secret, "sysadmin", code, new Date(at.getTime() + 30_000))).toBe(step);
    expect(acceptedTotpStep(secret, "sysadmin", code, new Date(at.getTime() - 30_000))).toBe(step);
    expect(acceptedTotpStep(secret, "sysadmin", code, new Date(at.getTime() + 60_000))).toBeNull();
  });

  it("stores the secret encrypted, readable only with the same key", () => {
    const secret = newTotpSecret();
    const stored = encryptSecret(secret, "k".repeat(40));
    expect(stored).not.toContain(secret);
    expect(decryptSecret(stored, "k".repeat(40))).toBe(secret);
    expect(() => decryptSecret(stored, "x".repeat(40))).toThrow();
  });

  it("makes distinct recovery codes whose hash ignores case and dashes", () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    const code = codes[0]!;
    expect(hashRecoveryCode(code.toLowerCase().replace("-", ""))).toBe(hashRecoveryCode(code));
  });
});
