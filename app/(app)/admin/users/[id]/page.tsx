import Link from "@/components/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireRoute } from "@/lib/auth/session";
import { listOrganizationsForSelect, listUsers } from "@/lib/data/users";
import { DisableToggle, EditUserForm, ResetPasswordForm } from "../user-forms";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function EditUserPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireRoute("/admin/users/[id]");
  const { id } = await params;
  const t = await getTranslations("admin.users");
  const [users, organizations] = await Promise.all([listUsers(actor), listOrganizationsForSelect(actor)]);
  const user = users.find((u) => u.id === id);
  if (!user) notFound();
  return (
    <ClientMessages namespaces={["admin.users", "common", "roles", "validation"]}>
      <div className="space-y-6">
        <Link href="/admin/users" className="text-sm link">← {t("title")}</Link>
        <h1 className="text-2xl font-semibold">{user.username}</h1>
        <Card>
          <CardHeader><CardTitle>{t("edit")}</CardTitle></CardHeader>
          <CardContent>
            <EditUserForm
              organizations={organizations}
              user={{ id: user.id, version: user.version, displayName: user.displayName, organizationId: user.organization?.id ?? null, roles: user.roles.map((r) => r.role) }}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("resetPassword")}</CardTitle></CardHeader>
          <CardContent><ResetPasswordForm userId={user.id} /></CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("status")}</CardTitle></CardHeader>
          <CardContent><DisableToggle userId={user.id} disabled={!!user.disabledAt} /></CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
