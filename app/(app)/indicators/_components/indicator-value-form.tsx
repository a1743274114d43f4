"use client";
// Entering one year's value of an indicator with its source. The form sends the value it showed
// for that year, so a value someone else saved meanwhile is reported as a conflict.
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { saveIndicatorValueAction } from "../actions";
import { uiText } from "@/i18n/format";

export function IndicatorValueForm({ indicatorId, unit, values, years }: { indicatorId: string; unit: string; values: Record<number, string>; years: number[] }) {
  const t = useTranslations();
  const fmt = uiText(t);
  const [state, action] = useActionState(saveIndicatorValueAction, idle);
  const [year, setYear] = useState(years.at(-1)!);
  const shown = values[year] ?? "";
  return (
    <form action={action} className="flex flex-wrap items-end gap-2" noValidate>
      <input type="hidden" name="indicatorId" value={indicatorId} />
      <input type="hidden" name="expected" value={shown} />
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium text-slate-700">{t("indicators.year")}</span>
        <select name="year" value={year} onChange={(e) => setYear(Number(e.target.value))} className="h-9 rounded-md border border-slate-300 px-2">
          {years.map((y) => <option key={y} value={y}>{y}{values[y] !== undefined ? ` (${values[y]})` : ""}</option>)}
        </select>
      </label>
      <TextField key={`v-${year}`} name="value" label={`${t("indicators.value")}${fmt.parens(unit)}`} state={state} defaultValue={shown} className="w-36" inputMode="decimal" />
      <TextField name="sourceNote" label={t("indicators.sourceNote")} state={state} className="min-w-64 flex-1" placeholder={t("indicators.sourceHint")} />
      <SubmitButton size="sm">{t("indicators.save")}</SubmitButton>
      <div className="basis-full"><FormMessage state={state} labels={{ value: t("indicators.value"), sourceNote: t("indicators.sourceNote"), year: t("indicators.year") }} /></div>
    </form>
  );
}
