import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { formatChinaTime } from "@/lib/domain/dates";
import { requireRoute } from "@/lib/auth/session";
import { listNotifications } from "@/lib/notifications/inbox";
import { markAllReadAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function NotificationsPage() {
  const user = await requireRoute("/notifications");
  const t = await getTranslations();
  const items = await listNotifications(user);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{t("notifications.title")}</h1>
        <form action={markAllReadAction}><Button type="submit" variant="outline" size="sm">{t("notifications.markAllRead")}</Button></form>
      </div>
      <p className="text-sm text-slate-600">{t("notifications.shared", { org: user.organizationName ?? "" })}</p>
      <Card>
        <CardContent className="pt-6">
          {items.length === 0 ? <p className="text-sm text-slate-500">{t("notifications.none")}</p> : (
            <ul className="divide-y divide-slate-100">
              {items.map((n) => {
                const params = n.params as Record<string, string>;
                return (
                  <li key={n.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                    {!n.readAt && <Badge tone="info">{t("notifications.unread")}</Badge>}
                    <span className="text-slate-500 tabular-nums">{formatChinaTime(n.createdAt)}</span>
                    <Link className="link" href={n.link}>
                      {(t as unknown as (key: string, values: Record<string, string>) => string)(`notifications.kind.${n.kind}`, { project: params.project ?? "", period: n.period ?? "", reason: params.reason ?? "", note: params.note ?? "", decision: params.decision ? t(`notifications.decision.${params.decision}` as never) : "", dueDate: params.dueDate ?? "", weeks: params.weeks ?? "", job: params.job ?? "", error: params.error ?? "" })}
                    </Link>
                  </li>
                );
              })}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
