"use client";
// The reviewer's form on the project page for a project marked 区县待确认 (docs/decisions/0022).
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/forms/form-fields";
import { idle, type FormState } from "@/lib/validations/form-state";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

export function SettleCountyForm({ action, projectId, version, divisions }: { action: Action; projectId: string; version: number; divisions: { code: string; name: string }[] }) {
  const t = useTranslations();
  const [state, formAction] = useActionState(action, idle);
  if (state.status === "ok") return <FormMessage state={state} />;
  return (
    <form action={formAction} className="space-y-2" noValidate data-testid="settle-county">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="version" value={version} />
      <FormMessage state={state} labels={{ counties: t("project.locations") }} />
      <p className="text-sm text-slate-600">{t("project.settleCountyHint")}</p>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <legend className="sr-only">{t("project.locations")}</legend>
        {divisions.map((d) => (
          <label key={d.code} className="inline-flex items-center gap-1">
            <input type="checkbox" name="counties" value={d.code} />
            {d.name}
          </label>
        ))}
      </fieldset>
      <SubmitButton size="sm">{t("project.settleCounty")}</SubmitButton>
    </form>
  );
}
