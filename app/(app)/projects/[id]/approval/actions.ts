"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { resubmitNewProject, reviewNewProject } from "@/lib/data/project-approval";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { resubmitNewProjectInput, reviewNewProjectInput } from "@/lib/validations/project-approval";

/** The review office accepts a new project (待审核) into the library or refuses it with a reason (docs/decisions/0031). */
export async function reviewNewProjectAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/projects/[id]/approval/actions.ts#reviewNewProjectAction", reviewNewProjectInput, formDataObject(formData), async (data, { user, ip }) => {
    const { approval } = await reviewNewProject(user, data, ip);
    revalidatePath(`/projects/${data.projectId}`);
    revalidatePath("/projects");
    revalidatePath("/returns");
    return { status: "ok", message: approval === "ACCEPTED" ? "project.approval.accepted" : "project.approval.refused" };
  });
}

/** The owner unit sends its refused project back for review. */
export async function resubmitNewProjectAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/projects/[id]/approval/actions.ts#resubmitNewProjectAction", resubmitNewProjectInput, formDataObject(formData), async (data, { user, ip }) => {
    await resubmitNewProject(user, data, ip);
    revalidatePath(`/projects/${data.projectId}`);
    revalidatePath("/projects");
    return { status: "ok", message: "project.approval.resubmitted" };
  });
}
