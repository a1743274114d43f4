import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { checkHealth } from "@/lib/system/health";
import { jobStatuses } from "@/lib/jobs/status";
import { requireRoute } from "@/lib/auth/session";
import { formatChinaTime } from "@/lib/domain/dates";

export const dynamic = "force-dynamic";

/** Message keys cannot hold dots: "audit.checkpoint" → "audit_checkpoint". */
const jobKey = <J extends string>(job: J) => job.replaceAll(".", "_") as J extends `${infer A}.${infer B}.${infer C}` ? `${A}_${B}_${C}` : J extends `${infer A}.${infer B}` ? `${A}_${B}` : J;

export default async function SystemPage() {
  const actor = await requireRoute("/admin/system");
  const t = await getTranslations();
  const health = await checkHealth();
  const jobs = health.database.reachable ? await jobStatuses(actor) : null;
  const outcomeTone = (outcome: string) => (outcome === "ok" ? "success" : outcome === "failed" ? "danger" : "neutral");
  const role = health.role;
  const yesNo = (value: boolean) => (value ? t("common.yes") : t("common.no"));
  const tone = health.status === "ok" ? "success" : health.status === "degraded" ? "warning" : "danger";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("admin.system.title")}</h1>
      <Card aria-labelledby="health-title">
        <CardHeader className="flex items-center justify-between">
          <CardTitle id="health-title">{t("health.title")}</CardTitle>
          <Badge tone={tone}>{t(`health.status_${health.status}`)}</Badge>
        </CardHeader>
        <CardContent>
          {!health.database.reachable && (
            <Alert tone="error" className="mb-4">
              {t("health.database")}: {t("health.unreachable")} — {health.database.error}
            </Alert>
          )}
          <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">{t("health.version")}</dt>
            <dd>{health.version}</dd>
            <dt className="text-slate-500">{t("health.mode")}</dt>
            <dd>{health.mode === "embedded" ? t("health.modeEmbedded") : t("health.modeServer")}</dd>
            <dt className="text-slate-500">{t("health.database")}</dt>
            <dd>{health.database.reachable ? t("health.reachable") : t("health.unreachable")}</dd>
            {health.database.serverVersion && (
              <>
                <dt className="text-slate-500">{t("health.serverVersion")}</dt>
                <dd className="truncate">{health.database.serverVersion.split(" on ")[0]}</dd>
              </>
            )}
            <dt className="text-slate-500">{t("health.migrations")}</dt>
            <dd>
              {t("health.migrationsSummary", { applied: health.migrations.applied, expected: health.migrations.expected })}
              {health.migrations.pending.length > 0 && (
                <span className="ml-2 text-amber-800">{t("health.pending", { names: health.migrations.pending.join(", ") })}</span>
              )}
            </dd>
            <dt className="text-slate-500">{t("health.checkedAt")}</dt>
            <dd>{formatChinaTime(health.checkedAt, { seconds: true })}</dd>
          </dl>
        </CardContent>
      </Card>
      {health.database.reachable && (
        <Card aria-labelledby="role-title">
          <CardHeader>
            <CardTitle id="role-title">{t("health.role")}</CardTitle>
          </CardHeader>
          <CardContent>
            {role?.allowSuperuserOverride && (
              <Alert tone="warning" className="mb-4">
                {t("health.roleOverrideWarning")}
              </Alert>
            )}
            {role ? (
              <dl className="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
                <dt className="text-slate-500">{t("health.roleUser")}</dt>
                <dd className="font-mono">{role.currentUser}</dd>
                <dt className="text-slate-500">{t("health.roleSuperuser")}</dt>
                <dd>{yesNo(role.superuser)}</dd>
                <dt className="text-slate-500">{t("health.roleAppMember")}</dt>
                <dd>{role.memberOfAppRole === null ? t("health.roleAppMissing") : yesNo(role.memberOfAppRole)}</dd>
                <dt className="text-slate-500">{t("health.roleOverride")}</dt>
                <dd>{role.exempt ? t("health.roleExempt") : yesNo(role.allowSuperuserOverride)}</dd>
              </dl>
            ) : (
              <p className="text-sm">{t("health.roleUnknown")}</p>
            )}
          </CardContent>
        </Card>
      )}
      {jobs && (
        <Card aria-labelledby="jobs-title">
          <CardHeader>
            <CardTitle id="jobs-title">{t("jobs.title")}</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <p className="text-sm text-slate-600">{t("jobs.intro")}</p>
            {!jobs.workerInThisProcess && <Alert tone="warning">{t("jobs.workerOff")}</Alert>}
            {jobs.lastVerification && (
              <p className="text-sm">
                {t("jobs.lastVerification", { at: formatChinaTime(jobs.lastVerification.at, { seconds: true }), by: jobs.lastVerification.by ?? "—" })}
                {jobs.lastVerification.result.ok
                  ? t("jobs.verificationOk", { checked: jobs.lastVerification.result.checked, checkpoints: jobs.lastVerification.result.checkpointsChecked })
                  : t("jobs.verificationFailed", { reason: jobs.lastVerification.result.reason ?? "" })}
              </p>
            )}
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("jobs.job")}</TableHead>
                  <TableHead>{t("jobs.schedule")}</TableHead>
                  <TableHead>{t("jobs.lastRun")}</TableHead>
                  <TableHead>{t("jobs.duration")}</TableHead>
                  <TableHead>{t("jobs.outcome")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {jobs.jobs.map((job) => (
                  <TableRow key={job.job}>
                    <TableCell>{t(`jobs.names.${jobKey(job.job)}`, { every: jobs.checkpointEvery })}</TableCell>
                    <TableCell>{t(`jobs.schedules.${jobKey(job.job)}`)}</TableCell>
                    <TableCell>{job.last ? formatChinaTime(job.last.startedAt, { seconds: true }) : t("jobs.never")}</TableCell>
                    <TableCell className="tabular-nums">{job.last?.durationMs != null ? t("jobs.durationMs", { ms: job.last.durationMs }) : "—"}</TableCell>
                    <TableCell>
                      {job.last ? <Badge tone={outcomeTone(job.last.outcome)}>{t(`jobs.outcomes.${job.last.outcome as "ok"}`)}</Badge> : "—"}
                      {job.last?.error && <span className="ml-2 text-xs text-red-800">{job.last.error}</span>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
