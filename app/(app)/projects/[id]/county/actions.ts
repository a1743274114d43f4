"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { settleProjectCounty } from "@/lib/data/project-registry";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { settleCountyInput } from "@/lib/validations/project";

/** A reviewer settles the county of a project marked 区县待确认 (docs/decisions/0022). */
export async function settleCountyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/projects/[id]/county/actions.ts#settleCountyAction", settleCountyInput, formDataObject(formData, ["counties"]), async (data, { user, ip }) => {
    await settleProjectCounty(user, data, ip);
    revalidatePath(`/projects/${data.projectId}`);
    revalidatePath("/projects");
    return { status: "ok", message: "project.countySettled", data: { projectId: data.projectId } };
  });
}
