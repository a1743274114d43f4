"use server";
import { headers } from "next/headers";
import { clientIp } from "@/lib/auth/client-ip";
import { createInitialAdmin, ValidationError } from "@/lib/data/users";
import { formDataObject, parseInput, type FormState } from "@/lib/validations/form";
import { initialAdminInput } from "@/lib/validations/user";

/** Public by necessity (no account exists yet); refuses as soon as any user exists. */
export async function setupAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = parseInput(initialAdminInput, formDataObject(formData));
  if (!parsed.ok) return { status: "error", formError: parsed.formError, fieldErrors: parsed.fieldErrors };
  try {
    await createInitialAdmin(parsed.data, clientIp(await headers()));
    return { status: "ok", message: "setup.done" };
  } catch (error) {
    if (error instanceof ValidationError) {
      const { _form, ...fieldErrors } = error.fieldErrors;
      return { status: "error", formError: _form?.[0], fieldErrors };
    }
    throw error;
  }
}
