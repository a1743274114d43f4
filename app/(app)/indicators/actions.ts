"use server";
// Entering an indicator's annual value; lib/data/indicators.ts checks the permission and the
// value the form showed, and audits.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { saveIndicatorValue } from "@/lib/data/indicators";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { indicatorValueInput } from "@/lib/validations/indicator";

export async function saveIndicatorValueAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/indicators/actions.ts#saveIndicatorValueAction", indicatorValueInput, formDataObject(formData), async (input, { user, ip }) => {
    await saveIndicatorValue(user, input, ip);
    revalidatePath("/indicators");
    return { status: "ok", message: "indicators.saved" };
  });
}
