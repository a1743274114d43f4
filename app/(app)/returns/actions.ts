"use server";
// The reviewer's bulk approval from the queue: each ticked return is approved by its own command
// (lib/returns/commands.ts approveReturns), and the form gets the outcome of each back.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { approveReturns } from "@/lib/returns/commands";
import { bulkApproveInput } from "@/lib/returns/schema";
import { nestFormData, type FormState } from "@/lib/validations/form";

export async function bulkApproveAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/returns/actions.ts#bulkApproveAction", bulkApproveInput, nestFormData(formData, ["selected"]), async (data, { user, ip }) => {
    const { batchId, results } = await approveReturns(user, data, ip);
    if (results.some((r) => r.outcome === "approved")) {
      revalidatePath("/returns");
      for (const r of results) if (r.outcome === "approved") revalidatePath(`/projects/${r.projectId}`, "layout");
    }
    return { status: "ok", data: { batchId, results } };
  });
}
