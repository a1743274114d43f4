"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
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
