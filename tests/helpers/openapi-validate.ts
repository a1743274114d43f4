// Validates a read-API answer against the served OpenAPI 3.1 document (JSON Schema 2020-12), by
// path template, method and status: what an external client generated from the document expects.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components?: unknown };

export function openApiValidator(doc: Doc) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const cache = new Map<string, ValidateFunction>();
  return function validate(pathTemplate: string, status: number, body: unknown): string[] {
    const key = `${pathTemplate} ${status}`;
    let fn = cache.get(key);
    if (!fn) {
      const response = doc.paths[pathTemplate]?.get?.responses[String(status)];
      if (!response) return [`the document has no ${status} answer for GET ${pathTemplate}`];
      const schema = response.content?.["application/json"]?.schema;
      if (!schema) return [`the ${status} answer of GET ${pathTemplate} has no JSON schema`];
      // The components travel with the schema so its "#/components/..." references resolve.
      fn = ajv.compile({ ...(schema as object), components: doc.components });
      cache.set(key, fn);
    }
    return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
