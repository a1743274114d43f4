// The /api-reference page's model (lib/api/reference.ts) is a walk over the served OpenAPI
// document: every operation, parameter, response and named schema appears, types are readable,
// and every operation has its summary and description in both languages.
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { apiReference, descriptionKey, typeLabel } from "@/lib/api/reference";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

const document = openApiDocument() as unknown as Parameters<typeof apiReference>[0];
const reference = apiReference(document);

describe("the API reference", () => {
  it("lists every operation of the document with its parameters and responses", () => {
    expect(reference.operations.map((op) => op.path)).toEqual(Object.keys(document.paths));
    for (const op of reference.operations) {
      const source = document.paths[op.path]!.get!;
      expect(op.parameters.map((p) => p.name), op.path).toEqual((source.parameters ?? []).map((p) => p.name));
      expect(op.responses.map((r) => r.status), op.path).toEqual(Object.keys(source.responses));
      expect(op.responses.find((r) => r.status === "200")?.schema, op.path).toMatch(/^[A-Z]\w+$/);
    }
    const listProjects = reference.operations.find((op) => op.path === "/projects")!;
    expect(listProjects.parameters.find((p) => p.name === "limit")).toMatchObject({ in: "query", type: "integer", required: false });
    expect(listProjects.parameters.every((p) => p.description), "every parameter is described").toBe(true);
  });

  it("lists every named schema with its fields, nested objects as dotted names and references as links", () => {
    expect(reference.schemas.map((s) => s.name).sort()).toEqual(Object.keys(document.components!.schemas!).sort());
    const summary = reference.schemas.find((s) => s.name === "ProjectSummary")!;
    expect(summary.fields.find((f) => f.name === "completedInvestment")).toMatchObject({ type: "MoneyWan", ref: "MoneyWan", required: true });
    expect(summary.fields.find((f) => f.name === "plannedStart")).toMatchObject({ type: "IsoDate | null", ref: "IsoDate" });
    expect(summary.fields.find((f) => f.name === "column.number")).toMatchObject({ type: "integer" });
    expect(summary.fields.find((f) => f.name === "counties[].code")).toMatchObject({ type: "string" });
    expect(reference.schemas.find((s) => s.name === "ProjectList")!.fields.find((f) => f.name === "data")).toMatchObject({ type: "ProjectSummary[]", ref: "ProjectSummary" });
  });

  it("writes types a reader can follow", () => {
    expect(typeLabel({ enum: ["RED", "GREEN"] }).type).toBe('"RED" | "GREEN"');
    expect(typeLabel({ type: ["string", "null"] }).type).toBe("string | null");
    expect(typeLabel({ type: "string", format: "uuid" }).type).toBe("string (uuid)");
    expect(typeLabel({ type: "array", items: { anyOf: [{ $ref: "#/components/schemas/A" }, { type: "null" }] } }).type).toBe("(A | null)[]");
  });

  it("has every operation's summary and description in Chinese and English", () => {
    for (const messages of [zh, en]) {
      const operations = messages.apiReference.operations as Record<string, { summary: string; description: string }>;
      for (const op of reference.operations) {
        expect(operations[op.operationId]?.summary, op.operationId).toBeTruthy();
        expect(operations[op.operationId]?.description, op.operationId).toBeTruthy();
      }
      for (const status of new Set(reference.operations.flatMap((op) => op.responses.map((r) => r.status)))) {
        expect((messages.apiReference.status as Record<string, string>)[status], status).toBeTruthy();
      }
    }
  });

  it("describes every parameter, field and schema in both languages: English is the document's own words, Chinese a translation", () => {
    const described = new Map<string, string>();
    for (const op of reference.operations) for (const p of op.parameters) if (p.description) described.set(p.textKey, p.description);
    for (const schema of reference.schemas) {
      if (schema.description) described.set(schema.textKey, schema.description);
      for (const f of schema.fields) if (f.description) described.set(f.textKey, f.description);
    }
    expect(described.size).toBeGreaterThan(60);
    const at = (tree: unknown, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
    const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;
    for (const [key, english] of described) {
      expect(english, `the document's description of ${key} is English`).not.toMatch(cjk);
      expect(at(en.apiReference.text, key), `en apiReference.text.${key}`).toBe(english);
      expect(at(zh.apiReference.text, key), `zh-CN apiReference.text.${key}`).toMatch(cjk);
    }
    // No translation of a description the document no longer has.
    const leaves = (tree: unknown, prefix = ""): string[] =>
      Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => (typeof v === "object" ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(leaves(zh.apiReference.text).filter((key) => !described.has(key))).toEqual([]);
    expect(descriptionKey({ schema: "ProjectSummary", field: "counties[].code" })).toBe("fields.ProjectSummary.counties_code");
    expect(descriptionKey({ operationId: "listProjects", parameter: "limit" })).toBe("params.listProjects.limit");
  });
});
