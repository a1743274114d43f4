"use client";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FieldErrors, FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { ROLES, type Role } from "@/lib/auth/roles";
import { idle, type FormState } from "@/lib/validations/form-state";
import { createUserAction, disableUserAction, enableUserAction, resetPasswordAction, updateUserAction } from "./actions";

export interface OrganizationOption {
  id: string;
  name: string;
}

function RoleChecks({ state, selected = [] }: { state: FormState; selected?: Role[] }) {
  const t = useTranslations();
  const errors = state.status === "error" ? state.fieldErrors?.roles : undefined;
  return (
    <fieldset className="text-sm" aria-describedby={errors ? "roles-error" : undefined}>
      <legend className="font-medium text-slate-700">{t("admin.users.roles")}</legend>
      <div className="mt-1 grid grid-cols-2 gap-1 md:grid-cols-4">
        {ROLES.map((role) => (
          <label key={role} className="flex items-center gap-2">
            <input type="checkbox" name="roles" value={role} defaultChecked={selected.includes(role)} />
            {t(`roles.${role}`)}
          </label>
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-500">{t("admin.users.adminRoleNote")}</p>
      <FieldErrors id="roles-error" errors={errors} />
    </fieldset>
  );
}

function OrganizationSelect({ organizations, value, state }: { organizations: OrganizationOption[]; value?: string | null; state: FormState }) {
  const t = useTranslations("admin.users");
  const errors = state.status === "error" ? state.fieldErrors?.organizationId : undefined;
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium text-slate-700">{t("organization")}</span>
      <select name="organizationId" defaultValue={value ?? ""} className="h-9 rounded-md border border-slate-300 px-2">
        <option value="">{t("noOrganization")}</option>
        {organizations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
      <FieldErrors id="organizationId-error" errors={errors} />
    </label>
  );
}

export function CreateUserForm({ organizations }: { organizations: OrganizationOption[] }) {
  const t = useTranslations("admin.users");
  const [state, action] = useActionState(createUserAction, idle);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormMessage state={state} okText={state.status === "ok" ? t("created", { username: String(state.data?.username ?? "") }) : undefined} />
      <div className="grid gap-3 md:grid-cols-3">
        <TextField label={t("username")} name="username" state={state} required />
        <TextField label={t("displayName")} name="displayName" state={state} required />
        <TextField label={t("initialPassword")} name="password" type="password" autoComplete="new-password" state={state} required />
      </div>
      <OrganizationSelect organizations={organizations} state={state} />
      <RoleChecks state={state} />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="systemAccount" value="on" className="mt-1" />
        <span>
          <span className="font-medium text-slate-700">{t("systemAccount")}</span>
          <span className="block text-xs text-slate-500">{t("systemAccountHint")}</span>
        </span>
      </label>
      <SubmitButton>{t("create")}</SubmitButton>
    </form>
  );
}

export function EditUserForm({ user, organizations }: { user: { id: string; version: number; displayName: string; organizationId: string | null; roles: Role[] }; organizations: OrganizationOption[] }) {
  const t = useTranslations("admin.users");
  const [state, action] = useActionState(updateUserAction, idle);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="version" value={user.version} />
      <TextField label={t("displayName")} name="displayName" defaultValue={user.displayName} state={state} required />
      <OrganizationSelect organizations={organizations} value={user.organizationId} state={state} />
      <RoleChecks state={state} selected={user.roles} />
      <SubmitButton>{t("save")}</SubmitButton>
    </form>
  );
}

export function ResetPasswordForm({ userId }: { userId: string }) {
  const t = useTranslations("admin.users");
  const [state, action] = useActionState(resetPasswordAction, idle);
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
      <input type="hidden" name="userId" value={userId} />
      <TextField label={t("newPassword")} name="password" type="password" autoComplete="new-password" state={state} required />
      <SubmitButton variant="outline">{t("resetPassword")}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function DisableToggle({ userId, disabled }: { userId: string; disabled: boolean }) {
  const t = useTranslations("admin.users");
  const [state, action] = useActionState(disabled ? enableUserAction : disableUserAction, idle);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton variant={disabled ? "outline" : "destructive"}>{disabled ? t("enable") : t("disable")}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
