// Every time a user reads is Beijing time, written by formatChinaTime/formatChinaDay
// (lib/domain/dates.ts): pages rendered with fixed data show no "UTC", and no page formats a
// timestamp another way.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { formatChinaDay, formatChinaTime } from "@/lib/domain/dates";

// 06:44 UTC on 29 November is 14:44 in Beijing; 20:30 UTC on 30 November is already 1 December there.
const SENT = new Date("2026-11-29T06:44:00Z");
const LATE_EVENING_UTC = new Date("2026-11-30T20:30:15Z");

const t = Object.assign((key: string, values?: Record<string, unknown>) => (values ? `${key}${JSON.stringify(values)}` : key), {
  rich: (key: string) => key,
  has: () => true,
});
const user = { id: "u1", username: "clerk", displayName: "Clerk", organizationId: "org-1", organizationName: "Unit", roles: [], permissions: new Set<string>(), mfaPending: false, mustChangePassword: false };

vi.mock("next-intl/server", () => ({ getTranslations: async () => t, getLocale: async () => "zh-CN" }));
vi.mock("next/link", () => ({ default: ({ href, children }: { href: string; children: unknown }) => createElement("a", { href }, children as never) }));
vi.mock("@/lib/auth/session", () => ({ requireRoute: async () => user }));
// The pages send their client messages through an async server component renderToStaticMarkup cannot run.
vi.mock("@/i18n/client-messages", () => ({ ClientMessages: ({ children }: { children: unknown }) => children }));
vi.mock("@/lib/env", () => ({ env: { IMPORT_MAX_MB: 10, IMPORT_MAX_ROWS: 5000 } }));
vi.mock("@/app/(app)/notices/actions", () => ({ closeNoticeAction: vi.fn(), answerNoticeAction: vi.fn() }));
vi.mock("@/app/(app)/notices/_components/notice-forms", () => ({ AnswerNoticeForm: () => null, CloseNoticeForm: () => null }));
vi.mock("@/app/(app)/import/_components/import-workbench", () => ({ ImportWorkbench: () => null }));
vi.mock("@/lib/notices/queries", () => ({
  noticeCounty: async () => null,
  noticeCounts: async () => ({ OPEN: 0, ANSWERED: 0, CLOSED: 1, overdue: 0 }),
  listNotices: async () => [
    {
      id: "n1", status: "CLOSED", overdue: false, daysLeft: 0, version: 3, subject: "s", deadline: new Date("2026-12-10T00:00:00Z"),
      project: { id: "p1", name: "P" }, ownerOrg: { id: "org-2", name: "Owner" }, lightAtSending: null,
      sentBy: { displayName: "Leader" }, sentAt: SENT,
      answer: "a", answeredBy: { displayName: "Clerk" }, answeredAt: LATE_EVENING_UTC,
      closedBy: { displayName: "Leader" }, closedAt: LATE_EVENING_UTC, closingNote: null,
    },
  ],
}));
vi.mock("@/lib/imports/batches", () => ({
  listMyImports: async () => [{ id: "i1", kind: "REGISTRY", fileName: "a.xlsx", importedAt: SENT, summary: { create: 1 }, sha256: "0123456789abcdef" }],
}));

async function render(page: (props: { searchParams: Promise<Record<string, string>> }) => Promise<unknown>): Promise<string> {
  return renderToStaticMarkup((await page({ searchParams: Promise.resolve({}) })) as never);
}

describe("times shown to users", () => {
  it("formats instants in Beijing time, the day included", () => {
    expect(formatChinaTime(SENT)).toBe("2026-11-29 14:44");
    expect(formatChinaTime(LATE_EVENING_UTC, { seconds: true })).toBe("2026-12-01 04:30:15");
    expect(formatChinaTime(LATE_EVENING_UTC.toISOString())).toBe("2026-12-01 04:30");
    expect(formatChinaDay(LATE_EVENING_UTC)).toBe("2026-12-01");
    expect(formatChinaTime(null)).toBe("");
  });

  it("/notices shows when a notice was sent, answered and closed in Beijing time, never UTC", async () => {
    const { default: NoticesPage } = await import("@/app/(app)/notices/page");
    const html = await render(NoticesPage);
    expect(html).toContain("2026-11-29 14:44");
    expect(html).toContain("2026-12-01 04:30");
    expect(html).not.toMatch(/UTC|GMT|\d{2}:\d{2}:\d{2}Z/);
  });

  it("the import history shows when each file was imported in Beijing time", async () => {
    const { default: ImportPage } = await import("@/app/(app)/import/page");
    const html = await render(ImportPage);
    expect(html).toContain("2026-11-29 14:44");
    expect(html).not.toContain("06:44");
    expect(html).not.toMatch(/UTC|GMT/);
  });

  it("no page or component formats a timestamp any other way", () => {
    // Route handlers (app/api) write machine-readable ISO instants for other programs; pages do not.
    const files = [...walk("app"), ...walk("components")].filter((f) => /\.tsx?$/.test(f) && !f.startsWith(`app${path.sep}api${path.sep}`));
    const offences: string[] = [];
    for (const file of files) {
      readFileSync(file, "utf8").split("\n").forEach((line, i) => {
        if (/toISOString\(|toLocaleDateString\(|toLocaleTimeString\(|format\.dateTime\(|\bUTC\b(?!\()|(Date\([^)]*\)|[aA]t|Date)\??\.toLocaleString\(/.test(line.replace(/Date\.UTC\(/g, ""))) {
          offences.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offences).toEqual([]);
  });

  it("download file names are dated by the day in Beijing, not the UTC day (wrong from 00:00 to 08:00)", () => {
    const offences = walk(path.join("app", "api"))
      .filter((f) => f.endsWith(".ts"))
      .flatMap((file) => readFileSync(file, "utf8").split("\n").flatMap((line, i) => (/new Date\(\)\.toISOString\(\)\.slice\(0, 10\)/.test(line) ? [`${file}:${i + 1}`] : [])));
    expect(offences).toEqual([]);
    expect(formatChinaDay(new Date("2026-11-30T20:30:00Z"))).toBe("2026-12-01");
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
