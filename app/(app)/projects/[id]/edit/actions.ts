"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { StaleEditError, updateProjectRegistry } from "@/lib/data/project-registry";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { projectRegistryInput } from "@/lib/validations/project";

export async function updateProjectRegistryAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/projects/[id]/edit/actions.ts#updateProjectRegistryAction", projectRegistryInput, formDataObject(formData), async (data, { user, ip }) => {
    try {
      await updateProjectRegistry(user, data, ip);
    } catch (error) {
      if (error instanceof StaleEditError) {
        return { status: "error", formError: "project.stale", data: { current: error.current, changedBy: error.changedBy } };
      }
      throw error;
    }
    revalidatePath(`/projects/${data.projectId}`);
    return { status: "ok", message: "project.saved", data: { projectId: data.projectId } };
  });
}
