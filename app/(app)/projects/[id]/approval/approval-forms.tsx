"use client";
// A new project's review on its page (待审核, docs/decisions/0031): the review office accepts or
// refuses it (a refusal needs a reason); the owner unit resubmits a refused one.
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextAreaField } from "@/components/forms/form-fields";
import { idle, type FormState } from "@/lib/validations/form-state";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

export function ReviewNewProjectForm({ action, projectId, version }: { action: Action; projectId: string; version: number }) {
  const t = useTranslations();
  const [state, formAction] = useActionState(action, idle);
  if (state.status === "ok") return <FormMessage state={state} />;
  return (
    <form action={formAction} className="space-y-3" noValidate data-testid="review-new-project">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="version" value={version} />
      <FormMessage state={state} labels={{ reason: t("project.approval.reason") }} />
      <p className="text-sm text-slate-600">{t("project.approval.reviewHint")}</p>
      <TextAreaField label={t("project.approval.reason")} name="reason" state={state} rows={3} maxLength={2000} hint={t("project.approval.reasonHint")} />
      <div className="flex flex-wrap gap-2">
        <SubmitButton size="sm" name="decision" value="accept">{t("project.approval.accept")}</SubmitButton>
        <SubmitButton size="sm" variant="outline" name="decision" value="refuse">{t("project.approval.refuse")}</SubmitButton>
      </div>
    </form>
  );
}

export function ResubmitNewProjectForm({ action, projectId, version }: { action: Action; projectId: string; version: number }) {
  const t = useTranslations();
  const [state, formAction] = useActionState(action, idle);
  if (state.status === "ok") return <FormMessage state={state} />;
  return (
    <form action={formAction} className="space-y-2" noValidate data-testid="resubmit-new-project">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="version" value={version} />
      <FormMessage state={state} />
      <SubmitButton size="sm">{t("project.approval.resubmit")}</SubmitButton>
    </form>
  );
}
