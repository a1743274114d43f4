// What the browser must not download with a page (issue 21: first-load JS ≤ 200 KB gzip for the
// sign-in page and the list, ≤ 250 KB for the dashboard; measured by `npm run bench:weight`).
// zod (~30 KB gzip) and decimal.js (~15 KB) are server-side helpers; recharts (~130 KB) loads
// after the dashboard (lazy-charts.tsx). This reads the client modules each page renders.
import { describe, expect, it } from "vitest";
import { clientModules, packagesOf } from "@/tests/helpers/module-graph";

const SERVER_ONLY_PACKAGES = ["zod", "decimal.js"];

describe("client bundles", () => {
  for (const page of ["app/(auth)/login/page.tsx", "app/(app)/projects/page.tsx", "app/(app)/dashboard/page.tsx", "app/layout.tsx", "app/(app)/layout.tsx"]) {
    it(`${page} sends no ${SERVER_ONLY_PACKAGES.join(", ")} and no recharts`, () => {
      const packages = packagesOf(clientModules(page));
      for (const name of [...SERVER_ONLY_PACKAGES, "recharts"]) expect([...packages], name).not.toContain(name);
    });
  }

  it("the analysis sees a package a client module imports (it can fail)", () => {
    expect([...packagesOf(clientModules("app/(app)/dashboard/_components/dashboard-charts.tsx"))]).toContain("recharts");
    expect([...packagesOf(clientModules("app/(app)/import/page.tsx"))]).toContain("decimal.js");
  });
});
