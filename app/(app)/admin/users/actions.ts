"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { createUser, resetUserPassword, setUserDisabled, updateUser } from "@/lib/data/users";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { createUserInput, resetPasswordInput, updateUserInput, userIdInput } from "@/lib/validations/user";

export async function createUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/users/actions.ts#createUserAction", createUserInput, formDataObject(formData, ["roles"]), async (data, { user, ip }) => {
    const created = await createUser(user, data, ip);
    revalidatePath("/admin/users");
    return { status: "ok", data: { username: created.username } };
  });
}

export async function updateUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/users/actions.ts#updateUserAction", updateUserInput, formDataObject(formData, ["roles"]), async (data, { user, ip }) => {
    await updateUser(user, data, ip);
    revalidatePath(`/admin/users/${data.userId}`);
    return { status: "ok", message: "admin.users.saved" };
  });
}

export async function resetPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/users/actions.ts#resetPasswordAction", resetPasswordInput, formDataObject(formData), async (data, { user, ip }) => {
    await resetUserPassword(user, data.userId, data.password, ip);
    return { status: "ok", message: "admin.users.saved" };
  });
}

export async function disableUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/users/actions.ts#disableUserAction", userIdInput, formDataObject(formData), async (data, { user, ip }) => {
    await setUserDisabled(user, data.userId, true, ip);
    revalidatePath(`/admin/users/${data.userId}`);
    return { status: "ok", message: "admin.users.saved" };
  });
}

export async function enableUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/admin/users/actions.ts#enableUserAction", userIdInput, formDataObject(formData), async (data, { user, ip }) => {
    await setUserDisabled(user, data.userId, false, ip);
    revalidatePath(`/admin/users/${data.userId}`);
    return { status: "ok", message: "admin.users.saved" };
  });
}
