import { describe, expect, it } from "vitest";
import { isValidProjectCode, parseProjectCode } from "@/lib/domain/project-code";

describe("项目代码", () => {
  it("accepts the 24-character national platform format", () => {
    expect(parseProjectCode("2021-520302-47-01-123456")).toEqual({
      year: 2021, regionCode: "520302", department: "47", type: "01", serial: "12345", check: "6",
    });
    expect(isValidProjectCode("2022-520382-48-02-00001X")).toBe(true);
  });

  it("rejects wrong lengths, separators and years", () => {
    for (const code of ["2021520302470112345", "2021-520302-47-01-12345", "2021/520302/47/01/123456", "1999-520302-47-01-123456", ""]) {
      expect(isValidProjectCode(code), code).toBe(false);
    }
  });
});
