// The UI speaks Chinese first and English second, and English is complete: both files hold exactly
// the same keys, each English message takes the same ICU arguments as its Chinese original, and
// i18n/request.ts has no fallback (a missing key fails the render outside production).
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

type Tree = Record<string, unknown>;

function entries(object: Tree, prefix = ""): [string, string][] {
  return Object.entries(object).flatMap(([key, value]) =>
    value && typeof value === "object" ? entries(value as Tree, `${prefix}${key}.`) : [[`${prefix}${key}`, String(value)] as [string, string]],
  );
}

/** The argument names a message uses ({name}, {count, plural, …}, <b>…</b> tags), sorted. */
export function placeholders(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      found.add(element.type === TYPE.tag ? `<${element.value}>` : element.value);
      if (element.type === TYPE.tag) walk(element.children);
      if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(message));
  return [...found].sort();
}

const zhEntries = new Map(entries(zh));
const enEntries = new Map(entries(en));

describe("UI messages", () => {
  it("English and Chinese have exactly the same keys", () => {
    expect([...zhEntries.keys()].filter((key) => !enEntries.has(key))).toEqual([]);
    expect([...enEntries.keys()].filter((key) => !zhEntries.has(key))).toEqual([]);
  });

  it("each English message takes the same arguments as its Chinese original", () => {
    const differing = [...zhEntries]
      .filter(([key, value]) => enEntries.has(key) && placeholders(value).join() !== placeholders(enEntries.get(key)!).join())
      .map(([key, value]) => ({ key, zh: placeholders(value), en: placeholders(enEntries.get(key)!) }));
    expect(differing).toEqual([]);
  });

  it("the placeholder check sees a missing argument", () => {
    expect(placeholders("{count} 个项目，共 {amount}")).toEqual(["amount", "count"]);
    expect(placeholders("{count, plural, one {# project} other {# projects}} <b>{name}</b>")).toEqual(["<b>", "count", "name"]);
  });

  it("no message is empty in either language", () => {
    const empty = [...zhEntries, ...enEntries].filter(([, value]) => value.trim() === "").map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it("English messages contain no Chinese, except the name of the Chinese language itself", () => {
    const chinese = [...enEntries].filter(([key, value]) => key !== "nav.switchTo" && /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u.test(value));
    expect(chinese).toEqual([]);
  });
});
