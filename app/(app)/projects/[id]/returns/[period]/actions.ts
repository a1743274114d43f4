"use server";
// Monthly-return actions. Each parses with the shared zod schema, lets lib/data/returns.ts check
// permission, workflow and version, and on success reloads the page with the stored state.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction } from "@/lib/action";
import { StaleReturnError, ReturnStateError, decideCorrection, requestCorrection, reviewReturn, saveReturn } from "@/lib/data/returns";
import { nestFormData, type FormState } from "@/lib/validations/form";
import {
  correctionDecisionInput, correctionRequestInput, returnFormInput, reviewInput,
  type CorrectionDecisionInput, type CorrectionRequestInput, type ReturnFormInput, type ReviewInput,
} from "@/lib/validations/return";

/** What was typed, by input name, so a refused form shows it again (files cannot be echoed). */
function typed(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string" && !key.startsWith("$ACTION")) out[key] = value;
  return out;
}

function workflowError(error: unknown): FormState | null {
  if (error instanceof StaleReturnError) return { status: "error", formError: "returns.stale", data: { current: error.current, changedBy: error.changedBy } };
  if (error instanceof ReturnStateError) return { status: "error", formError: "returns.stateRefused" };
  return null;
}

function pageOf(projectId: string, period: string) {
  return `/projects/${projectId}/returns/${period}`;
}

async function run(schema: Parameters<typeof runAction>[0], formData: FormData, work: Parameters<typeof runAction>[2], arrays: string[] = []): Promise<FormState> {
  const state = await runAction(schema, nestFormData(formData, arrays), async (data, context) => {
    try {
      return await work(data, context);
    } catch (error) {
      const refused = workflowError(error);
      if (refused) return refused;
      throw error;
    }
  });
  return state.status === "error" ? { ...state, values: typed(formData) } : state;
}

export async function saveReturnAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const files = await Promise.all(
    formData
      .getAll("attachments")
      .filter((f): f is File => typeof f !== "string" && f.size > 0)
      .map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  formData.delete("attachments");
  let target: string | null = null;
  const state = await run(returnFormInput, formData, async (data, { user, ip }) => {
    const input = data as ReturnFormInput;
    const result = await saveReturn(user, input, files, ip);
    target = `${pageOf(input.projectId, input.period)}?done=${result.status === "SUBMITTED" ? "submitted" : "saved"}`;
    revalidatePath(`/projects/${input.projectId}`);
  }, ["resolveProblems"]);
  if (target && state.status === "ok") redirect(target);
  return state;
}

export async function reviewReturnAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const back = String(formData.get("back") ?? "");
  formData.delete("back");
  let done: string | null = null;
  const state = await run(reviewInput, formData, async (data, { user, ip }) => {
    const input = data as ReviewInput;
    const result = await reviewReturn(user, input, ip);
    done = result.status === "APPROVED" ? "approved" : "returned";
  });
  if (done && state.status === "ok" && back.startsWith("/projects/")) {
    revalidatePath(back);
    redirect(`${back}?done=${done}`);
  }
  return state;
}

export async function requestCorrectionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const back = String(formData.get("back") ?? "");
  formData.delete("back");
  let ok = false;
  const state = await run(correctionRequestInput, formData, async (data, { user, ip }) => {
    await requestCorrection(user, data as CorrectionRequestInput, ip);
    ok = true;
  });
  if (ok && back.startsWith("/projects/")) redirect(`${back}?done=correctionRequested`);
  return state;
}

export async function decideCorrectionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const back = String(formData.get("back") ?? "");
  formData.delete("back");
  let ok = false;
  const state = await run(correctionDecisionInput, formData, async (data, { user, ip }) => {
    await decideCorrection(user, data as CorrectionDecisionInput, ip);
    ok = true;
  });
  if (ok && back.startsWith("/projects/")) {
    revalidatePath(back);
    redirect(`${back}?done=correctionDecided`);
  }
  return state;
}
