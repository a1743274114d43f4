"use client";
// The city reviewer approves or refuses a 项目调整申请 (refusal needs a reason; docs/decisions/0030).
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FieldErrors, FormMessage, SubmitButton } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { decideBaselineAction } from "./actions";

export function BaselineDecisionForm({ changeId, version }: { changeId: string; version: number }) {
  const t = useTranslations();
  const [state, action] = useActionState(decideBaselineAction, idle);
  if (state.status === "ok") return <FormMessage state={state} />;
  const errors = state.status === "error" ? state.fieldErrors : undefined;
  // One form per request in the queue on /returns: the error's id names the request.
  const errorId = `refusalReason-${changeId}-error`;
  return (
    <form action={action} className="space-y-2" noValidate data-testid="baseline-decision">
      <input type="hidden" name="changeId" value={changeId} />
      <input type="hidden" name="version" value={version} />
      <FormMessage state={state} labels={{ refusalReason: t("baseline.decisionReason") }} />
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium text-slate-700">{t("baseline.refusalReason")}</span>
        <textarea name="refusalReason" rows={2} aria-invalid={errors?.refusalReason ? true : undefined} aria-describedby={errors?.refusalReason ? errorId : undefined} className="rounded-md border border-slate-300 px-2 py-1 aria-[invalid=true]:border-red-500" />
        <FieldErrors id={errorId} errors={errors?.refusalReason} />
      </label>
      <div className="flex gap-2">
        <SubmitButton size="sm" name="decision" value="approve">{t("baseline.approve")}</SubmitButton>
        <SubmitButton size="sm" variant="outline" name="decision" value="refuse">{t("baseline.refuse")}</SubmitButton>
      </div>
    </form>
  );
}
