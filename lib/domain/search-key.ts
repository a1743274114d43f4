// The one search key for names, organizations and codes (docs/decisions/0022). The database keeps
// the same key in "Project"."searchText" and "Organization"."searchText" with the SQL function
// zunyi_search_key() (migration project_display_names); tests/integration/search-key.test.ts
// checks with generated strings that both give the same result. Change both together.
//
// 1. NFKC: full-width letters, digits and punctuation become half-width (ＡＢ１（ → AB1( ),
//    the ideographic space U+3000 becomes a plain space.
// 2. Every whitespace character is removed, so "汇川区妇 幼保健院" and "汇川区妇幼保健院" meet.
// 3. ASCII A–Z is lowered (only ASCII: the database's lower() depends on its collation).

/** Whitespace removed by the key: JavaScript's \s plus U+0085 and the zero-width space U+200B. */
const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

export function searchKey(value: string): string {
  return value
    .normalize("NFKC")
    .replace(WHITESPACE, "")
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** `%key%` for LIKE against a searchText column, with LIKE's wildcards typed by the user matching themselves. */
export function searchKeyPattern(query: string): string | null {
  const key = searchKey(query);
  if (!key) return null;
  return `%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** True when a display name carries whitespace between two CJK characters (a PDF artefact). */
export function hasCjkGap(value: string): boolean {
  return /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]\s+[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/.test(value);
}
