"use server";
// 项目调整申请 (docs/decisions/0030): the owner unit proposes, the city reviewer decides.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { decideBaselineChange, proposeBaselineChange } from "@/lib/baselines/commands";
import { decideBaselineInput, proposeBaselineInput } from "@/lib/baselines/schema";
import { takeUploadedFiles } from "@/lib/returns/attachments";
import { nestFormData, type FormState } from "@/lib/validations/form";

export async function proposeBaselineAction(_prev: FormState, formData: FormData): Promise<FormState> {
  // The evidence files (批复, 会议纪要) go beside the parsed fields, as on the return form.
  const files = await takeUploadedFiles(formData);
  return runAction("app/(app)/projects/[id]/baseline/actions.ts#proposeBaselineAction", proposeBaselineInput, nestFormData(formData), async (data, { user, ip }) => {
    await proposeBaselineChange(user, data, ip, files);
    revalidatePath(`/projects/${data.projectId}`);
    return { status: "ok", message: "baseline.proposed", data: { projectId: data.projectId } };
  });
}

export async function decideBaselineAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/projects/[id]/baseline/actions.ts#decideBaselineAction", decideBaselineInput, nestFormData(formData), async (data, { user, ip }) => {
    const { projectId } = await decideBaselineChange(user, data, ip);
    revalidatePath(`/projects/${projectId}`);
    revalidatePath("/returns");
    return { status: "ok", message: data.decision === "approve" ? "baseline.approved" : "baseline.refused", data: { projectId } };
  });
}
