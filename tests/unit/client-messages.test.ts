// A page sends the browser only the messages its client components translate (issue 21,
// docs/decisions/0036-client-messages.md). This reads the code: for every page, the client modules
// it renders (following imports through server modules) and the message paths they use; the
// page's <ClientMessages namespaces={[…]}> must cover them (or the page would show message keys)
// and must send nothing they do not use (or the catalogue creeps back). The root layout's
// ROOT_CLIENT_MESSAGES must cover the client modules of layouts and error boundaries.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pickMessages, ROOT_CLIENT_MESSAGES } from "@/i18n/client-messages";
import zh from "@/messages/zh-CN.json";
import { clientModules, isServerActions, source, walk } from "@/tests/helpers/module-graph";

function inCatalogue(key: string): boolean {
  let node: unknown = zh;
  for (const part of key.split(".")) node = node !== null && typeof node === "object" && Object.hasOwn(node, part) ? (node as Record<string, unknown>)[part] : undefined;
  return node !== undefined;
}

/**
 * The message paths a module translates with useTranslations: "projects.views.save" for a literal
 * key, "enums.TrafficLight" for a template key, the namespace for a key in a variable. A key the
 * code cannot show (a root translator given a variable: message keys sent by a server action) must
 * be named in a `// Client messages: a, b.c` line; without one the module is reported. For the
 * module of a form's server actions, the message keys it answers with.
 */
export function translatedPaths(file: string): { paths: string[]; unreadable: string[] } {
  const text = source(file);
  // A server action's module: the message keys it answers with, which its form translates.
  if (isServerActions(file)) return { paths: [...text.matchAll(/"([a-zA-Z]+\.[\w.]+)"/g)].map((m) => m[1]!).filter(inCatalogue), unreadable: [] };
  const annotated = /^\/\/ Client messages: ([\w.]+(?:, [\w.]+)*)$/m.exec(text)?.[1]?.split(", ") ?? [];
  const declarations = [...text.matchAll(/\b(\w+)\s*=\s*useTranslations\(\s*(?:"([^"]*)")?\s*\)/g)].map((m) => ({ at: m.index, name: m[1]!, ns: m[2] ?? "" }));
  const paths = new Set<string>(annotated);
  const unreadable: string[] = [];
  const join = (ns: string, key: string) => (ns && key ? `${ns}.${key}` : ns || key);
  for (const name of new Set(declarations.map((d) => d.name))) {
    for (const call of text.matchAll(new RegExp(`(?<![\\w.])${name}(?:\\.rich|\\.markup|\\.raw|\\.has)?\\(\\s*([^)\\s][^,)]*)`, "g"))) {
      const ns = declarations.filter((d) => d.name === name && d.at < call.index).at(-1)?.ns;
      if (ns === undefined) continue;
      const argument = call[1]!;
      const literal = /^"([^"]*)"/.exec(argument)?.[1];
      const template = /^`([^`$]*)/.exec(argument)?.[1];
      if (literal !== undefined) paths.add(join(ns, literal));
      else if (template !== undefined) paths.add(join(ns, template.replace(/\.?[^.]*$/, "")));
      else if (argument === name) continue; // passed on (uiText(t)): below
      else if (ns) paths.add(ns);
      else if (!annotated.length) unreadable.push(`${file}: ${call[0]}`);
    }
    if (new RegExp(`(uiText|uiSeparators)\\(${name}\\)`).test(text)) paths.add("common");
  }
  return { paths: [...paths].filter(Boolean), unreadable };
}

const covers = (provided: string, required: string) => required === provided || required.startsWith(`${provided}.`);
const related = (provided: string, required: string) => covers(provided, required) || provided.startsWith(`${required}.`);

function providedBy(file: string): string[] {
  const match = /<ClientMessages\s+namespaces=\{\[([^\]]*)\]\}/.exec(source(file));
  return match ? [...match[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
}

function check(label: string, modules: Set<string>, provided: readonly string[]): string[] {
  const problems: string[] = [];
  const required = [...modules].flatMap((m) => {
    const { paths, unreadable } = translatedPaths(m);
    problems.push(...unreadable.map((u) => `${label}: a key the test cannot read (add a "// Client messages:" comment): ${u}`));
    return paths;
  });
  for (const r of new Set(required)) if (!provided.some((p) => covers(p, r))) problems.push(`${label}: "${r}" is not sent to the client`);
  for (const p of provided) if (!required.some((r) => related(p, r))) problems.push(`${label}: "${p}" is sent but no client component uses it`);
  return problems;
}

const appFiles = walk("app");
const pages = appFiles.filter((f) => path.basename(f) === "page.tsx");

describe("client messages", () => {
  it("every page sends exactly the message paths its client components translate", () => {
    const problems = pages.flatMap((page) => check(page, clientModules(page), providedBy(page)));
    expect(problems).toEqual([]);
  });

  it("the root layout sends what the layouts and error boundaries translate, and no more", () => {
    const shells = appFiles.filter((f) => /^(layout|error|not-found|forbidden|unauthorized|global-error|loading)\.tsx$/.test(path.basename(f)));
    const modules = new Set(shells.flatMap((f) => [...clientModules(f)]));
    expect(check("root layout", modules, ROOT_CLIENT_MESSAGES)).toEqual([]);
    expect(source("app/layout.tsx")).toContain("ROOT_CLIENT_MESSAGES");
  });

  it("the analysis sees what a client component uses (it can fail)", () => {
    const { paths } = translatedPaths("app/(app)/projects/_components/saved-views.tsx");
    expect(paths).toEqual(expect.arrayContaining(["projects.views.save", "projects.views.title"]));
    expect(check("x", new Set(["app/(auth)/login/login-form.tsx"]), ["validation"])).toContain('x: "login.submit" is not sent to the client');
    expect(check("x", new Set(["app/(auth)/login/login-form.tsx"]), ["login", "validation", "apiReference"])).toContain(
      'x: "apiReference" is sent but no client component uses it',
    );
  });

  it("the list page's catalogue leaves out what only the server renders", () => {
    const sent = pickMessages(zh, providedBy("app/(app)/projects/page.tsx"));
    for (const ns of ["apiReference", "audit", "evaluation", "dashboard", "lightReasons", "returns", "import"]) expect(sent).not.toHaveProperty(ns);
    expect(JSON.stringify(sent).length).toBeLessThan(JSON.stringify(zh).length / 4);
  });

  it("pickMessages copies the paths asked for and refuses one the catalogue lacks", () => {
    expect(pickMessages({ a: { b: "1", c: "2" }, d: "3" }, ["a.b", "d"])).toEqual({ a: { b: "1" }, d: "3" });
    expect(() => pickMessages({ a: {} }, ["a.x"])).toThrow(/a\.x/);
  });
});
