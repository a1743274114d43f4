"use client";
// The reviewer's decision on a submitted return, the owner's correction request on an approved
// one, and the reviewer's decision on that request.
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { DecisionForm } from "@/components/forms/decision-form";
import { FormMessage, SubmitButton, TextAreaField, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import type { FigureValues } from "@/lib/returns/rules";
import type { ReturnLabels } from "./types";
import { decideCorrectionAction, removeAttachmentAction, requestCorrectionAction, reviewReturnAction } from "./actions";

export function ReviewForm({ returnId, version, labels }: { returnId: string; version: number; labels: ReturnLabels }) {
  const t = useTranslations();
  return (
    <DecisionForm
      action={reviewReturnAction}
      hidden={{ returnId, version }}
      reasonName="reason"
      reasonLabel={t("returns.returnReason")}
      approve={{ value: "approve", label: t("returns.approve"), confirm: t("returns.approveConfirm") }}
      decline={{ value: "return", label: t("returns.sendBack") }}
      labels={labels}
    />
  );
}

export function CorrectionRequestForm({ returnId, values, sources, labels }: { returnId: string; values: FigureValues; sources: { code: string; name: string }[]; labels: ReturnLabels }) {
  const t = useTranslations();
  const [state, action] = useActionState(requestCorrectionAction, idle);
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="returnId" value={returnId} />
      <FormMessage state={state} labels={labels} />
      <div className="grid gap-3 md:grid-cols-2">
        <TextField label={labels.completedInvestment} name="completedInvestment" state={state} defaultValue={values.completedInvestment} />
        <TextField label={labels.payments} name="payments" state={state} defaultValue={values.payments ?? ""} />
        <TextField label={labels.progressPercent} name="progressPercent" state={state} defaultValue={values.progressPercent ?? ""} />
        <TextField label={labels.progressText} name="progressText" state={state} defaultValue={values.progressText ?? ""} />
        {sources.map((s) => (
          <TextField key={s.code} label={`${t("returns.fundsIn")}·${s.name}`} name={`funds.${s.code}`} state={state} defaultValue={values.funds[s.code] ?? ""} />
        ))}
        <TextField label={labels.overrunNote} name="overrunNote" state={state} defaultValue={values.overrunNote ?? ""} />
        <TextField label={labels.fundsNote} name="fundsNote" state={state} defaultValue={values.fundsNote ?? ""} />
        <TextField label={labels.progressNote} name="progressNote" state={state} defaultValue={values.progressNote ?? ""} />
      </div>
      <TextAreaField name="reason" label={t("returns.correctionReason")} state={state} rows={3} />
      <SubmitButton>{t("returns.requestCorrection")}</SubmitButton>
    </form>
  );
}

export function CorrectionDecisionForm({ correctionId, labels }: { correctionId: string; labels: ReturnLabels }) {
  const t = useTranslations();
  return (
    <DecisionForm
      action={decideCorrectionAction}
      hidden={{ correctionId }}
      reasonName="note"
      reasonLabel={t("returns.decisionNote")}
      approve={{ value: "approve", label: t("returns.approveCorrection"), confirm: t("returns.approveCorrectionConfirm") }}
      decline={{ value: "reject", label: t("returns.rejectCorrection") }}
      labels={labels}
    />
  );
}

/** The owner unit removes an evidence file from a draft or returned month (asks first; audited). */
export function RemoveAttachmentForm({ attachmentId, fileName, labels }: { attachmentId: string; fileName: string; labels: ReturnLabels }) {
  const t = useTranslations();
  const [state, action, pending] = useActionState(removeAttachmentAction, idle);
  return (
    <form
      action={action}
      className="inline"
      onSubmit={(event) => {
        if (!window.confirm(t("returns.removeEvidenceConfirm", { file: fileName }))) event.preventDefault();
      }}
    >
      <input type="hidden" name="attachmentId" value={attachmentId} />
      <button type="submit" disabled={pending} className="ml-2 inline-flex min-h-11 items-center px-2 text-sm text-red-800 underline" aria-label={t("returns.removeEvidenceNamed", { file: fileName })}>
        {t("returns.removeEvidence")}
      </button>
      <FormMessage state={state} labels={labels} />
    </form>
  );
}
