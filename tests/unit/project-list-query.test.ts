import { describe, expect, it } from "vitest";
import { parseProjectListParams } from "@/lib/validations/project-list";

describe("project list URL whitelist", () => {
  it("parses a full view from the URL", () => {
    const result = parseProjectListParams(new URLSearchParams("page=2&perPage=20&sort=plannedInvestment.desc&q=变电站&column=15,16&county=520382,XP&stage=CONSTRUCTION&budget=has&cols=name,plannedInvestment"));
    expect(result).toEqual({
      ok: true,
      query: {
        page: 2, perPage: 20, sort: { id: "plannedInvestment", direction: "desc" }, q: "变电站",
        column: [15, 16], county: ["520382", "XP"], stage: ["CONSTRUCTION"], budget: "has", cols: ["name", "plannedInvestment"],
      },
    });
  });

  it("defaults page and page size", () => {
    expect(parseProjectListParams({})).toEqual({ ok: true, query: { page: 1, perPage: 50 } });
  });

  it("rejects an unknown sort id, naming the field", () => {
    expect(parseProjectListParams({ sort: "passwordHash.asc" })).toEqual({ ok: false, problems: [{ field: "sort", message: "validation.unknownSort" }] });
    expect(parseProjectListParams({ sort: "name;drop table" })).toMatchObject({ ok: false, problems: [{ field: "sort" }] });
  });

  it("rejects unknown parameters and filter values instead of passing them on", () => {
    expect(parseProjectListParams({ ownerOrgId: "x" })).toEqual({ ok: false, problems: [{ field: "ownerOrgId", message: "validation.unknownParameter" }] });
    expect(parseProjectListParams({ stage: "DELETED" })).toMatchObject({ ok: false, problems: [{ field: "stage.0" }] });
    expect(parseProjectListParams({ county: "520382' OR 1=1" })).toMatchObject({ ok: false });
    expect(parseProjectListParams({ owner: "not-a-uuid" })).toMatchObject({ ok: false });
  });

  it("caps the page size", () => {
    expect(parseProjectListParams({ perPage: "100" })).toMatchObject({ ok: true });
    expect(parseProjectListParams({ perPage: "101" })).toMatchObject({ ok: false, problems: [{ field: "perPage" }] });
  });
});
