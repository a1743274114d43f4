"use client";
// The owner unit's registry form. Inputs are uncontrolled: text typed before React hydrated stays
// (a controlled input would be reset to its state on the next render), and a refused save shows what
// was submitted (the action echoes it; each field is keyed on what it shows, so it remounts with it). A
// stale save shows the other editor's values beside the user's before anything is overwritten.
// Client messages: project, projects.stage
import Link from "@/components/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FieldErrors, FormMessage, SubmitButton } from "@/components/forms/form-fields";
import { Alert } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { echoed, idle } from "@/lib/validations/form-state";
import { REGISTRY_FIELDS } from "@/lib/validations/project";
import { updateProjectRegistryAction } from "./actions";
import { formatChinaTime } from "@/lib/domain/dates";

type Field = (typeof REGISTRY_FIELDS)[number];
type Values = Record<Field, string | null>;

const OPTIONS: Partial<Record<Field, { enumName: string; values: string[]; optional: boolean }>> = {
  projectType: { enumName: "ProjectType", values: ["NEW_BUILD", "EXPANSION", "REHABILITATION", "RELOCATION", "DECOMMISSIONING"], optional: true },
  nature: { enumName: "ProjectNature", values: ["PUBLIC_WELFARE", "QUASI_PUBLIC", "COMMERCIAL"], optional: true },
  lifecycleStage: { enumName: "LifecycleStage", values: ["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED", "CANCELLED"], optional: false },
};
const LABELS: Record<Field, string> = {
  projectCode: "project.projectCode",
  projectType: "project.type",
  nature: "project.nature",
  lifecycleStage: "projects.stage",
  plannedStart: "project.plannedStart",
  plannedCompletion: "project.plannedCompletion",
  totalInvestment: "project.totalInvestment",
  plannedInvestment: "project.plannedInvestment",
};

export function RegistryForm({ project }: { project: Values & { id: string; version: number; demoFields: string[]; lockedFields: readonly Field[] } }) {
  const t = useTranslations();
  const [state, action] = useActionState(updateProjectRegistryAction, idle);
  const shown = (f: Field) => echoed(state, f, project[f]);
  const stale = state.status === "error" && state.formError === "project.stale" ? (state.data as { current: Values & { version: number }; changedBy: { name: string; at: string } | null }) : null;
  const version = stale?.current.version ?? (state.status === "ok" ? project.version + 1 : project.version);
  const errors = state.status === "error" ? state.fieldErrors : undefined;
  const label = (f: Field) => t(LABELS[f] as never);
  const display = (f: Field, v: string | null) => {
    const options = OPTIONS[f];
    return v && options ? t(`enums.${options.enumName}.${v}` as never) : (v ?? "—");
  };

  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="projectId" value={project.id} />
      <input type="hidden" name="version" value={version} />
      {stale ? (
        <div className="space-y-2">
          <Alert tone="error">
            {stale.changedBy
              ? t("project.stale", { name: stale.changedBy.name, at: formatChinaTime(stale.changedBy.at) })
              : t("project.staleUnknown")}
          </Alert>
          <Table aria-label={t("project.currentValue")}>
            <TableHeader><TableRow><TableHead>{t("project.field")}</TableHead><TableHead>{t("project.currentValue")}</TableHead><TableHead>{t("project.yourValue")}</TableHead></TableRow></TableHeader>
            <TableBody>
              {REGISTRY_FIELDS.filter((f) => (stale.current[f] ?? "") !== shown(f)).map((f) => (
                <TableRow key={f}><TableCell>{label(f)}</TableCell><TableCell>{display(f, stale.current[f])}</TableCell><TableCell>{display(f, shown(f) || null)}</TableCell></TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : (
        <FormMessage state={state} />
      )}
      {project.demoFields.length > 0 && <p className="text-xs text-orange-800">{t("project.demoReplaced")}</p>}
      <div className="grid gap-4 md:grid-cols-2">
        {REGISTRY_FIELDS.map((f) => {
          const options = OPTIONS[f];
          // A set baseline is read-only here: it changes by a 项目调整申请 (docs/decisions/0030).
          const locked = project.lockedFields.includes(f);
          const common = {
            readOnly: locked || undefined,
            name: f,
            defaultValue: shown(f),
            "aria-invalid": errors?.[f] ? true : undefined,
            "aria-describedby": errors?.[f] ? `${f}-error` : undefined,
            className: `h-9 rounded-md border border-slate-300 px-2 aria-[invalid=true]:border-red-500${locked ? " bg-slate-100 text-slate-600" : ""}`,
          };
          return (
            <label key={f} className="flex flex-col gap-1 text-sm">
              <span className="font-medium text-slate-700">{label(f)}</span>
              {options ? (
                <select key={shown(f)} {...common}>
                  {options.optional && <option value="">{t("common.notReported")}</option>}
                  {options.values.map((v) => <option key={v} value={v}>{t(`enums.${options.enumName}.${v}` as never)}</option>)}
                </select>
              ) : (
                <input key={shown(f)} {...common} type={f.startsWith("planned") && !f.endsWith("Investment") ? "date" : "text"} inputMode={f.endsWith("Investment") ? "decimal" : undefined} />
              )}
              {locked ? (
                <span className="text-xs text-slate-600">
                  {t("baseline.lockedHint")} <Link href={`/projects/${project.id}#baseline-change`} className="text-blue-800 underline">{t("baseline.requestChange")}</Link>
                </span>
              ) : f.endsWith("Investment") && <span className="text-xs text-slate-500">{t("project.moneyHint")}</span>}
              <FieldErrors id={`${f}-error`} errors={errors?.[f]} />
            </label>
          );
        })}
      </div>
      <div className="flex items-center gap-4">
        <SubmitButton>{t("project.save")}</SubmitButton>
        <Link href={`/projects/${project.id}`} className="text-sm text-blue-800 underline">{t("project.back")}</Link>
      </div>
    </form>
  );
}
