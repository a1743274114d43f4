// The read API's reference as the /api-reference page shows it: a plain walk over the OpenAPI
// document lib/api/openapi.ts generates (the same object /api/v1/openapi.json serves), so the
// page cannot describe anything the document does not. No I/O; tests/unit/api-reference.test.ts.

/** A JSON Schema as zod-openapi writes it (the subset the page reads). */
interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
}

interface Document {
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, {
    summary?: string;
    description?: string;
    operationId?: string;
    parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
    responses: Record<string, { description: string; content?: Record<string, { schema?: Schema }>; headers?: Record<string, unknown> }>;
  }>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, { type: string; scheme?: string; description?: string }> };
}

export interface ReferenceField {
  /** Dotted path below the schema: "totals.count", "counties[].code". */
  name: string;
  type: string;
  /** The named schema the type refers to, for a link. */
  ref: string | null;
  required: boolean;
  /** The document's own description (English). */
  description: string;
  /** Where the page finds this description's translation, below messages apiReference.text (descriptionKey). */
  textKey: string;
}

export interface ReferenceParameter extends ReferenceField {
  in: string;
}

export interface ReferenceResponse {
  status: string;
  /** The document's own description (English). */
  description: string;
  schema: string | null;
}

export interface ReferenceOperation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  parameters: ReferenceParameter[];
  responses: ReferenceResponse[];
}

export interface ReferenceSchema {
  name: string;
  type: string;
  description: string;
  textKey: string;
  fields: ReferenceField[];
}

export interface ApiReference {
  title: string;
  version: string;
  description: string;
  baseUrl: string;
  operations: ReferenceOperation[];
  schemas: ReferenceSchema[];
  securitySchemes: { name: string; type: string; description: string }[];
}

const refName = (ref: string) => ref.replace("#/components/schemas/", "");

/**
 * The messages key (below apiReference.text) of a description in the document: a parameter of an
 * operation, a field of a named schema (dotted path flattened: "counties[].code" → "counties_code"),
 * or a named schema itself. The document is English; the page shows the translation in the UI's
 * language and falls back to the document's words (tests/unit/api-reference.test.ts checks zh-CN has all).
 */
export function descriptionKey(place: { operationId: string; parameter: string } | { schema: string; field?: string }): string {
  if ("operationId" in place) return `params.${place.operationId}.${place.parameter}`;
  return place.field === undefined ? `schemas.${place.schema}` : `fields.${place.schema}.${place.field.replace(/\[\]/g, "").replace(/\./g, "_")}`;
}

/** The non-null branch of a nullable schema, and whether it was nullable. */
function unwrapNull(schema: Schema): { inner: Schema; nullable: boolean } {
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const rest = union.filter((s) => s.type !== "null");
    if (rest.length === 1 && rest.length < union.length) return { inner: { ...rest[0]!, description: schema.description ?? rest[0]!.description }, nullable: true };
  }
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const types = schema.type.filter((t) => t !== "null");
    return { inner: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { inner: schema, nullable: false };
}

/** A short type: "string (uuid)", "MoneyWan", "ProjectSummary[]", "\"RED\" | \"GREEN\"", "… | null". */
export function typeLabel(schema: Schema): { type: string; ref: string | null } {
  const { inner, nullable } = unwrapNull(schema);
  const nullSuffix = nullable ? " | null" : "";
  if (inner.$ref) return { type: refName(inner.$ref) + nullSuffix, ref: refName(inner.$ref) };
  if (inner.const !== undefined) return { type: JSON.stringify(inner.const) + nullSuffix, ref: null };
  if (inner.enum) return { type: inner.enum.map((v) => JSON.stringify(v)).join(" | ") + nullSuffix, ref: null };
  const union = inner.anyOf ?? inner.oneOf;
  if (union) return { type: union.map((s) => typeLabel(s).type).join(" | ") + nullSuffix, ref: null };
  if (inner.type === "array" && inner.items) {
    const item = typeLabel(inner.items);
    return { type: `${item.type.includes(" ") ? `(${item.type})` : item.type}[]${nullSuffix}`, ref: item.ref };
  }
  if (inner.type === "object" && !inner.properties && inner.additionalProperties && typeof inner.additionalProperties === "object") {
    return { type: `{ [key]: ${typeLabel(inner.additionalProperties).type} }${nullSuffix}`, ref: null };
  }
  const base = Array.isArray(inner.type) ? inner.type.join(" | ") : (inner.type ?? "any");
  return { type: `${base}${inner.format ? ` (${inner.format})` : ""}${nullSuffix}`, ref: null };
}

/** An object's fields, nested inline objects flattened into dotted names (a named schema is a link instead). */
function fieldsOf(schemaName: string, schema: Schema, prefix = "", depth = 0): ReferenceField[] {
  const { inner } = unwrapNull(schema);
  const target = inner.type === "array" && inner.items ? unwrapNull(inner.items).inner : inner;
  const arrayMark = inner.type === "array" ? "[]" : "";
  if (!target.properties || depth > 4) return [];
  const required = new Set(target.required ?? []);
  return Object.entries(target.properties).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}${arrayMark}.${key}` : key;
    const { type, ref } = typeLabel(value);
    const description = value.description ?? unwrapNull(value).inner.description ?? "";
    const own: ReferenceField = { name, type, ref, required: required.has(key), description, textKey: descriptionKey({ schema: schemaName, field: name }) };
    return [own, ...fieldsOf(schemaName, value, name, depth + 1)];
  });
}

/** The reference of a document: its operations in order and every named schema. */
export function apiReference(document: Document): ApiReference {
  const operations: ReferenceOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const operationId = op.operationId ?? `${method} ${path}`;
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId,
        summary: op.summary ?? "",
        description: op.description ?? "",
        parameters: (op.parameters ?? []).map((p) => {
          const { type, ref } = typeLabel(p.schema ?? {});
          const description = p.description ?? p.schema?.description ?? "";
          return { name: p.name, in: p.in, type, ref, required: !!p.required, description, textKey: descriptionKey({ operationId, parameter: p.name }) };
        }),
        responses: Object.entries(op.responses).map(([status, response]) => {
          const schema = response.content?.["application/json"]?.schema;
          return { status, description: response.description, schema: schema ? typeLabel(schema).type : null };
        }),
      });
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => ({
    name,
    type: schema.properties ? "object" : typeLabel(schema).type,
    description: schema.description ?? "",
    textKey: descriptionKey({ schema: name }),
    fields: fieldsOf(name, schema),
  }));
  const securitySchemes = Object.entries(document.components?.securitySchemes ?? {}).map(([name, s]) => ({
    name,
    type: s.scheme ? `${s.type} ${s.scheme}` : s.type,
    description: s.description ?? "",
  }));
  return {
    title: document.info.title,
    version: document.info.version,
    description: document.info.description ?? "",
    baseUrl: document.servers?.[0]?.url ?? "",
    operations,
    schemas,
    securitySchemes,
  };
}
