import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { listOrganizationsForSelect, listUsers } from "@/lib/data/users";
import { CreateUserForm } from "./user-forms";
import { formatChinaTime } from "@/lib/domain/dates";
import { uiText } from "@/i18n/format";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const actor = await requireRoute("/admin/users");
  const t = await getTranslations();
  const fmt = uiText(t);
  const [users, organizations] = await Promise.all([listUsers(actor), listOrganizationsForSelect(actor)]);
  const now = new Date();
  return (
    <ClientMessages namespaces={["admin.users", "common", "roles", "validation"]}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("admin.users.title")}</h1>
        <Card>
          <CardHeader><CardTitle>{t("admin.users.create")}</CardTitle></CardHeader>
          <CardContent><CreateUserForm organizations={organizations} /></CardContent>
        </Card>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("admin.users.username")}</TableHead>
              <TableHead>{t("admin.users.displayName")}</TableHead>
              <TableHead>{t("admin.users.organization")}</TableHead>
              <TableHead>{t("admin.users.roles")}</TableHead>
              <TableHead>{t("admin.users.status")}</TableHead>
              <TableHead>{t("admin.users.mfa")}</TableHead>
              <TableHead>{t("admin.users.lastLogin")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((u) => (
              <TableRow key={u.id}>
                <TableCell>
                  <Link href={`/admin/users/${u.id}`} className="link">{u.username}</Link>
                  {u.isDemo && <Badge tone="demo" className="ml-2">{t("admin.users.demo")}</Badge>}
                  {u.isSystemAccount && <Badge tone="info" className="ml-2">{t("admin.users.systemAccount")}</Badge>}
                </TableCell>
                <TableCell>{u.displayName}</TableCell>
                <TableCell>{u.organization?.name ?? ""}</TableCell>
                <TableCell>{fmt.list(u.roles.map((r) => t(`roles.${r.role}`)))}</TableCell>
                <TableCell>
                  {u.disabledAt ? <Badge tone="danger">{t("admin.users.disabled")}</Badge>
                    : u.lockedUntil && u.lockedUntil > now ? <Badge tone="warning">{t("admin.users.locked")}</Badge>
                    : <Badge tone="success">{t("admin.users.active")}</Badge>}
                </TableCell>
                <TableCell>{u.totpEnabledAt ? "✓" : ""}</TableCell>
                <TableCell>{formatChinaTime(u.lastLoginAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </ClientMessages>
  );
}
