"use client";
// 督办 forms: send (leadership office, from the delay-review list), answer (owner unit), close
// (leadership office). Each posts to its server action and shows the result in place.
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextAreaField, TextField } from "@/components/forms/form-fields";
import { idle, type FormState } from "@/lib/validations/form-state";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

export function SendNoticeForm({ action, projectId, defaultSubject, defaultDeadline }: { action: Action; projectId: string; defaultSubject: string; defaultDeadline: string }) {
  const t = useTranslations();
  const [state, formAction] = useActionState(action, idle);
  if (state.status === "ok") return <FormMessage state={state} />;
  return (
    <form action={formAction} className="space-y-2" noValidate>
      <input type="hidden" name="projectId" value={projectId} />
      <FormMessage state={state} labels={{ subject: t("notices.subject"), deadline: t("notices.deadline") }} />
      <TextAreaField name="subject" label={t("notices.subject")} state={state} rows={3} defaultValue={defaultSubject} />
      <TextField type="date" name="deadline" label={t("notices.deadline")} state={state} defaultValue={defaultDeadline} className="max-w-48" />
      <SubmitButton size="sm">{t("notices.send")}</SubmitButton>
    </form>
  );
}

export function AnswerNoticeForm({ action, id, version }: { action: Action; id: string; version: number }) {
  const t = useTranslations();
  const [state, formAction] = useActionState(action, idle);
  if (state.status === "ok") return <FormMessage state={state} />;
  return (
    <form action={formAction} className="space-y-2" noValidate>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <FormMessage state={state} labels={{ answer: t("notices.answer") }} />
      <TextAreaField name="answer" label={t("notices.answer")} state={state} rows={3} />
      <SubmitButton size="sm">{t("notices.submitAnswer")}</SubmitButton>
    </form>
  );
}

export function CloseNoticeForm({ action, id, version }: { action: Action; id: string; version: number }) {
  const t = useTranslations();
  const [state, formAction] = useActionState(action, idle);
  if (state.status === "ok") return <FormMessage state={state} />;
  return (
    <form action={formAction} className="space-y-2" noValidate>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <FormMessage state={state} />
      <TextAreaField name="closingNote" label={t("notices.closingNote")} state={state} rows={2} />
      <SubmitButton size="sm" variant="outline">{t("notices.close")}</SubmitButton>
    </form>
  );
}
