import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

function keys(object: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(object).flatMap(([key, value]) =>
    value && typeof value === "object" ? keys(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("UI messages", () => {
  it("Chinese has every key English has (Chinese is the complete language)", () => {
    const zhKeys = new Set(keys(zh));
    expect(keys(en).filter((key) => !zhKeys.has(key))).toEqual([]);
  });

  it("no Chinese message is empty", () => {
    const empty = keys(zh).filter((key) => {
      const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zh);
      return typeof value !== "string" || value.trim() === "";
    });
    expect(empty).toEqual([]);
  });
});
