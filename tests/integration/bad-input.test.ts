// Bad input through the real data functions on a seeded database (issue 14): the defects the
// probe found (numeric overflow, implausible dates, NUL in file names, another user's import
// batch) and property-based fuzzing of the write actions. Properties: nothing escapes as an
// exception the action would turn into a 500, and when the answer is an error nothing was written
// (every write is audited in the same transaction, so the audit chain may gain nothing but the
// audited refusal itself).
import { fc } from "@fast-check/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { ActionContext } from "@/lib/action";
import type { CurrentUser } from "@/lib/auth/session";
import type { FormState } from "@/lib/validations/form";
import { userActor } from "@/tests/helpers/actors";
import { nastyString } from "@/tests/helpers/input-fuzz";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let performAction: typeof import("@/lib/action").performAction;
let form: typeof import("@/lib/validations/form");
let owner: CurrentUser;
let leader: CurrentUser;
let reviewer: CurrentUser;
let project: { id: string; version: number };
/** Errors an action maps to a form message itself (besides those performAction maps). */
let knownErrors: (new (...args: never[]) => Error)[];

const RUNS = Number(process.env.FUZZ_DB_RUNS ?? 500);
const PNG = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));

async function auditHead(): Promise<bigint> {
  return (await prisma.auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
}

function formData(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.append(k, v);
  return data;
}

/** Runs one action input as the real action would, and checks the two properties. */
async function actOnce<S extends z.ZodType>(
  schema: S,
  input: unknown,
  user: CurrentUser,
  work: (data: z.infer<S>, context: ActionContext) => Promise<FormState | void>,
): Promise<FormState> {
  const before = await auditHead();
  let state: FormState;
  try {
    state = await performAction(schema, input, { user, ip: "127.0.0.1" }, work);
  } catch (error) {
    // Only the errors the action itself maps to a message may leave performAction.
    if (!knownErrors.some((k) => error instanceof k)) throw error;
    state = { status: "error", formError: (error as Error).name };
  }
  if (state.status === "error") {
    // Nothing of the request was written. A refusal for lack of access is itself audited
    // (auth.permission.denied), in its own transaction; that is the only event allowed.
    const written = await prisma.auditEvent.findMany({ where: { seq: { gt: before } }, select: { action: true } });
    expect(written.filter((e) => e.action !== "auth.permission.denied")).toEqual([]);
  }
  return state;
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  ({ performAction } = await import("@/lib/action"));
  form = await import("@/lib/validations/form");
  const { StaleEditError } = await import("@/lib/data/project-registry");
  const { StaleReturnError, ReturnStateError } = await import("@/lib/returns/commands");
  knownErrors = [StaleEditError, StaleReturnError, ReturnStateError];
  owner = await userActor("owner.editor");
  leader = await userActor("leader");
  reviewer = await userActor("reviewer");
  const [row] = await prisma.$queryRaw<{ id: string; version: number }[]>`
    SELECT p.id, p.version FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
     WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION' AND p."reviewDivisionCode" = '520382'
     ORDER BY p."planKey" LIMIT 1`;
  project = row!;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function registryForm(over: Record<string, string>) {
  const current = await prisma.project.findUniqueOrThrow({ where: { id: project.id } });
  return form.formDataObject(formData({
    projectId: project.id, version: String(current.version), projectCode: "", projectType: "", nature: "", lifecycleStage: "CONSTRUCTION",
    plannedStart: "2024-03-01", plannedCompletion: "2027-06-30", totalInvestment: "50000", plannedInvestment: "30000", ...over,
  }));
}

describe("the defects the probe found answer with the field named, and write nothing", () => {
  it("an amount of 1e30 or 1e20 names the field and the largest amount allowed", async () => {
    const { updateProjectRegistry } = await import("@/lib/data/project-registry");
    const { projectRegistryInput } = await import("@/lib/validations/project");
    const state = await actOnce(projectRegistryInput, await registryForm({ totalInvestment: "1" + "0".repeat(30), plannedInvestment: "1" + "0".repeat(20) }), owner, (d, c) => updateProjectRegistry(c.user, d, c.ip).then(() => undefined));
    expect(state).toMatchObject({ status: "error", fieldErrors: { totalInvestment: ["validation.moneyTooLarge"], plannedInvestment: ["validation.moneyTooLarge"] } });

    const { saveReturn } = await import("@/lib/returns/commands");
    const { returnFormInput } = await import("@/lib/returns/schema");
    const input = form.nestFormData(formData({ projectId: project.id, period: "2026-10", version: "0", intent: "save", completedInvestment: "1" + "0".repeat(20) }));
    const saved = await actOnce(returnFormInput, input, owner, (d, c) => saveReturn(c.user, d, [], c.ip, new Date("2026-11-15T00:00:00Z")).then(() => undefined));
    expect(saved).toMatchObject({ status: "error", fieldErrors: { completedInvestment: ["validation.moneyTooLarge"] } });
  });

  it.each(["0001-01-01", "1800-01-01", "9999-12-31"])("a planned date of %s is refused with the range", async (date) => {
    const { updateProjectRegistry } = await import("@/lib/data/project-registry");
    const { projectRegistryInput } = await import("@/lib/validations/project");
    const field = date.startsWith("9") ? "plannedCompletion" : "plannedStart";
    const state = await actOnce(projectRegistryInput, await registryForm({ [field]: date }), owner, (d, c) => updateProjectRegistry(c.user, d, c.ip).then(() => undefined));
    expect(state).toMatchObject({ status: "error", fieldErrors: { [field]: ["validation.dateRange"] } });
  });

  it("version=2147483648 is a field error, not a database overflow", async () => {
    const { reviewReturn } = await import("@/lib/returns/commands");
    const { reviewInput } = await import("@/lib/returns/schema");
    const state = await actOnce(reviewInput, { returnId: project.id, version: "2147483648", decision: "approve", reason: "" }, reviewer, (d, c) => reviewReturn(c.user, d, c.ip).then(() => undefined));
    expect(state).toMatchObject({ status: "error", fieldErrors: { version: ["validation.invalid"] } });
  });

  it("a NUL byte in an evidence or import file name is stored as a safe name", async () => {
    const { saveReturn } = await import("@/lib/returns/commands");
    const { returnFormInput } = await import("@/lib/returns/schema");
    // A month this project may still write: no return yet, a draft or one sent back.
    const [open] = await prisma.$queryRaw<{ period: string; version: number }[]>`
      SELECT to_char(m, 'YYYY-MM') AS period, coalesce(r.version, 0) AS version
        FROM generate_series(date '2026-10-01', date '2021-01-01', interval '-1 month') m
        LEFT JOIN "MonthlyReturn" r ON r."projectId" = ${project.id}::uuid AND r.period = m::date
       WHERE r.id IS NULL OR r.status IN ('DRAFT', 'RETURNED') LIMIT 1`;
    const input = form.nestFormData(formData({ projectId: project.id, period: open!.period, version: String(open!.version), intent: "save", completedInvestment: "1", fundsNote: "x", progressNote: "x", overrunNote: "x" }));
    const state = await actOnce(returnFormInput, input, owner, (d, c) => saveReturn(c.user, d, [{ name: "现场\u0000照片\ud800.png", bytes: PNG }], c.ip, new Date("2026-11-15T00:00:00Z")).then(() => undefined));
    if (state.status === "error") throw new Error(JSON.stringify(state));
    const stored = await prisma.attachment.findFirstOrThrow({ where: { projectId: project.id }, orderBy: { createdAt: "desc" } });
    expect(stored.fileName).toBe("现场_照片\ufffd.png");

    const { previewImport } = await import("@/lib/imports/batches");
    const result = await previewImport(owner, { name: "登记\u0000表.csv", bytes: new TextEncoder().encode("项目名称,所在区县\n x,仁怀市\n") });
    expect(result.ok ? result.preview.fileName : result.problem).toBe("登记_表.csv");
  });

  it("a return for a project that does not exist is refused, and only the refusal is audited", async () => {
    const { saveReturn } = await import("@/lib/returns/commands");
    const { returnFormInput } = await import("@/lib/returns/schema");
    const before = await auditHead();
    const input = form.nestFormData(formData({ projectId: "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10", period: "2026-08", version: "0", intent: "save", completedInvestment: "1" }));
    const state = await actOnce(returnFormInput, input, owner, (d, c) => saveReturn(c.user, d, [], c.ip, new Date("2026-11-15T00:00:00Z")).then(() => undefined));
    expect(state.status).toBe("error");
    const written = await prisma.auditEvent.findMany({ where: { seq: { gt: before } }, select: { action: true } });
    expect(written.map((e) => e.action).filter((a) => a !== "auth.permission.denied")).toEqual([]);
  });

  it("discarding another user's import batch answers as if it did not exist and leaves it alone", async () => {
    const { previewImport, discardImport } = await import("@/lib/imports/batches");
    const { NotFoundError } = await import("@/lib/auth/permissions");
    const [own] = await prisma.$queryRaw<{ name: string; county: string }[]>`
      SELECT p.name, d.name AS county FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
        JOIN "ProjectLocation" l ON l."projectId" = p.id JOIN "AdminDivision" d ON d.code = l."divisionCode"
       WHERE o.name = '仁怀市人民政府' AND p."reviewDivisionCode" = '520382' ORDER BY p."planKey" LIMIT 1`;
    const csv = `项目名称,所在区县,总投资（万元）\n${own!.name},${own!.county},9999999\n`;
    const result = await previewImport(owner, { name: "登记.csv", bytes: new TextEncoder().encode(csv) });
    if (!result.ok || !result.preview.batchId) throw new Error(JSON.stringify(result.ok ? result.preview.errors : result.problem));
    const batchId = result.preview.batchId;
    await expect(discardImport(reviewer, batchId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(discardImport(owner, "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10")).rejects.toBeInstanceOf(NotFoundError);
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("PREVIEWED");
    await discardImport(owner, batchId);
    await discardImport(owner, batchId); // twice is fine
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("DISCARDED");
  });
});

/** A valid form with one to three fields replaced by hostile values (or hostile names added). */
function perturbed(base: Record<string, string>, extraNames: string[] = []): fc.Arbitrary<Record<string, string>> {
  const names = [...Object.keys(base), ...extraNames, "__proto__", "constructor.prototype.polluted", "funds.__proto__.polluted"];
  return fc.array(fc.tuple(fc.constantFrom(...names), nastyString()), { minLength: 1, maxLength: 3 }).map((pairs) => {
    const values = { ...base };
    for (const [k, v] of pairs) Object.defineProperty(values, k, { value: v, enumerable: true, writable: true, configurable: true });
    return values;
  });
}

describe("fuzzing the write actions against the database", () => {
  it("the registry edit", async () => {
    const { updateProjectRegistry } = await import("@/lib/data/project-registry");
    const { projectRegistryInput } = await import("@/lib/validations/project");
    const current = await prisma.project.findUniqueOrThrow({ where: { id: project.id } });
    const base = {
      projectId: project.id, version: "CURRENT", projectCode: "", projectType: "NEW_BUILD", nature: "", lifecycleStage: "CONSTRUCTION",
      plannedStart: "2024-03-01", plannedCompletion: "2027-06-30", totalInvestment: "50000", plannedInvestment: current.plannedInvestment?.toString() ?? "",
    };
    await fc.assert(
      fc.asyncProperty(perturbed(base), async (values) => {
        const version = (await prisma.project.findUniqueOrThrow({ where: { id: project.id } })).version;
        const input = form.formDataObject(formData({ ...values, version: values.version === "CURRENT" ? String(version) : values.version! }));
        await actOnce(projectRegistryInput, input, owner, (d, c) => updateProjectRegistry(c.user, d, c.ip).then(() => undefined));
      }),
      { numRuns: RUNS },
    );
  });

  it("the monthly return", async () => {
    const { saveReturn } = await import("@/lib/returns/commands");
    const { returnFormInput } = await import("@/lib/returns/schema");
    const base = {
      projectId: project.id, period: "2026-08", version: "CURRENT", intent: "save", completedInvestment: "12.5", payments: "10", progressPercent: "50",
      progressText: "主体施工", overrunNote: "x", fundsNote: "x", progressNote: "x", "milestones.START": "2024-03-01",
      "problems.0.category": "LAND", "problems.0.level": "COUNTY", "problems.0.description": "征地",
    };
    await fc.assert(
      fc.asyncProperty(perturbed(base, ["funds.CENTRAL", "milestones.ACCEPTANCE", "problems.5.level", "resolveProblems"]), async (values) => {
        const existing = await prisma.monthlyReturn.findFirst({ where: { projectId: project.id, period: new Date("2026-08-01T00:00:00Z") } });
        const version = values.version === "CURRENT" ? String(existing?.version ?? 0) : values.version!;
        const input = form.nestFormData(formData({ ...values, version }), ["resolveProblems"]);
        await actOnce(returnFormInput, input, owner, (d, c) => saveReturn(c.user, d, [], c.ip, new Date("2026-11-15T00:00:00Z")).then(() => undefined));
      }),
      { numRuns: RUNS },
    );
  });

  it("督办: sending a notice", async () => {
    const { sendNotice } = await import("@/lib/notices/commands");
    const { sendNoticeInput } = await import("@/lib/notices/schema");
    await fc.assert(
      fc.asyncProperty(perturbed({ projectId: project.id, subject: "请说明进度滞后原因", deadline: "2099-12-31" }), async (values) => {
        await actOnce(sendNoticeInput, form.formDataObject(formData(values)), leader, (d, c) => sendNotice(c.user, d, c.ip).then(() => undefined));
      }),
      { numRuns: RUNS },
    );
  });

  it("saved views of the project table", async () => {
    const { saveView } = await import("@/lib/data/table-views");
    const { saveViewInput } = await import("@/lib/validations/table-view");
    await fc.assert(
      fc.asyncProperty(perturbed({ name: "我的视图", query: "county=520382&sort=plannedInvestment.desc", shared: "on" }), async (values) => {
        await actOnce(saveViewInput, form.formDataObject(formData(values)), owner, (d, c) => saveView(c.user, { name: d.name, query: d.query, shared: d.shared === "on" }, c.ip).then(() => undefined));
      }),
      { numRuns: RUNS },
    );
  });

  it("Object.prototype is unchanged after all of it", () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
  });
});
