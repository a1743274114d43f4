import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { listOrganizations } from "@/lib/data/organizations";
import { listDivisions } from "@/lib/data/projects";
import { OrganizationForm } from "./organization-form";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function OrganizationsPage({ searchParams }: { searchParams: Promise<{ edit?: string }> }) {
  const actor = await requireRoute("/admin/organizations");
  const t = await getTranslations("admin.organizations");
  const { edit } = await searchParams;
  const [organizations, divisions] = await Promise.all([listOrganizations(actor), listDivisions()]);
  const editing = organizations.find((o) => o.id === edit);
  return (
    <ClientMessages namespaces={["admin.organizations", "admin.users.saved", "common", "validation"]}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <Card>
          <CardHeader><CardTitle>{editing ? editing.name : t("create")}</CardTitle></CardHeader>
          <CardContent>
            <OrganizationForm
              organizations={organizations.map((o) => ({ id: o.id, name: o.name }))}
              divisions={divisions}
              value={editing ? { id: editing.id, version: editing.version, name: editing.name, kind: editing.kind, parentId: editing.parentId, divisionCode: editing.divisionCode, notifyEmail: editing.notifyEmail } : undefined}
            />
          </CardContent>
        </Card>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("name")}</TableHead>
              <TableHead>{t("kind")}</TableHead>
              <TableHead>{t("parent")}</TableHead>
              <TableHead>{t("division")}</TableHead>
              <TableHead>{t("notifyEmail")}</TableHead>
              <TableHead className="text-right">{t("users")}</TableHead>
              <TableHead className="text-right">{t("projects")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {organizations.map((o) => (
              <TableRow key={o.id}>
                <TableCell><Link href={`/admin/organizations?edit=${o.id}`} className="link">{o.name}</Link></TableCell>
                <TableCell>{t(`kinds.${o.kind}`)}</TableCell>
                <TableCell>{o.parent?.name ?? ""}</TableCell>
                <TableCell>{o.division?.name ?? ""}</TableCell>
                <TableCell className="break-all">{o.notifyEmail ?? ""}</TableCell>
                <TableCell numeric>{o._count.users}</TableCell>
                <TableCell numeric>{o._count.ownedProjects}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </ClientMessages>
  );
}
