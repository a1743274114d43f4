"use client";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FieldErrors, FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { saveOrganizationAction } from "./actions";

const KINDS = ["CITY_GOVERNMENT", "CITY_DEPARTMENT", "COUNTY_GOVERNMENT", "COUNTY_DEPARTMENT", "ENTERPRISE", "LEADERSHIP_OFFICE", "AUDIT_OFFICE"] as const;

export interface OrganizationFormValue {
  id?: string;
  version?: number;
  name: string;
  kind: (typeof KINDS)[number];
  parentId: string | null;
  divisionCode: string | null;
  notifyEmail: string | null;
}

export function OrganizationForm({
  value,
  organizations,
  divisions,
}: {
  value?: OrganizationFormValue;
  organizations: { id: string; name: string }[];
  divisions: { code: string; name: string }[];
}) {
  const t = useTranslations("admin.organizations");
  const [state, action] = useActionState(saveOrganizationAction, idle);
  const errors = state.status === "error" ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-3" noValidate key={value?.id ?? "new"}>
      <FormMessage state={state} />
      {value?.id && <input type="hidden" name="organizationId" value={value.id} />}
      {value?.version !== undefined && <input type="hidden" name="version" value={value.version} />}
      <div className="grid gap-3 md:grid-cols-2">
        <TextField label={t("name")} name="name" defaultValue={value?.name} state={state} required />
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">{t("kind")}</span>
          <select name="kind" defaultValue={value?.kind ?? "ENTERPRISE"} className="h-9 rounded-md border border-slate-300 px-2">
            {KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">{t("parent")}</span>
          <select name="parentId" defaultValue={value?.parentId ?? ""} className="h-9 rounded-md border border-slate-300 px-2">
            <option value="">—</option>
            {organizations.filter((o) => o.id !== value?.id).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
          <FieldErrors id="parentId-error" errors={errors?.parentId} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">{t("division")}</span>
          <select name="divisionCode" defaultValue={value?.divisionCode ?? ""} className="h-9 rounded-md border border-slate-300 px-2">
            <option value="">—</option>
            {divisions.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
          </select>
          <FieldErrors id="divisionCode-error" errors={errors?.divisionCode} />
        </label>
        <TextField
          label={t("notifyEmail")}
          name="notifyEmail"
          type="email"
          inputMode="email"
          autoComplete="off"
          defaultValue={value?.notifyEmail ?? ""}
          state={state}
          hint={t("notifyEmailHint")}
        />
      </div>
      <SubmitButton>{value?.id ? t("save") : t("create")}</SubmitButton>
    </form>
  );
}
