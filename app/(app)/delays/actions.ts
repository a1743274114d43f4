"use server";
// Sending a 督办 notice from the delay-review list; lib/notices/commands.ts checks and audits.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { sendNotice } from "@/lib/notices/commands";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { sendNoticeInput } from "@/lib/notices/schema";

export async function sendNoticeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/delays/actions.ts#sendNoticeAction", sendNoticeInput, formDataObject(formData), async (input, { user, ip }) => {
    const notice = await sendNotice(user, input, ip);
    revalidatePath("/delays");
    revalidatePath("/notices");
    return { status: "ok", message: "notices.sent", data: { id: notice.id } };
  });
}
