"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { createApiToken, revokeApiToken } from "@/lib/api/tokens";
import { apiTokenIdInput, systemApiTokenInput } from "@/lib/api/token-schema";
import { formatChinaDay } from "@/lib/domain/dates";
import { revokeSession, unlockUser, updateSecuritySettings } from "@/lib/data/users";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { securitySettingsInput, sessionIdInput, userIdInput } from "@/lib/validations/user";

export async function updateSecuritySettingsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/security/actions.ts#updateSecuritySettingsAction", securitySettingsInput, formDataObject(formData), async (data, { user, ip }) => {
    await updateSecuritySettings(user, data, ip);
    revalidatePath("/admin/security");
    return { status: "ok", message: "admin.security.saved" };
  });
}

export async function unlockUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/security/actions.ts#unlockUserAction", userIdInput, formDataObject(formData), async (data, { user, ip }) => {
    await unlockUser(user, data.userId, ip);
    revalidatePath("/admin/security");
  });
}

export async function revokeSessionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/security/actions.ts#revokeSessionAction", sessionIdInput, formDataObject(formData), async (data, { user, ip }) => {
    await revokeSession(user, data.sessionId, ip);
    revalidatePath("/admin/security");
  });
}

/** Issues a token for a system account (User.isSystemAccount); the answer carries the secret, once. */
export async function createSystemApiTokenAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/security/actions.ts#createSystemApiTokenAction", systemApiTokenInput, formDataObject(formData, ["permissions"]), async (data, { user, ip }) => {
    const created = await createApiToken(user, data, ip);
    revalidatePath("/admin/security");
    return { status: "ok", data: { token: created.token, name: data.name, expiresAt: formatChinaDay(created.expiresAt) } };
  });
}

/** Revokes any token, whoever owns it. */
export async function revokeAnyApiTokenAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/security/actions.ts#revokeAnyApiTokenAction", apiTokenIdInput, formDataObject(formData), async (data, { user, ip }) => {
    await revokeApiToken(user, data.tokenId, ip);
    revalidatePath("/admin/security");
    return { status: "ok", message: "apiTokens.revoked" };
  });
}
