"use client";
// Saved views: named links to a table query, personal or shared with the user's organization.
// The form shows its few answers itself rather than through components/forms/form-fields, which
// would put the whole validation catalogue on the list page (docs/decisions/0038). The keys below
// are every answer saveViewAction can give (lib/validations/table-view.ts, lib/action.ts).
// Client messages: validation.required, validation.tooLong, validation.nameTaken, validation.invalid, validation.unknownParameter, validation.forbidden, validation.conflict, validation.notFound
import Link from "@/components/link";
import { useTranslations } from "next-intl";
import { useSearchParams } from "next/navigation";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { echoed, idle, type FormState } from "@/lib/validations/form-state";
import { deleteViewAction, saveViewAction } from "../actions";

export interface SavedViewDto {
  id: string;
  name: string;
  query: string;
  shared: boolean;
  mine: boolean;
  ownerName: string;
}

function DeleteView({ viewId }: { viewId: string }) {
  const t = useTranslations("projects.views");
  const [, action] = useActionState(deleteViewAction, idle);
  return (
    <form action={action}>
      <input type="hidden" name="viewId" value={viewId} />
      <button type="submit" className="text-xs text-red-700 hover:underline">{t("delete")}</button>
    </form>
  );
}

function SaveButton({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" size="sm" disabled={pending} aria-disabled={pending}>
      {label}
    </Button>
  );
}

/** What the server answered: its message, or the refusal's reasons. */
function Answer({ state }: { state: FormState }) {
  const t = useTranslations();
  if (state.status === "ok" && state.message) return <Alert tone="info">{t(state.message as never)}</Alert>;
  if (state.status !== "error") return null;
  const reasons = state.formError ? [state.formError] : Object.values(state.fieldErrors ?? {}).flat();
  return reasons.length ? <Alert tone="error">{reasons.map((key) => t(key as never)).join(t("common.listSeparator"))}</Alert> : null;
}

export function SavedViews({ views, canShare }: { views: SavedViewDto[]; canShare: boolean }) {
  const t = useTranslations("projects.views");
  const searchParams = useSearchParams();
  const [state, action] = useActionState(saveViewAction, idle);
  const nameError = state.status === "error" && !!state.fieldErrors?.name?.length;
  return (
    <details className="relative">
      <summary className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1">{t("title")}</summary>
      <div className="absolute z-10 mt-1 w-80 space-y-3 rounded-md border border-slate-200 bg-white p-3 shadow">
        {views.length === 0 ? (
          <p className="text-slate-500">{t("none")}</p>
        ) : (
          <ul className="space-y-1">
            {views.map((view) => (
              <li key={view.id} className="flex items-center justify-between gap-2">
                <Link href={`/projects?${view.query}`} className="link">{view.name}</Link>
                <span className="flex items-center gap-2 text-xs text-slate-500">
                  {view.shared && !view.mine && t("sharedBy", { name: view.ownerName })}
                  {view.mine && <DeleteView viewId={view.id} />}
                </span>
              </li>
            ))}
          </ul>
        )}
        <form action={action} className="space-y-2 border-t border-slate-100 pt-2" noValidate>
          <Answer state={state} />
          <input type="hidden" name="query" value={searchParams.toString()} />
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">{t("name")}</span>
            <input
              name="name"
              required
              aria-invalid={nameError ? true : undefined}
              // On a refusal React has reset the form: put back what was typed (keyed, so it remounts).
              defaultValue={echoed(state, "name", "")}
              key={`name-${state.status}-${echoed(state, "name", "")}`}
              className="h-9 rounded-md border border-slate-300 px-3 aria-[invalid=true]:border-red-500"
            />
          </label>
          {canShare && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="shared" value="on" /> {t("shared")}
            </label>
          )}
          <SaveButton label={t("save")} />
        </form>
      </div>
    </details>
  );
}
