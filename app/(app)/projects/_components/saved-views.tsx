"use client";
// Saved views: named links to a table query, personal or shared with the user's organization.
import Link from "@/components/link";
import { useTranslations } from "next-intl";
import { useSearchParams } from "next/navigation";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
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

export function SavedViews({ views, canShare }: { views: SavedViewDto[]; canShare: boolean }) {
  const t = useTranslations("projects.views");
  const searchParams = useSearchParams();
  const [state, action] = useActionState(saveViewAction, idle);
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
                <Link href={`/projects?${view.query}`} className="text-blue-800 hover:underline">{view.name}</Link>
                <span className="flex items-center gap-2 text-xs text-slate-500">
                  {view.shared && !view.mine && t("sharedBy", { name: view.ownerName })}
                  {view.mine && <DeleteView viewId={view.id} />}
                </span>
              </li>
            ))}
          </ul>
        )}
        <form action={action} className="space-y-2 border-t border-slate-100 pt-2" noValidate>
          <FormMessage state={state} />
          <input type="hidden" name="query" value={searchParams.toString()} />
          <TextField label={t("name")} name="name" state={state} required />
          {canShare && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="shared" value="on" /> {t("shared")}
            </label>
          )}
          <SubmitButton size="sm">{t("save")}</SubmitButton>
        </form>
      </div>
    </details>
  );
}
