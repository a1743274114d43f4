// Password hashing (argon2id, OWASP parameters) and the password policy.
import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

const ARGON2 = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_ABSOLUTE_MIN_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this keeps "unknown user" as slow as "wrong password".
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("dummy-password-for-timing-equalisation");
  await verifyPassword(await dummyHash, password);
  return false;
}

const common = new Set((dictionary["passwords-common"]).map((p) => p.toLowerCase()));

export interface PasswordPolicy {
  passwordMinLength: number;
  requireMixedCase: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
}

export type PasswordProblem = "tooShort" | "tooLong" | "common" | "containsUsername" | "needsMixedCase" | "needsDigit" | "needsSymbol";

/** Every rule the password breaks (empty when it is acceptable). */
export function passwordProblems(password: string, policy: PasswordPolicy, username?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const min = Math.max(PASSWORD_ABSOLUTE_MIN_LENGTH, policy.passwordMinLength);
  if ([...password].length < min) problems.push("tooShort");
  if ([...password].length > PASSWORD_MAX_LENGTH) problems.push("tooLong");
  if (common.has(password.toLowerCase())) problems.push("common");
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) problems.push("containsUsername");
  if (policy.requireMixedCase && !(/[a-z]/.test(password) && /[A-Z]/.test(password))) problems.push("needsMixedCase");
  if (policy.requireDigit && !/\d/.test(password)) problems.push("needsDigit");
  if (policy.requireSymbol && !/[^\p{L}\p{N}]/u.test(password)) problems.push("needsSymbol");
  return problems;
}
