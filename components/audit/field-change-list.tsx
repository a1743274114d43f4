// A list of field changes ("field: from → to") as the log records them (fieldChangesOf in
// lib/audit/events.ts): inline in a table cell, or as one table row per field. The one rendering
// of a field change; pages pass the label of each field.
import { TableCell, TableRow } from "@/components/ui/table";
import type { UiText } from "@/i18n/format";
import type { FieldChangeRow } from "@/lib/audit/events";

const EMPTY = "—";

/** The text of a field-change list: "label：from → to；…" (in English "label: from → to; …"), then any notes. */
export function fieldChangeText(changes: readonly FieldChangeRow[], label: (field: string) => string, fmt: Pick<UiText, "clauses" | "labelled">, notes: readonly string[] = []): string {
  return fmt.clauses([...changes.map((c) => fmt.labelled(label(c.field), `${c.from ?? EMPTY} → ${c.to ?? EMPTY}`)), ...notes]);
}

/** "label：from → to；…" with any further notes (reason, evidence) after the changes; separators from `fmt` (i18n/format.ts). */
export function FieldChangeList({ changes, label, fmt, notes = [] }: { changes: readonly FieldChangeRow[]; label: (field: string) => string; fmt: Pick<UiText, "clauses" | "labelled">; notes?: readonly string[] }) {
  return <>{fieldChangeText(changes, label, fmt, notes)}</>;
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
