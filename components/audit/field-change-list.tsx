// A list of field changes ("field: from → to") as the log records them (fieldChangesOf in
// lib/audit/events.ts): inline in a table cell, or as one table row per field. The one rendering
// of a field change; pages pass the label of each field.
import { TableCell, TableRow } from "@/components/ui/table";
import type { UiText } from "@/i18n/format";
import type { FieldChangeRow } from "@/lib/audit/events";

const EMPTY = "—";

/** How a stored value reads for a field (a code becomes its name); by default the value as stored. */
export type FieldValueText = (field: string, value: string) => string;
const asStored: FieldValueText = (_field, value) => value;

/** The text of a field-change list: "label：from → to；…" (in English "label: from → to; …"), then any notes. */
export function fieldChangeText(changes: readonly FieldChangeRow[], label: (field: string) => string, fmt: Pick<UiText, "clauses" | "labelled">, notes: readonly string[] = [], value: FieldValueText = asStored): string {
  const shown = (field: string, v: string | null) => (v === null ? EMPTY : value(field, v));
  return fmt.clauses([...changes.map((c) => fmt.labelled(label(c.field), `${shown(c.field, c.from)} → ${shown(c.field, c.to)}`)), ...notes]);
}

/** "label：from → to；…" with any further notes (reason, evidence) after the changes; separators from `fmt` (i18n/format.ts). */
export function FieldChangeList({ changes, label, fmt, notes = [], value }: { changes: readonly FieldChangeRow[]; label: (field: string) => string; fmt: Pick<UiText, "clauses" | "labelled">; notes?: readonly string[]; value?: FieldValueText }) {
  return <>{fieldChangeText(changes, label, fmt, notes, value)}</>;
}

/** One table row per changed field: when, who, field, before, after. */
export function FieldChangeTableRows({ rowKey, at, by, changes, label }: { rowKey: string; at: string; by: string | null; changes: readonly FieldChangeRow[]; label: (field: string) => string }) {
  return (
    <>
      {changes.map((c) => (
        <TableRow key={`${rowKey}-${c.field}`}>
          <TableCell className="whitespace-nowrap">{at}</TableCell>
          <TableCell>{by}</TableCell>
          <TableCell>{label(c.field)}</TableCell>
          <TableCell>{c.from ?? EMPTY}</TableCell>
          <TableCell>{c.to ?? EMPTY}</TableCell>
        </TableRow>
      ))}
    </>
  );
}
