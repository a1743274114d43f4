"use server";
// Monthly-return actions. Each parses with the shared zod schema, lets lib/returns/commands.ts check
// permission, workflow and version, and on success reloads the page with the stored state.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction, type ActionContext } from "@/lib/action";
import { StaleReturnError, ReturnStateError, decideCorrection, requestCorrection, reviewReturn, saveReturn } from "@/lib/returns/commands";
import { nestFormData, type FormState } from "@/lib/validations/form";
import { correctionDecisionInput, correctionRequestInput, returnFormInput, reviewInput } from "@/lib/returns/schema";

/** What was typed, by input name, so a refused form shows it again (files cannot be echoed). */
function typed(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string" && !key.startsWith("$ACTION")) out[key] = value;
  return out;
}

/** The work, with the workflow's own refusals (stale version, wrong state) shown on the form. */
function workflow<D>(work: (data: D, context: ActionContext) => Promise<FormState | void>) {
  return async (data: D, context: ActionContext): Promise<FormState | void> => {
    try {
      return await work(data, context);
    } catch (error) {
      if (error instanceof StaleReturnError) return { status: "error", formError: "returns.stale", data: { current: error.current, changedBy: error.changedBy } };
      if (error instanceof ReturnStateError) return { status: "error", formError: "returns.stateRefused" };
      throw error;
    }
  };
}

/** A refused form shows what was typed again. */
function withTyped(state: FormState, formData: FormData): FormState {
  return state.status === "error" ? { ...state, values: typed(formData) } : state;
}

function pageOf(projectId: string, period: string) {
  return `/projects/${projectId}/returns/${period}`;
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
  const input = nestFormData(formData, ["resolveProblems"]);
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#saveReturnAction", returnFormInput, input, workflow(async (data, { user, ip }) => {
    const result = await saveReturn(user, data, files, ip);
    target = `${pageOf(data.projectId, data.period)}?done=${result.status === "SUBMITTED" ? "submitted" : "saved"}`;
    revalidatePath(`/projects/${data.projectId}`);
  }));
  if (target && state.status === "ok") redirect(target);
  return withTyped(state, formData);
}

export async function reviewReturnAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const back = String(formData.get("back") ?? "");
  formData.delete("back");
  let done: string | null = null;
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#reviewReturnAction", reviewInput, nestFormData(formData), workflow(async (data, { user, ip }) => {
    const result = await reviewReturn(user, data, ip);
    done = result.status === "APPROVED" ? "approved" : "returned";
  }));
  if (done && state.status === "ok" && back.startsWith("/projects/")) {
    revalidatePath(back);
    redirect(`${back}?done=${done}`);
  }
  return withTyped(state, formData);
}

export async function requestCorrectionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const back = String(formData.get("back") ?? "");
  formData.delete("back");
  let ok = false;
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#requestCorrectionAction", correctionRequestInput, nestFormData(formData), workflow(async (data, { user, ip }) => {
    await requestCorrection(user, data, ip);
    ok = true;
  }));
  if (ok && back.startsWith("/projects/")) redirect(`${back}?done=correctionRequested`);
  return withTyped(state, formData);
}

export async function decideCorrectionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const back = String(formData.get("back") ?? "");
  formData.delete("back");
  let ok = false;
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#decideCorrectionAction", correctionDecisionInput, nestFormData(formData), workflow(async (data, { user, ip }) => {
    await decideCorrection(user, data, ip);
    ok = true;
  }));
  if (ok && back.startsWith("/projects/")) {
    revalidatePath(back);
    redirect(`${back}?done=correctionDecided`);
  }
  return withTyped(state, formData);
}
