// The audit-event renderers (components/audit): what a reader sees is read through the action's
// schema, the same "field: from → to" line everywhere, and raw JSON for an event no schema accepts.
import { createTranslator } from "next-intl";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AuditEventChanges, auditEventSummary } from "@/components/audit/audit-details";
import { FieldChangeList, FieldChangeTableRows } from "@/components/audit/field-change-list";
import { uiText, type Translate } from "@/i18n/format";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

const ID = "6f1c2f0e-3b7a-4c55-9d6e-2a8f1e0b9c11";
const SHA = "ab".repeat(32);
const labels: Record<string, string> = { completedInvestment: "累计完成投资", payments: "支付" };
const label = (field: string) => labels[field] ?? field;
const zhFmt = uiText(createTranslator({ locale: "zh-CN", messages: zh }) as unknown as Translate);
const enFmt = uiText(createTranslator({ locale: "en", messages: en }) as unknown as Translate);
const html = (element: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(element);

const returned = {
  action: "return.return",
  details: {
    projectId: ID, period: "2026-10", fromStatus: "SUBMITTED", toStatus: "RETURNED", reason: "附件不全", submittedById: ID, approverId: null,
    completedInvestment: "120.00", milestonesApplied: {},
  },
};
const submitted = {
  action: "return.submit",
  details: {
    projectId: ID, period: "2026-10", fromStatus: "DRAFT", toStatus: "SUBMITTED", fromVersion: 1,
    changes: { completedInvestment: { from: "100.00", to: "120.00" }, payments: { from: null, to: "5.00" } },
    evidence: [{ attachmentId: ID, sha256: SHA, fileName: "照片.jpg" }, { attachmentId: ID, sha256: SHA, fileName: "批复.pdf" }],
    problemsAdded: 0, problemsResolved: [],
  },
};

describe("FieldChangeList", () => {
  it("writes each change as label：from → to, a dash for nothing, then the notes, with each language's separators", () => {
    const changes = [{ field: "payments", from: null, to: "5.00" }, { field: "other", from: "a", to: null }];
    expect(html(createElement(FieldChangeList, { changes, label, fmt: zhFmt, notes: ["理由：x"] }))).toBe("支付：— → 5.00；other：a → —；理由：x");
    expect(html(createElement(FieldChangeList, { changes, label: (f) => f, fmt: enFmt }))).toBe("payments: — → 5.00; other: a → —");
  });

  it("as table rows: one row per field with when and who", () => {
    const out = html(createElement("table", null, createElement("tbody", null, createElement(FieldChangeTableRows, { rowKey: "1", at: "2026-12-05 10:00", by: "owner.editor", changes: [{ field: "payments", from: "1", to: "2" }], label }))));
    expect(out).toContain("<td");
    expect(out.match(/<tr/g)).toHaveLength(1);
    expect(out).toMatch(/2026-12-05 10:00.*owner\.editor.*支付.*>1<.*>2</);
  });
});

describe("AuditEventChanges (a return's history line)", () => {
  it("renders a submission's figures and evidence from its schema", () => {
    expect(html(createElement(AuditEventChanges, { event: submitted, label, fmt: zhFmt, reasonLabel: "理由：", evidenceLabel: "附件" })))
      .toBe("累计完成投资：100.00 → 120.00；支付：— → 5.00；附件：照片.jpg、批复.pdf");
    expect(html(createElement(AuditEventChanges, { event: submitted, label: (f) => f, fmt: enFmt, reasonLabel: "Reason: ", evidenceLabel: "Evidence" })))
      .toBe("completedInvestment: 100.00 → 120.00; payments: — → 5.00; Evidence: 照片.jpg, 批复.pdf");
  });

  it("renders a return's reason", () => {
    expect(html(createElement(AuditEventChanges, { event: returned, label, fmt: zhFmt, reasonLabel: "退回理由：", evidenceLabel: "附件" }))).toBe("退回理由：附件不全");
  });

  it("shows nothing it would have to guess: details that do not fit the schema are not read", () => {
    const broken = { action: "return.submit", details: { changes: { payments: { from: "1", to: "2" } } } };
    expect(auditEventSummary(broken)).toEqual({ changes: [], reason: null, evidence: [], parsed: false });
    expect(html(createElement(AuditEventChanges, { event: broken, label, fmt: zhFmt, reasonLabel: "r", evidenceLabel: "e" }))).toBe("");
  });
});
