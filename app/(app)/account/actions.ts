"use server";
import { runAction } from "@/lib/action";
import { changeOwnPassword } from "@/lib/data/users";
import { confirmTotpEnrolment } from "@/lib/data/account";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { changePasswordInput, totpCodeInput } from "@/lib/validations/user";

export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/account/actions.ts#changePasswordAction", changePasswordInput, formDataObject(formData), async (data, { user, ip }) => {
    await changeOwnPassword(user, data, ip);
    return { status: "ok", message: "account.passwordChanged" };
  });
}

export async function confirmTotpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/account/actions.ts#confirmTotpAction", totpCodeInput, formDataObject(formData), async (data, { user, ip }) => {
    const recoveryCodes = await confirmTotpEnrolment(user, data.code, ip);
    return { status: "ok", data: { recoveryCodes } };
  });
}
