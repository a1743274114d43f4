// TOTP second factor for administrators (RFC 6238 via otpauth), its secret encrypted at rest
// with a key derived from AUTH_SECRET, and single-use recovery codes (stored as SHA-256).
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";

// eslint-disable-next-line no-restricted-syntax -- a proper name: the issuer shown in the authenticator app
const ISSUER = "遵义城镇化项目库";

function key(authSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret, "zunyi-totp", "totp-secret-encryption", 32));
}

export function encryptSecret(secretBase32: string, authSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(authSecret), iv);
  const data = Buffer.concat([cipher.update(secretBase32, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function decryptSecret(stored: string, authSecret: string): string {
  const [version, iv, tag, data] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("unreadable TOTP secret");
  const decipher = createDecipheriv("aes-256-gcm", key(authSecret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

function totp(secretBase32: string, username: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label: username, algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

export function totpQrDataUrl(secretBase32: string, username: string): Promise<string> {
  return QRCode.toDataURL(totpUri(secretBase32, username), { margin: 1, width: 220 });
}

/**
 * The RFC 6238 time step (unix seconds / 30) of `code` when it is the code of the step of `at` or of
 * one step either side (clock drift), else null. A code is valid for up to 90 s, so the caller must
 * also refuse a step at or before the last one it accepted for the user (claimTotpStep in
 * lib/auth/login.ts): otherwise the same code signs in twice.
 */
export function acceptedTotpStep(secretBase32: string, username: string, code: string, at: Date = new Date()): number | null {
  const cleaned = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(cleaned)) return null;
  const generator = totp(secretBase32, username);
  const delta = generator.validate({ token: cleaned, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : generator.counter({ timestamp: at.getTime() }) + delta;
}

/** The code an authenticator app shows at `at` (tests, e2e and the screenshot script). */
export function currentTotp(secretBase32: string, username: string, at: Date = new Date()): string {
  return totp(secretBase32, username).generate({ timestamp: at.getTime() });
}

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const raw = randomBytes(5).toString("hex").toUpperCase();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(code.replace(/[\s-]/g, "").toUpperCase()).digest("hex");
}
