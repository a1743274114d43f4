// A 项目调整申请's evidence files (批复, 会议纪要; docs/decisions/0030) on the project page and in the
// city reviewer's queue on /returns: each a download, images and PDFs also a preview in a new tab
// (the attachment route serves those inline only; nosniff).
import { getTranslations } from "next-intl/server";
import { isPreviewable } from "@/lib/domain/attachments";

export interface EvidenceFile {
  id: string;
  fileName: string;
  mimeType: string;
  sha256: string;
}

export async function BaselineEvidenceList({ files }: { files: readonly EvidenceFile[] }) {
  const t = await getTranslations();
  if (files.length === 0) return <p className="text-xs text-slate-500">{t("baseline.evidenceNone")}</p>;
  return (
    <ul className="space-y-0.5" aria-label={t("baseline.evidence")} data-testid="baseline-evidence">
      {files.map((f) => (
        <li key={f.id}>
          <a className="link" href={`/api/attachments/${f.id}`}>{f.fileName}</a>
          {isPreviewable(f.mimeType) && (
            <a className="ml-2 text-xs link" href={`/api/attachments/${f.id}?disposition=inline`} target="_blank" rel="noopener noreferrer" aria-label={t("returns.previewOf", { name: f.fileName })}>
              {t("returns.previewAttachment")}
            </a>
          )}
          <code className="ml-2 text-xs text-slate-500" title={f.sha256}>{f.sha256.slice(0, 10)}…</code>
        </li>
      ))}
    </ul>
  );
}
