// What the input fuzzing tests feed every server action (tests/unit/input-fuzz.test.ts and
// tests/integration/input-fuzz.test.ts): the action's schema and form reader, the field names it
// knows, and generators of hostile names and values.
import { fc } from "@fast-check/vitest";
import type { z } from "zod";
import type { ACTION_ACCESS } from "@/lib/auth/route-access";
import { apiTokenIdInput, ownApiTokenInput, systemApiTokenInput } from "@/lib/api/token-schema";
import { checkpointInput, verifyInput } from "@/lib/validations/audit";
import { importConfirmInput, importDiscardInput } from "@/lib/imports/schema";
import { indicatorValueInput } from "@/lib/validations/indicator";
import { localeInput } from "@/lib/validations/locale";
import { answerNoticeInput, closeNoticeInput, sendNoticeInput } from "@/lib/notices/schema";
import { projectRegistryInput, settleCountyInput } from "@/lib/validations/project";
import { decideBaselineInput, proposeBaselineInput } from "@/lib/baselines/schema";
import { resubmitNewProjectInput, reviewNewProjectInput } from "@/lib/validations/project-approval";
import { bulkApproveInput, correctionDecisionInput, correctionRequestInput, removeAttachmentInput, returnFormInput, reviewInput } from "@/lib/returns/schema";
import { columnsInput, saveViewInput, viewIdInput } from "@/lib/validations/table-view";
import {
  changePasswordInput, createUserInput, initialAdminInput, organizationInput, resetPasswordInput, securitySettingsInput,
  sessionIdInput, totpCodeInput, updateUserInput, userIdInput,
} from "@/lib/validations/user";

export interface ActionRecipe {
  /** null: the action takes no input of its own (a button), or a file handled by its own tests. */
  schema: z.ZodType | null;
  reader: "flat" | "nested";
  arrays?: string[];
  /** The field names the form sends, so generated inputs reach the schema's checks. */
  fields: string[];
}

const RETURN_FIELDS = [
  "projectId", "period", "version", "intent", "completedInvestment", "payments", "progressPercent", "progressText",
  "funds.CENTRAL", "funds.LOCAL_SPECIAL_BOND", "milestones.START", "milestones.ACCEPTANCE", "overrunNote", "fundsNote", "progressNote",
  "problems.0.category", "problems.0.level", "problems.0.description", "resolveProblems",
];
const REGISTRY_FIELDS = ["projectId", "version", "projectCode", "projectType", "nature", "lifecycleStage", "plannedStart", "plannedCompletion", "totalInvestment", "plannedInvestment"];
const USER_FIELDS = ["userId", "version", "username", "displayName", "organizationId", "roles", "password", "newPassword", "confirmPassword", "currentPassword", "systemAccount"];

const TOKEN_FIELDS = ["name", "expiresInDays", "permissions"];

const none: ActionRecipe = { schema: null, reader: "flat", fields: [] };

export const ACTION_INPUTS: Record<keyof typeof ACTION_ACCESS, ActionRecipe> = {
  "app/actions/locale.ts#switchLocale": { schema: localeInput, reader: "flat", fields: ["locale"] },
  "app/actions/session.ts#signOutAction": none,
  // Sign-in is fuzzed through attemptLogin in tests/integration (its form goes to Auth.js).
  "app/(auth)/login/actions.ts#loginAction": none,
  "app/(auth)/login/actions.ts#ssoSignInAction": none,
  "app/(auth)/setup/actions.ts#setupAction": { schema: initialAdminInput, reader: "flat", fields: USER_FIELDS },
  "app/(app)/account/actions.ts#changePasswordAction": { schema: changePasswordInput, reader: "flat", fields: USER_FIELDS },
  "app/(app)/account/actions.ts#confirmTotpAction": { schema: totpCodeInput, reader: "flat", fields: ["code"] },
  "app/(app)/account/tokens/actions.ts#createApiTokenAction": { schema: ownApiTokenInput, reader: "flat", arrays: ["permissions"], fields: TOKEN_FIELDS },
  "app/(app)/account/tokens/actions.ts#revokeApiTokenAction": { schema: apiTokenIdInput, reader: "flat", fields: ["tokenId"] },
  "app/(app)/admin/users/actions.ts#createUserAction": { schema: createUserInput, reader: "flat", arrays: ["roles"], fields: USER_FIELDS },
  "app/(app)/admin/users/actions.ts#updateUserAction": { schema: updateUserInput, reader: "flat", arrays: ["roles"], fields: USER_FIELDS },
  "app/(app)/admin/users/actions.ts#resetPasswordAction": { schema: resetPasswordInput, reader: "flat", fields: USER_FIELDS },
  "app/(app)/admin/users/actions.ts#disableUserAction": { schema: userIdInput, reader: "flat", fields: ["userId"] },
  "app/(app)/admin/users/actions.ts#enableUserAction": { schema: userIdInput, reader: "flat", fields: ["userId"] },
  "app/(app)/admin/organizations/actions.ts#saveOrganizationAction": { schema: organizationInput, reader: "flat", fields: ["organizationId", "version", "name", "kind", "divisionCode", "parentId", "notifyEmail"] },
  "app/(app)/admin/security/actions.ts#updateSecuritySettingsAction": {
    schema: securitySettingsInput, reader: "flat",
    fields: ["version", "passwordMinLength", "maxFailedLogins", "lockoutMinutes", "ipMaxFailuresPer15Min", "idleTimeoutMinutes", "absoluteTimeoutHours", "requireMixedCase", "requireDigit", "requireSymbol"],
  },
  "app/(app)/admin/security/actions.ts#unlockUserAction": { schema: userIdInput, reader: "flat", fields: ["userId"] },
  "app/(app)/admin/security/actions.ts#revokeSessionAction": { schema: sessionIdInput, reader: "flat", fields: ["sessionId"] },
  "app/(app)/admin/security/actions.ts#createSystemApiTokenAction": { schema: systemApiTokenInput, reader: "flat", arrays: ["permissions"], fields: [...TOKEN_FIELDS, "ownerId"] },
  "app/(app)/admin/security/actions.ts#revokeAnyApiTokenAction": { schema: apiTokenIdInput, reader: "flat", fields: ["tokenId"] },
  "app/(app)/audit/actions.ts#createCheckpointAction": { schema: checkpointInput, reader: "flat", fields: ["reason"] },
  "app/(app)/audit/actions.ts#verifyAuditLogAction": { schema: verifyInput, reader: "flat", fields: [] },
  "app/(app)/projects/[id]/edit/actions.ts#updateProjectRegistryAction": { schema: projectRegistryInput, reader: "flat", fields: REGISTRY_FIELDS },
  "app/(app)/projects/[id]/county/actions.ts#settleCountyAction": { schema: settleCountyInput, reader: "flat", arrays: ["counties"], fields: ["projectId", "version", "counties"] },
  "app/(app)/projects/[id]/baseline/actions.ts#proposeBaselineAction": { schema: proposeBaselineInput, reader: "nested", fields: ["projectId", "reason", "totalInvestment", "milestones.START", "milestones.ACCEPTANCE", "annualPlans.y2026"] },
  "app/(app)/projects/[id]/baseline/actions.ts#decideBaselineAction": { schema: decideBaselineInput, reader: "nested", fields: ["changeId", "version", "decision", "refusalReason"] },
  "app/(app)/projects/[id]/approval/actions.ts#reviewNewProjectAction": { schema: reviewNewProjectInput, reader: "flat", fields: ["projectId", "version", "decision", "reason"] },
  "app/(app)/projects/[id]/approval/actions.ts#resubmitNewProjectAction": { schema: resubmitNewProjectInput, reader: "flat", fields: ["projectId", "version"] },
  "app/(app)/projects/[id]/returns/[period]/actions.ts#saveReturnAction": { schema: returnFormInput, reader: "nested", arrays: ["resolveProblems"], fields: RETURN_FIELDS },
  "app/(app)/projects/[id]/returns/[period]/actions.ts#reviewReturnAction": { schema: reviewInput, reader: "nested", fields: ["returnId", "version", "decision", "reason"] },
  "app/(app)/projects/[id]/returns/[period]/actions.ts#requestCorrectionAction": { schema: correctionRequestInput, reader: "nested", fields: [...RETURN_FIELDS, "returnId", "reason"] },
  "app/(app)/projects/[id]/returns/[period]/actions.ts#decideCorrectionAction": { schema: correctionDecisionInput, reader: "nested", fields: ["correctionId", "decision", "note"] },
  "app/(app)/projects/[id]/returns/[period]/actions.ts#removeAttachmentAction": { schema: removeAttachmentInput, reader: "nested", fields: ["attachmentId"] },
  "app/(app)/returns/actions.ts#bulkApproveAction": { schema: bulkApproveInput, reader: "nested", arrays: ["selected"], fields: ["selected"] },
  "app/(app)/notifications/actions.ts#markAllReadAction": none,
  "app/(app)/projects/actions.ts#saveColumnsAction": { schema: columnsInput, reader: "flat", arrays: ["columns"], fields: ["columns"] },
  "app/(app)/projects/actions.ts#saveViewAction": { schema: saveViewInput, reader: "flat", fields: ["name", "query", "shared"] },
  "app/(app)/projects/actions.ts#deleteViewAction": { schema: viewIdInput, reader: "flat", fields: ["viewId"] },
  "app/(app)/delays/actions.ts#sendNoticeAction": { schema: sendNoticeInput, reader: "flat", fields: ["projectId", "subject", "deadline"] },
  "app/(app)/notices/actions.ts#answerNoticeAction": { schema: answerNoticeInput, reader: "flat", fields: ["id", "version", "answer"] },
  "app/(app)/notices/actions.ts#closeNoticeAction": { schema: closeNoticeInput, reader: "flat", fields: ["id", "version", "closingNote"] },
  "app/(app)/indicators/actions.ts#saveIndicatorValueAction": { schema: indicatorValueInput, reader: "flat", fields: ["indicatorId", "year", "value", "sourceNote", "expected"] },
  // The uploaded file's bytes are fuzzed through readImportFile (CSV cells) in the unit suite.
  "app/(app)/import/actions.ts#previewImportAction": none,
  "app/(app)/import/actions.ts#confirmImportAction": { schema: importConfirmInput, reader: "flat", fields: ["batchId"] },
  "app/(app)/import/actions.ts#discardImportAction": { schema: importDiscardInput, reader: "flat", fields: ["batchId"] },
};

/** Field paths that hold calendar days. */
export const DATE_FIELDS = /(^|\.)(plannedStart|plannedCompletion|deadline)$|^milestones\./;

/** Field paths that hold amounts in 万元. */
export const MONEY_FIELDS = /(^|\.)(completedInvestment|payments|totalInvestment|plannedInvestment)$|^funds\./;

const HOSTILE = [
  "", " ", "\u0000", "a\u0000b", "\ud800", "x\udfff", "\u202eevil\u202c", "\u200f", "\ufeff", "x".repeat(10_000), "项".repeat(3_000),
  "1e30", "1" + "0".repeat(30), "-1", "-0", "0", "NaN", "Infinity", "2147483647", "2147483648", "-2147483649", "9007199254740993",
  "1.2亿", "99999999999999亿", "1000000001", "1,000,000,000", "１２３", "0.00001", "12.34567",
  "0001-01-01", "1800-01-01", "1949-09-30", "1949-10-01", "2026-13-01", "2026-02-30", "9999-12-31", "9999-99-99", "2100-12-31", "2101-01-01",
  "2026-11", "2101-01", "0000-00", "__proto__", "constructor", "prototype", "toString", "<script>alert(1)</script>", "=cmd|' /C calc'!A0",
  "'; DROP TABLE \"Project\"; --", "%00", "../../etc/passwd", "00000000-0000-0000-0000-000000000000", "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10",
  "save", "submit", "approve", "return", "reject", "on", "CONSTRUCTION", "CITY", "LAND", "ADMIN", "SYSTEM_ADMIN", "zh-CN", "en",
];

/** Strings people and attackers send: hostile constants, arbitrary (binary) strings, numbers and dates as text. */
export function nastyString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`) },
  );
}

const HOSTILE_NAMES = [
  "__proto__", "constructor", "prototype", "__proto__.polluted", "constructor.prototype.polluted", "_1___proto__.x", "funds.__proto__.x",
  "problems.0.__proto__.polluted", "problems.99999999.level", "problems.-1.level", "milestones.constructor", "a..b", ".", "x\u0000", "\ud800",
];

/** Form entries: mostly the action's own fields (so the schema's checks are reached), some hostile names. */
export function nastyFormEntries(fields: readonly string[]): fc.Arbitrary<[string, string][]> {
  const name = fields.length
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) })
    : fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ maxLength: 12 }));
  return fc.array(fc.tuple(name, nastyString()), { maxLength: 16 });
}
