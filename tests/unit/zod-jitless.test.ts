// instrumentation-client.ts sets zod's jitless option without importing zod (docs/decisions/0036):
// it relies on zod 4 reading its configuration from globalThis.__zod_globalConfig. If a zod
// upgrade moves it, this fails, and the browser would report CSP violations again.
import { describe, expect, it } from "vitest";

describe("zod jitless in the browser", () => {
  it("zod reads the configuration instrumentation-client.ts writes", async () => {
    await import("@/instrumentation-client");
    const { z } = await import("zod");
    expect(z.config().jitless).toBe(true);
    expect(z.config()).toBe((globalThis as { __zod_globalConfig?: unknown }).__zod_globalConfig);
  });
});
