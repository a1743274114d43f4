"use server";
// Answering (owner unit) and closing (leadership office) a 督办 notice; lib/notices/commands.ts
// checks permission, organization and version, and audits.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { answerNotice, closeNotice } from "@/lib/notices/commands";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { answerNoticeInput, closeNoticeInput } from "@/lib/notices/schema";

export async function answerNoticeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/notices/actions.ts#answerNoticeAction", answerNoticeInput, formDataObject(formData), async (input, { user, ip }) => {
    await answerNotice(user, input, ip);
    revalidatePath("/notices");
    return { status: "ok", message: "notices.answered" };
  });
}

export async function closeNoticeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/notices/actions.ts#closeNoticeAction", closeNoticeInput, formDataObject(formData), async (input, { user, ip }) => {
    await closeNotice(user, input, ip);
    revalidatePath("/notices");
    revalidatePath("/delays");
    return { status: "ok", message: "notices.closed" };
  });
}
