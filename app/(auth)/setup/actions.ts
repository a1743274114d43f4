"use server";
import { runAction } from "@/lib/action";
import { createInitialAdmin } from "@/lib/data/users";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { initialAdminInput } from "@/lib/validations/user";

/** Public by necessity (no account exists yet); refuses as soon as any user exists. */
export async function setupAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(auth)/setup/actions.ts#setupAction", initialAdminInput, formDataObject(formData), async (data, { ip }) => {
    await createInitialAdmin(data, ip);
    return { status: "ok", message: "setup.done" };
  });
}
