// The official OC4IDS 0.9.5 schemas (tests/fixtures/oc4ids, Apache-2.0, see its LICENSE) compiled
// with Ajv in draft-04 mode, the draft their "$schema" declares, with formats checked.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "csv-parse/sync";

const fixtures = path.join(process.cwd(), "tests", "fixtures", "oc4ids");

function readJson(file: string): { id: string; $schema: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(fixtures, file), "utf8"));
}

export const projectSchema = readJson("project-schema.json");
export const packageSchema = readJson("project-package-schema.json");

export interface Oc4idsValidators {
  /** The whole project package (project-package-schema.json, which $refs project-schema.json). */
  validatePackage: ValidateFunction;
  /** One object against a definition of project-schema.json, e.g. "Modification". */
  validateDefinition(name: string, value: unknown): ErrorObject[];
}

export function oc4idsValidators(): Oc4idsValidators {
  // allErrors: report every problem of a large package at once. The schema's own annotations
  // (codelist, openCodelist, versionId) are declared so strict mode does not reject them.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addVocabulary(["codelist", "openCodelist", "versionId"]);
  addFormats(ajv);
  ajv.addSchema(projectSchema);
  const validatePackage = ajv.compile(packageSchema);
  const definitions = new Map<string, ValidateFunction>();
  return {
    validatePackage,
    validateDefinition(name, value) {
      let validate = definitions.get(name);
      if (!validate) {
        validate = ajv.compile({ $ref: `${projectSchema.id}#/definitions/${name}` });
        definitions.set(name, validate);
      }
      return validate(value) ? [] : [...(validate.errors ?? [])];
    },
  };
}

/** Readable errors for an assertion message. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, limit = 20): string {
  return (errors ?? [])
    .slice(0, limit)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`)
    .join("\n");
}

/** The codes of an OC4IDS codelist: the committed fixtures, else the copies the seed uses. */
export function codelist(name: string): Set<string> {
  const candidates = [path.join(fixtures, "codelists", `${name}.csv`), path.join(process.cwd(), "prisma", "data", "oc4ids", `${name}.csv`)];
  for (const file of candidates) {
    try {
      const rows = parse(readFileSync(file, "utf8"), { columns: true }) as { Code: string }[];
      return new Set(rows.map((row) => row.Code));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  throw new Error(`no codelist ${name}`);
}
