// The forms' schemas for API tokens (issue/revoke) and what a token may carry. No I/O: shared by
// the forms, their server actions and the input-fuzzing tests. Messages are `validation.*` keys, so
// a refused field shows its own message (lib/validations/form.ts).
import { z } from "zod";
import { READ_API, type Permission } from "@/lib/auth/permissions";

/** Every token starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = "zyk_";

/** The read permissions the API serves; a token carries a subset of those its owner holds. */
export const API_PERMISSIONS: readonly Permission[] = READ_API;

/** A token lives at least a month and at most a year (ADR 0025). */
export const TOKEN_MIN_DAYS = 30;
export const TOKEN_MAX_DAYS = 365;
/** The lifetimes the form offers; any whole number of days within the bounds is accepted. */
export const TOKEN_EXPIRY_DAYS = [30, 90, 180, 365] as const;

const uuid = z.uuid("validation.invalid");

const expiry = "validation.token.expiry";

const tokenFields = {
  name: z.string().trim().min(1, "validation.required").max(60, "validation.tooLong"),
  permissions: z
    .array(z.enum(API_PERMISSIONS as [Permission, ...Permission[]], "validation.token.unknownScope"))
    .min(1, "validation.token.noScope")
    .max(API_PERMISSIONS.length, "validation.token.unknownScope"),
  expiresInDays: z.coerce.number(expiry).int(expiry).min(TOKEN_MIN_DAYS, expiry).max(TOKEN_MAX_DAYS, expiry),
};

/** What lib/api/tokens.ts takes: `ownerId` only for a system account (the security administrator). */
export const apiTokenInput = z.object({ ...tokenFields, ownerId: uuid.optional() }).strict();
export type ApiTokenInput = z.infer<typeof apiTokenInput>;

/** The /account/tokens form: a token for oneself, so no owner. */
export const ownApiTokenInput = z.object(tokenFields).strict();

/** The security administrator's form: a token for a system account. */
export const systemApiTokenInput = z.object({ ...tokenFields, ownerId: uuid }).strict();

export const apiTokenIdInput = z.object({ tokenId: uuid }).strict();
