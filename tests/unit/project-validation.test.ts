import { describe, expect, it } from "vitest";
import { projectRegistryInput } from "@/lib/validations/project";

const base = {
  projectId: "3f1c6d2e-0000-4000-8000-000000000001",
  version: "3",
  projectCode: "",
  projectType: "",
  nature: "PUBLIC_WELFARE",
  lifecycleStage: "CONSTRUCTION",
  plannedStart: "2022-03-01",
  plannedCompletion: "2025-12-31",
  totalInvestment: "1.2亿",
  plannedInvestment: "8,000",
};

function errors(input: Record<string, string>) {
  const parsed = projectRegistryInput.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("project registry form", () => {
  it("accepts amounts as users write them and stores 万元", () => {
    const parsed = projectRegistryInput.parse(base);
    expect(parsed).toMatchObject({ totalInvestment: "12000", plannedInvestment: "8000", projectCode: null, projectType: null, version: 3 });
  });

  it("names the field for each mistake", () => {
    expect(errors({ ...base, totalInvestment: "-5" })).toEqual({ totalInvestment: "validation.negative" });
    expect(errors({ ...base, plannedInvestment: "很多" })).toEqual({ plannedInvestment: "validation.money" });
    expect(errors({ ...base, projectCode: "2021-52-1" })).toEqual({ projectCode: "validation.projectCode" });
    expect(errors({ ...base, plannedCompletion: "2021-01-01" })).toEqual({ plannedCompletion: "validation.completionBeforeStart" });
    expect(errors({ ...base, plannedInvestment: "2亿" })).toEqual({ plannedInvestment: "validation.plannedAboveTotal" });
  });

  it("refuses unknown fields", () => {
    expect(projectRegistryInput.safeParse({ ...base, ownerOrgId: "x" }).success).toBe(false);
  });
});
