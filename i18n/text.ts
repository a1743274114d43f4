// The text half of i18n/format.ts: separators and code-list names, without the money helpers and
// so without decimal.js (~15 KB gzip), for client components that only join text (the forms'
// error lists, the project table). The rules live here once; uiText adds the amounts to them
// (docs/decisions/0024-ui-text.md).

/** A root-level translator: next-intl's useTranslations() or await getTranslations(). */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

export type UiSeparators = {
  /** "A、B、C" / "A, B, C". */
  list: (items: readonly string[]) => string;
  /** Several statements in one line: "A；B" / "A; B". */
  clauses: (items: readonly string[]) => string;
  /** "Label：" / "Label: " before a value that follows as markup. */
  colon: string;
  /** "Label：value" / "Label: value". */
  labelled: (label: string, value: string) => string;
  /** "（note）" / " (note)". */
  parens: (inner: string | number) => string;
};

export function uiSeparators(t: Translate): UiSeparators {
  return {
    list: (items) => items.join(t("common.listSeparator")),
    clauses: (items) => items.join(t("common.clauseSeparator")),
    colon: t("common.colon"),
    labelled: (label, value) => t("common.labelled", { label, value }),
    parens: (inner) => t("common.parens", { inner: String(inner) }),
  };
}

/** A code-list row's name (sector, funding source, measure) in the user's language: English from `nameEn`. */
export function localName(row: { nameZh: string; nameEn: string }, locale: string): string {
  return locale === "en" ? row.nameEn : row.nameZh;
}
