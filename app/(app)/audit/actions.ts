"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { createAuditCheckpoint } from "@/lib/data/audit";
import { checkpointInput } from "@/lib/validations/audit";
import { formDataObject, type FormState } from "@/lib/validations/form";

export async function createCheckpointAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(checkpointInput, formDataObject(formData), async (data, { user, ip }) => {
    const created = await createAuditCheckpoint(user, data, ip);
    revalidatePath("/audit");
    return { status: "ok", message: "audit.checkpointCreated", data: created };
  });
}
