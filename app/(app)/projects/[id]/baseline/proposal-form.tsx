"use client";
// The owner unit's 项目调整申请 on the project page (docs/decisions/0030): new values beside the
// current baseline, the reason and the evidence files. Unchanged or blank inputs keep their value.
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FieldErrors, FormMessage, SubmitButton } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { proposeBaselineAction } from "./actions";

export interface ProposalField {
  /** The form's input name: totalInvestment, milestones.<KIND>, annualPlans.y<year>. */
  name: string;
  label: string;
  current: string;
  type: "date" | "money";
}

export function BaselineProposalForm({ projectId, fields, fileMb }: { projectId: string; fields: ProposalField[]; fileMb: number }) {
  const t = useTranslations();
  const [state, action] = useActionState(proposeBaselineAction, idle);
  if (state.status === "ok") return <FormMessage state={state} okText={t("baseline.proposed")} />;
  const errors = state.status === "error" ? state.fieldErrors : undefined;
  const values = state.status === "error" ? state.values : undefined;
  return (
    <form action={action} className="space-y-3" noValidate data-testid="baseline-proposal">
      <input type="hidden" name="projectId" value={projectId} />
      <FormMessage state={state} labels={{ ...Object.fromEntries(fields.map((f) => [f.name, f.label])), reason: t("baseline.reason"), attachments: t("baseline.evidence") }} />
      <p className="text-xs text-slate-600">{t("baseline.blankKeeps")}</p>
      <div className="grid gap-3 md:grid-cols-2">
        {fields.map((f) => (
          <label key={f.name} className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">{f.label}</span>
            <input
              name={f.name}
              defaultValue={values?.[f.name] ?? f.current}
              type={f.type === "date" ? "date" : "text"}
              inputMode={f.type === "money" ? "decimal" : undefined}
              aria-invalid={errors?.[f.name] ? true : undefined}
              aria-describedby={errors?.[f.name] ? `${f.name}-error` : undefined}
              className="h-9 rounded-md border border-slate-300 px-2 aria-[invalid=true]:border-red-500"
            />
            <FieldErrors id={`${f.name}-error`} errors={errors?.[f.name]} />
          </label>
        ))}
      </div>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium text-slate-700">{t("baseline.reason")}</span>
        <textarea
          name="reason"
          required
          rows={3}
          defaultValue={values?.reason ?? ""}
          aria-invalid={errors?.reason ? true : undefined}
          aria-describedby="reason-hint"
          className="rounded-md border border-slate-300 px-2 py-1 aria-[invalid=true]:border-red-500"
        />
        <span id="reason-hint" className="text-xs text-slate-500">{t("baseline.reasonHint")}</span>
        <FieldErrors id="reason-error" errors={errors?.reason} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium text-slate-700">{t("baseline.evidence")}</span>
        {/* Files cannot be shown again after a refused submit: they are chosen again. */}
        <input
          type="file" name="attachments" multiple required accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
          aria-invalid={errors?.attachments ? true : undefined} aria-describedby="attachments-hint attachments-error"
          className="text-sm"
        />
        <span id="attachments-hint" className="text-xs text-slate-500">{t("baseline.evidenceHint", { max: fileMb })}</span>
        <FieldErrors id="attachments-error" errors={errors?.attachments} />
      </label>
      <SubmitButton size="sm">{t("baseline.propose")}</SubmitButton>
    </form>
  );
}
