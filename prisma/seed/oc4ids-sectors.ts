// The OC4IDS 0.9.5 projectSector codelist, copied into prisma/data/oc4ids (Apache-2.0).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";

export function loadOc4idsSectors(): { code: string; title: string }[] {
  const rows = parse(readFileSync(path.join(__dirname, "..", "data", "oc4ids", "projectSector.csv"), "utf8"), {
    columns: true,
  }) as { Code: string; Title: string }[];
  return rows.map((row) => ({ code: row.Code, title: row.Title }));
}
