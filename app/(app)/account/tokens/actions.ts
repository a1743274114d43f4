"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { createApiToken, revokeApiToken } from "@/lib/api/tokens";
import { apiTokenIdInput, ownApiTokenInput } from "@/lib/api/token-schema";
import { formatChinaDay } from "@/lib/domain/dates";
import { formDataObject, type FormState } from "@/lib/validations/form";

/** Issues a token for the signed-in user; the answer carries the secret, the only time it exists outside the caller. */
export async function createApiTokenAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/account/tokens/actions.ts#createApiTokenAction", ownApiTokenInput, formDataObject(formData, ["permissions"]), async (data, { user, ip }) => {
    const created = await createApiToken(user, data, ip);
    revalidatePath("/account/tokens");
    return { status: "ok", data: { token: created.token, name: data.name, expiresAt: formatChinaDay(created.expiresAt) } };
  });
}

export async function revokeApiTokenAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/account/tokens/actions.ts#revokeApiTokenAction", apiTokenIdInput, formDataObject(formData), async (data, { user, ip }) => {
    await revokeApiToken(user, data.tokenId, ip);
    revalidatePath("/account/tokens");
    return { status: "ok", message: "apiTokens.revoked" };
  });
}
