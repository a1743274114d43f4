import { describe, expect, it } from "vitest";
import { ACCEPTED_TYPES, contentDisposition, isPreviewable } from "@/lib/domain/attachments";

describe("contentDisposition", () => {
  it("sends the Chinese name as UTF-8 and underscores for clients that ignore filename*", () => {
    expect(contentDisposition("合同.pdf")).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C.pdf`);
  });

  it("uses the ASCII fallback name when one is given", () => {
    expect(contentDisposition("项目库-2025-03-01.xlsx", "projects-2025-03-01.xlsx")).toBe(
      `attachment; filename="projects-2025-03-01.xlsx"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%BA%93-2025-03-01.xlsx`,
    );
  });

  it("never lets a quote or backslash end the quoted name", () => {
    expect(contentDisposition('a"b\\c.txt')).toMatch(/^attachment; filename="a_b_c\.txt"; /);
  });

  it("percent-encodes ' ( ) * in filename*, which RFC 5987 does not allow bare", () => {
    expect(contentDisposition("合同(1)'s*.pdf")).toBe(`attachment; filename="__(1)'s*.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C%281%29%27s%2A.pdf`);
  });
});

describe("evidence previews", () => {
  it("is inline only when asked, with the same name encoding", () => {
    expect(contentDisposition("照片.png", "照片.png", "inline")).toBe(`inline; filename="__.png"; filename*=UTF-8''%E7%85%A7%E7%89%87.png`);
  });

  it("previews images a browser shows and PDFs, never Office files, TIFF or OLE", () => {
    const previewable = Object.values(ACCEPTED_TYPES).filter(isPreviewable).sort();
    expect(previewable).toEqual(["application/pdf", "image/gif", "image/jpeg", "image/png", "image/webp"]);
    expect(isPreviewable("text/html")).toBe(false);
    expect(isPreviewable("image/svg+xml")).toBe(false);
  });
});
