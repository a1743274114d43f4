"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { saveOrganization } from "@/lib/data/organizations";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { organizationInput } from "@/lib/validations/user";

export async function saveOrganizationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const raw = formDataObject(formData);
  if (!raw.organizationId) delete raw.organizationId;
  if (!raw.version) delete raw.version;
  return runAction("app/(app)/admin/organizations/actions.ts#saveOrganizationAction", organizationInput, raw, async (data, { user, ip }) => {
    await saveOrganization(user, data, ip);
    revalidatePath("/admin/organizations");
    return { status: "ok", message: "admin.users.saved" };
  });
}
