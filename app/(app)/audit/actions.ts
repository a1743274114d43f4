"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { createAuditCheckpoint, verifyAuditLogNow } from "@/lib/audit/queries";
import { checkpointInput, verifyInput } from "@/lib/validations/audit";
import { formDataObject, type FormState } from "@/lib/validations/form";

export async function createCheckpointAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/audit/actions.ts#createCheckpointAction", checkpointInput, formDataObject(formData), async (data, { user, ip }) => {
    const created = await createAuditCheckpoint(user, data, ip);
    revalidatePath("/audit");
    return { status: "ok", message: "audit.checkpointCreated", data: created };
  });
}

export async function verifyAuditLogAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/audit/actions.ts#verifyAuditLogAction", verifyInput, formDataObject(formData), async (_data, { user, ip }) => {
    const result = await verifyAuditLogNow(user, ip);
    revalidatePath("/audit");
    return result.ok ? { status: "ok", message: "audit.verifiedOk" } : { status: "error", formError: "audit.verifiedBroken" };
  });
}
