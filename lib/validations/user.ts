// zod schemas shared by the account and administration forms and their server actions.
// Messages are i18n keys under `validation.*`; lib/validations/form.ts turns them into text.
import { z } from "zod";
import { version } from "./form";
import { ROLES } from "@/lib/auth/roles";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";

const username = z
  .string()
  .trim()
  .min(3, "validation.usernameLength")
  .max(50, "validation.usernameLength")
  .regex(/^[a-zA-Z0-9._-]+$/, "validation.usernameChars");
const displayName = z.string().trim().min(1, "validation.required").max(50, "validation.tooLong");
const password = z.string().min(1, "validation.required").max(PASSWORD_MAX_LENGTH, "validation.tooLong");
const roles = z.array(z.enum(ROLES)).min(1, "validation.rolesRequired");
const uuid = z.uuid("validation.invalid");

/** A checkbox: "on" when ticked, absent otherwise. */
const checkbox = z.literal("on", "validation.invalid").optional().transform((v) => v === "on");

export const createUserInput = z
  .object({
    username, displayName, organizationId: uuid.or(z.literal("").transform(() => null)), roles, password,
    /** A system account (User.isSystemAccount): another system's identity for API tokens; it cannot sign in. */
    systemAccount: checkbox,
  })
  .strict();

export const updateUserInput = z
  .object({ userId: uuid, version: version(0), displayName, organizationId: uuid.or(z.literal("").transform(() => null)), roles })
  .strict();

export const userIdInput = z.object({ userId: uuid }).strict();

export const resetPasswordInput = z.object({ userId: uuid, password }).strict();

export const changePasswordInput = z
  .object({ currentPassword: password, newPassword: password, confirmPassword: password })
  .strict()
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "validation.passwordMismatch" });

export const initialAdminInput = z.object({ username, displayName, password }).strict();

export const totpCodeInput = z.object({ code: z.string().trim().regex(/^\d{6}$/, "validation.totpFormat") }).strict();

export const sessionIdInput = z.object({ sessionId: uuid }).strict();

export const organizationInput = z
  .object({
    organizationId: uuid.optional(),
    version: version(0).optional(),
    name: z.string().trim().min(2, "validation.required").max(100, "validation.tooLong"),
    kind: z.enum(["CITY_GOVERNMENT", "CITY_DEPARTMENT", "COUNTY_GOVERNMENT", "COUNTY_DEPARTMENT", "ENTERPRISE", "LEADERSHIP_OFFICE", "AUDIT_OFFICE"]),
    parentId: uuid.or(z.literal("").transform(() => null)),
    divisionCode: z.string().max(10).or(z.literal("").transform(() => null)),
    // Where the scheduled jobs e-mail this unit's reminders and alerts (lib/jobs/deliver.ts).
    notifyEmail: z.string().trim().max(200, "validation.tooLong").email("validation.email").or(z.literal("").transform(() => null)).optional().transform((v) => v ?? null),
  })
  .strict();

export const securitySettingsInput = z
  .object({
    version: version(0),
    passwordMinLength: z.coerce.number().int().min(8, "validation.min8").max(64, "validation.max64"),
    requireMixedCase: z.coerce.boolean(),
    requireDigit: z.coerce.boolean(),
    requireSymbol: z.coerce.boolean(),
    maxFailedLogins: z.coerce.number().int().min(3, "validation.range").max(20, "validation.range"),
    lockoutMinutes: z.coerce.number().int().min(1, "validation.range").max(1440, "validation.range"),
    ipMaxFailuresPer15Min: z.coerce.number().int().min(5, "validation.range").max(1000, "validation.range"),
    idleTimeoutMinutes: z.coerce.number().int().min(5, "validation.range").max(240, "validation.range"),
    absoluteTimeoutHours: z.coerce.number().int().min(1, "validation.range").max(24, "validation.range"),
  })
  .strict();
