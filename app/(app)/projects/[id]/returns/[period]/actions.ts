"use server";
// Monthly-return actions. Each parses with the shared zod schema, lets lib/returns/commands.ts check
// permission, workflow and version, and on success reloads the page with the stored state.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction, type ActionContext } from "@/lib/action";
import { returnPagePath, type ReturnDone } from "@/lib/returns/rules";
import { StaleReturnError, ReturnStateError, decideCorrection, removeReturnAttachment, requestCorrection, reviewReturn, saveReturn } from "@/lib/returns/commands";
import { takeUploadedFiles } from "@/lib/returns/attachments";
import { nestFormData, type FormState } from "@/lib/validations/form";
import { correctionDecisionInput, correctionRequestInput, removeAttachmentInput, returnFormInput, reviewInput } from "@/lib/returns/schema";

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

type Outcome = { projectId: string; period: string; done: ReturnDone };

/**
 * Every action ends the same way: the command names the return it acted on (`reached`), and on
 * success (`finish`) the browser goes to that return's page with what was done (`?done=`), the
 * project's pages fresh. The target is the server's, never a path the form sent.
 */
function onReturnPage() {
  let target: Outcome | undefined;
  return {
    reached(outcome: Outcome) {
      target = outcome;
    },
    finish(state: FormState): FormState {
      if (target && state.status === "ok") {
        revalidatePath(`/projects/${target.projectId}`, "layout");
        redirect(`${returnPagePath(target.projectId, target.period)}?done=${target.done}`);
      }
      return state;
    },
  };
}

export async function saveReturnAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const files = await takeUploadedFiles(formData);
  const page = onReturnPage();
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#saveReturnAction", returnFormInput, nestFormData(formData, ["resolveProblems"]), workflow(async (data, { user, ip }) => {
    const result = await saveReturn(user, data, files, ip);
    page.reached({ projectId: data.projectId, period: data.period, done: result.status === "SUBMITTED" ? "submitted" : "saved" });
  }));
  return withTyped(page.finish(state), formData);
}

export async function reviewReturnAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const page = onReturnPage();
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#reviewReturnAction", reviewInput, nestFormData(formData), workflow(async (data, { user, ip }) => {
    const result = await reviewReturn(user, data, ip);
    page.reached({ ...result, done: result.status === "APPROVED" ? "approved" : "returned" });
  }));
  return withTyped(page.finish(state), formData);
}

export async function requestCorrectionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const page = onReturnPage();
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#requestCorrectionAction", correctionRequestInput, nestFormData(formData), workflow(async (data, { user, ip }) => {
    page.reached({ ...(await requestCorrection(user, data, ip)), done: "correctionRequested" });
  }));
  return withTyped(page.finish(state), formData);
}

export async function decideCorrectionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const page = onReturnPage();
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#decideCorrectionAction", correctionDecisionInput, nestFormData(formData), workflow(async (data, { user, ip }) => {
    page.reached({ ...(await decideCorrection(user, data, ip)), done: "correctionDecided" });
  }));
  return withTyped(page.finish(state), formData);
}

export async function removeAttachmentAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const page = onReturnPage();
  const state = await runAction("app/(app)/projects/[id]/returns/[period]/actions.ts#removeAttachmentAction", removeAttachmentInput, nestFormData(formData), workflow(async (data, { user, ip }) => {
    page.reached({ ...(await removeReturnAttachment(user, data, ip)), done: "attachmentRemoved" });
  }));
  return page.finish(state);
}
