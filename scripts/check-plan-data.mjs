#!/usr/bin/env node
// Validates the plan library in prisma/data/plan against its source text.
// Usage: node scripts/check-plan-data.mjs   (exit code 1 on any problem)
// No dependencies: node built-ins only, with a small RFC 4180 CSV parser below.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.join(root, "prisma", "data", "plan");
const oc4idsDir = path.join(root, "prisma", "data", "oc4ids");

const problems = [];
const fail = (msg) => problems.push(msg);

/** RFC 4180 parser: quoted fields, "" escapes, commas and newlines inside quotes. */
function parseCsv(text, file) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (field !== "") fail(`${file}: stray quote inside an unquoted field near row ${rows.length + 1}`);
      quoted = true;
    } else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (ch === "\r") {
      fail(`${file}: CR character found (files must use LF line endings)`);
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) fail(`${file}: unterminated quoted field`);
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readCsv(file, expectedHeader) {
  const full = path.join(dataDir, file);
  if (!existsSync(full)) {
    fail(`${file}: missing`);
    return [];
  }
  const buf = readFileSync(full);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) fail(`${file}: has a UTF-8 BOM`);
  const text = buf.toString("utf8");
  if (!text.endsWith("\n")) fail(`${file}: does not end with a newline`);
  const rows = parseCsv(text, file);
  const header = rows.shift() ?? [];
  if (header.join(",") !== expectedHeader.join(",")) {
    fail(`${file}: header is "${header.join(",")}", expected "${expectedHeader.join(",")}"`);
  }
  return rows.map((cells, index) => {
    if (cells.length !== header.length) fail(`${file} row ${index + 2}: ${cells.length} fields, expected ${header.length}`);
    const record = { _row: index + 2 };
    header.forEach((h, k) => (record[h] = cells[k] ?? ""));
    return record;
  });
}

function codelist(file, fallback) {
  const full = path.join(oc4idsDir, file);
  if (!existsSync(full)) return new Set(fallback);
  const rows = parseCsv(readFileSync(full, "utf8"), file);
  rows.shift();
  return new Set(rows.filter((r) => r[0]).map((r) => r[0]));
}

// ------------------------------------------------------------------ source
const sourcePath = path.join(dataDir, "source.txt");
if (!existsSync(sourcePath)) {
  console.error("prisma/data/plan/source.txt is missing");
  process.exit(1);
}
const source = readFileSync(sourcePath, "utf8");
const lines = source.split("\n"); // line_no is 1-based: lines[line_no - 1]

// column headings in the source: "专栏N  title"
const headings = new Map(); // column_no -> { title, line }
lines.forEach((l, i) => {
  const m = /^\s*专栏(\d+)\s*(.*?)\s*$/.exec(l);
  if (m) headings.set(Number(m[1]), { title: m[2], line: i + 1 });
});
const headingLines = [...headings.values()].map((h) => h.line).sort((a, b) => a - b);
function columnRange(no) {
  const h = headings.get(no);
  if (!h) return null;
  const next = headingLines.find((l) => l > h.line) ?? lines.length + 1;
  return [h.line, next - 1];
}

// ------------------------------------------------------------------ reference codes
const COUNTY_CODES = new Set([
  "520302", "520303", "520304", "520322", "520323", "520324", "520325",
  "520326", "520327", "520328", "520329", "520330", "520381", "520382", "XP", "CITY",
]);
const SECTORS = codelist("projectSector.csv", [
  "education", "health", "energy", "energy.solar", "energy.wind", "energy.hydropower", "energy.biomass",
  "energy.geothermal", "communications", "waterAndWaste", "governance", "economy", "cultureSportsAndRecreation",
  "transport", "transport.air", "transport.water", "transport.rail", "transport.road", "transport.urban",
  "transport.lowCarbon", "socialHousing", "naturalResources", "naturalResources.floodProtection",
]);
const OC4IDS_TYPES = codelist("projectType.csv", ["construction", "rehabilitation", "replacement", "expansion", "decommissioning"]);
// The app maps these five (prisma/seed/plan-data.ts); empty = not stated by the plan.
const PROJECT_TYPES = new Set(["", "construction", "rehabilitation", "replacement", "expansion", "decommissioning"]);
const STAGES = new Set(["complete", "start", "construct", "prepare", "relocate"]);

// ------------------------------------------------------------------ columns.csv
const columns = readCsv("columns.csv", ["column_no", "title", "has_projects"]);
const EXPECTED_COLUMNS = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
const columnByNo = new Map();
for (const c of columns) {
  const no = Number(c.column_no);
  if (columnByNo.has(no)) fail(`columns.csv row ${c._row}: duplicate column_no ${no}`);
  columnByNo.set(no, c);
  const h = headings.get(no);
  if (!h) fail(`columns.csv row ${c._row}: 专栏${no} not found in source.txt`);
  else if (h.title !== c.title) fail(`columns.csv row ${c._row}: title "${c.title}" differs from source "${h.title}"`);
  if (!["true", "false"].includes(c.has_projects)) fail(`columns.csv row ${c._row}: has_projects must be true/false`);
}
const colNos = [...columnByNo.keys()].sort((a, b) => a - b);
if (colNos.join(",") !== EXPECTED_COLUMNS.join(",")) fail(`columns.csv: columns ${colNos.join(",")}, expected ${EXPECTED_COLUMNS.join(",")}`);
if ([...headings.keys()].sort((a, b) => a - b).join(",") !== EXPECTED_COLUMNS.join(",")) {
  fail(`source.txt: 专栏 headings found ${[...headings.keys()].join(",")}`);
}

// ------------------------------------------------------------------ programmes.csv
const programmes = readCsv("programmes.csv", ["programme_key", "column_no", "seq", "name"]);
const programmeByKey = new Map();
const programmeSeqs = new Map();
for (const p of programmes) {
  const where = `programmes.csv row ${p._row}`;
  if (programmeByKey.has(p.programme_key)) fail(`${where}: duplicate programme_key ${p.programme_key}`);
  programmeByKey.set(p.programme_key, p);
  const col = Number(p.column_no);
  const expectedKey = `C${String(col).padStart(2, "0")}-P${String(Number(p.seq)).padStart(2, "0")}`;
  if (p.programme_key !== expectedKey) fail(`${where}: key ${p.programme_key} does not match column/seq (${expectedKey})`);
  const c = columnByNo.get(col);
  if (!c) fail(`${where}: unknown column ${col}`);
  else if (c.has_projects !== "true") fail(`${where}: column ${col} is marked has_projects=false`);
  if (!p.name) fail(`${where}: empty name`);
  const range = columnRange(col);
  if (range && p.name !== c?.title) {
    const body = lines.slice(range[0] - 1, range[1]).join("\n");
    if (!body.includes(p.name)) fail(`${where}: programme name "${p.name}" not found in 专栏${col}`);
  }
  if (!programmeSeqs.has(col)) programmeSeqs.set(col, []);
  programmeSeqs.get(col).push(Number(p.seq));
}
for (const [col, seqs] of programmeSeqs) {
  const want = seqs.map((_, i) => i + 1).join(",");
  if (seqs.join(",") !== want) fail(`programmes.csv: column ${col} seq ${seqs.join(",")} not 1..n in order`);
}
for (const c of columns) {
  if (c.has_projects === "true" && !programmeSeqs.has(Number(c.column_no))) fail(`programmes.csv: column ${c.column_no} has no programme`);
}

// ------------------------------------------------------------------ projects.csv
const projects = readCsv("projects.csv", [
  "project_key", "column_no", "programme_key", "seq", "name", "counties", "sector",
  "project_type", "target_stage", "source_phrase", "line_no", "display_name", "county_note", "county_pending",
]);
const projectKeys = new Set();
const seqByProgramme = new Map();
const perColumn = new Map();
const perProgramme = new Map();
const nameCount = new Map();
for (const p of projects) {
  const where = `projects.csv row ${p._row} (${p.project_key})`;
  if (projectKeys.has(p.project_key)) fail(`${where}: duplicate project_key`);
  projectKeys.add(p.project_key);
  const prog = programmeByKey.get(p.programme_key);
  if (!prog) fail(`${where}: unknown programme_key ${p.programme_key}`);
  else if (Number(prog.column_no) !== Number(p.column_no)) fail(`${where}: column_no ${p.column_no} but programme is in column ${prog.column_no}`);
  const expectedKey = `${p.programme_key}-${String(Number(p.seq)).padStart(3, "0")}`;
  if (p.project_key !== expectedKey) fail(`${where}: key does not match programme/seq (${expectedKey})`);
  if (!seqByProgramme.has(p.programme_key)) seqByProgramme.set(p.programme_key, []);
  seqByProgramme.get(p.programme_key).push(Number(p.seq));

  if (!p.name.trim()) fail(`${where}: empty name`);
  if (!p.source_phrase.trim()) fail(`${where}: empty source_phrase`);
  const lineNo = Number(p.line_no);
  if (!Number.isInteger(lineNo) || lineNo < 1 || lineNo > lines.length) fail(`${where}: bad line_no ${p.line_no}`);
  else {
    if (!lines[lineNo - 1].includes(p.source_phrase)) fail(`${where}: source_phrase is not a substring of source line ${lineNo}`);
    const range = columnRange(Number(p.column_no));
    if (range && (lineNo < range[0] || lineNo > range[1])) fail(`${where}: line ${lineNo} is outside 专栏${p.column_no} (lines ${range[0]}-${range[1]})`);
  }
  if (!source.includes(p.source_phrase)) fail(`${where}: source_phrase not found in source.txt`);
  if (!p.source_phrase.includes(p.name)) fail(`${where}: name "${p.name}" is not a substring of source_phrase`);

  const counties = p.counties === "" ? [] : p.counties.split(";");
  const seen = new Set();
  for (const code of counties) {
    if (!COUNTY_CODES.has(code)) fail(`${where}: unknown county code "${code}"`);
    if (seen.has(code)) fail(`${where}: county code ${code} repeated`);
    seen.add(code);
  }
  if (!SECTORS.has(p.sector)) fail(`${where}: sector "${p.sector}" is not an OC4IDS projectSector code`);
  if (!PROJECT_TYPES.has(p.project_type)) {
    fail(`${where}: project_type "${p.project_type}" not allowed${OC4IDS_TYPES.has(p.project_type) ? " by the app (OC4IDS has it)" : ""}`);
  } else if (p.project_type && !OC4IDS_TYPES.has(p.project_type)) fail(`${where}: project_type "${p.project_type}" not in OC4IDS projectType`);
  if (!STAGES.has(p.target_stage)) fail(`${where}: target_stage "${p.target_stage}" invalid`);

  const col = Number(p.column_no);
  perColumn.set(col, (perColumn.get(col) ?? 0) + 1);
  perProgramme.set(p.programme_key, (perProgramme.get(p.programme_key) ?? 0) + 1);
  // display_name: stands alone, no whitespace between two CJK characters (docs/decisions/0022).
  if (!p.display_name.trim()) fail(`${where}: empty display_name`);
  if (/[\u3400-\u9fff\uff00-\uffef]\s+[\u3400-\u9fff\uff00-\uffef]/.test(p.display_name)) fail(`${where}: display_name has whitespace between CJK characters`);
  if (!["true", "false"].includes(p.county_pending)) fail(`${where}: county_pending must be true/false`);
  if ((p.county_pending === "true") !== (counties.length === 0)) fail(`${where}: county_pending must be true exactly when counties is empty`);
  if (!p.county_note.trim()) fail(`${where}: empty county_note`);
  nameCount.set(p.display_name, (nameCount.get(p.display_name) ?? 0) + 1);
}
for (const [key, seqs] of seqByProgramme) {
  const want = seqs.map((_, i) => i + 1).join(",");
  if (seqs.join(",") !== want) fail(`projects.csv: programme ${key} seq not 1..n in order`);
}
for (const c of columns) {
  const n = perColumn.get(Number(c.column_no)) ?? 0;
  if (c.has_projects === "true" && n === 0) fail(`columns.csv: column ${c.column_no} has_projects=true but no projects`);
  if (c.has_projects === "false" && n > 0) fail(`columns.csv: column ${c.column_no} has_projects=false but ${n} projects`);
}
for (const [name, n] of nameCount) if (n > 1) fail(`projects.csv: display_name "${name}" used by ${n} projects`);

// ------------------------------------------------------------------ indicators.csv
const indicators = readCsv("indicators.csv", [
  "no", "category", "name", "unit", "baseline_2020", "target_2025_text", "target_2025",
  "cumulative", "comparator", "direction", "note",
]);
const NUM = /^-?\d+(\.\d+)?$/;
const table = lines.slice(68, 298).join("\n"); // 专栏1 table, lines 69-298
if (indicators.length !== 36) fail(`indicators.csv: ${indicators.length} rows, expected 36`);
indicators.forEach((ind, i) => {
  const where = `indicators.csv row ${ind._row}`;
  if (Number(ind.no) !== i + 1) fail(`${where}: no ${ind.no}, expected ${i + 1}`);
  if (!ind.category || !ind.name) fail(`${where}: empty category or name`);
  const cell = ind.unit ? `${ind.name}（${ind.unit}）` : ind.name;
  if (!table.includes(cell)) fail(`${where}: "${cell}" not found in the 专栏1 table`);
  if (ind.baseline_2020 !== "" && !NUM.test(ind.baseline_2020)) fail(`${where}: baseline_2020 "${ind.baseline_2020}" not numeric`);
  if (!NUM.test(ind.target_2025)) fail(`${where}: target_2025 "${ind.target_2025}" not numeric`);
  if (!ind.target_2025_text.includes(ind.target_2025)) fail(`${where}: target_2025 not in target_2025_text`);
  if (!["true", "false"].includes(ind.cumulative)) fail(`${where}: cumulative must be true/false`);
  const bracketed = /^\[.*\]$/.test(ind.target_2025_text);
  if ((ind.cumulative === "true") !== bracketed) fail(`${where}: cumulative must be true exactly when the target is in [ ]`);
  if (!["about", "atLeast", "atMost", "exact"].includes(ind.comparator)) fail(`${where}: comparator "${ind.comparator}" invalid`);
  if (!["up", "down"].includes(ind.direction)) fail(`${where}: direction "${ind.direction}" invalid`);
  const t = ind.target_2025_text;
  if (t.includes("左右") && ind.comparator !== "about") fail(`${where}: 左右 requires comparator about`);
  if ((t.includes("以上") || t.includes("不低于")) && ind.comparator !== "atLeast") fail(`${where}: 以上/不低于 requires atLeast`);
  if ((t.includes("以内") || t.includes("以下")) && ind.comparator !== "atMost") fail(`${where}: 以内/以下 requires atMost`);
  const rawTarget = t.replace(/^\[(.*)\]$/, "[$1");
  if (!table.replace(/\s+(?=\])/g, "").includes(rawTarget)) fail(`${where}: target text "${t}" not found in the table`);
});

// ------------------------------------------------------------------ report
console.log(`source.txt: ${(source.match(/\n/g) ?? []).length} newline-terminated lines`);
console.log(`columns: ${columns.length}  programmes: ${programmes.length}  projects: ${projects.length}  indicators: ${indicators.length}`);
console.log("projects per column:");
for (const c of columns) {
  const no = Number(c.column_no);
  const progs = programmes.filter((p) => Number(p.column_no) === no).map((p) => `${p.programme_key} ${p.name}=${perProgramme.get(p.programme_key) ?? 0}`);
  console.log(`  专栏${String(no).padEnd(2)} ${String(perColumn.get(no) ?? 0).padStart(3)}  ${c.title}${progs.length ? `\n      ${progs.join("\n      ")}` : ""}`);
}
const stages = {};
for (const p of projects) stages[p.target_stage] = (stages[p.target_stage] ?? 0) + 1;
console.log("target stages:", JSON.stringify(stages));
console.log("projects without counties:", projects.filter((p) => !p.counties).length);

if (problems.length) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log("\nOK: plan data is consistent with source.txt");
