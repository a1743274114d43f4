// Demo accounts, one per role, created with the demo overlay (README lists them). Real
// installations run with SEED_DEMO=0 and create their first administrator on /setup.
import type { PrismaClient } from "../../lib/generated/prisma/client";
import type { Role } from "../../lib/generated/prisma/enums";
import { hashPassword } from "../../lib/auth/password";
import { AUDIT_OFFICE, LEADERSHIP_OFFICE } from "../data/reference";

export const DEMO_PASSWORD = "Zunyi-demo-2026";

export const DEMO_USERS: { username: string; displayName: string; role: Role; organization: string }[] = [
  { username: "owner.editor", displayName: "演示·仁怀市项目填报员", role: "OWNER_EDITOR", organization: "仁怀市人民政府" },
  { username: "owner.viewer", displayName: "演示·仁怀市项目查看员", role: "OWNER_VIEWER", organization: "仁怀市人民政府" },
  { username: "reviewer", displayName: "演示·仁怀市发改局审核员", role: "COUNTY_REVIEWER", organization: "仁怀市发展和改革局" },
  { username: "city.reviewer", displayName: "演示·市发改委审核员", role: "COUNTY_REVIEWER", organization: "遵义市发展和改革委员会" },
  { username: "leader", displayName: "演示·领导小组办公室", role: "LEADERSHIP", organization: LEADERSHIP_OFFICE },
  { username: "auditor", displayName: "演示·审计员", role: "AUDITOR", organization: AUDIT_OFFICE },
  { username: "sysadmin", displayName: "演示·系统管理员", role: "SYSTEM_ADMIN", organization: "遵义市大数据发展管理局" },
  { username: "secadmin", displayName: "演示·安全管理员", role: "SECURITY_ADMIN", organization: "遵义市大数据发展管理局" },
  { username: "auditadmin", displayName: "演示·审计管理员", role: "AUDIT_ADMIN", organization: "遵义市大数据发展管理局" },
];

export async function seedDemoUsers(prisma: PrismaClient): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  for (const demo of DEMO_USERS) {
    const organization = await prisma.organization.findUniqueOrThrow({ where: { name: demo.organization } });
    const existing = await prisma.user.findUnique({ where: { username: demo.username } });
    if (existing) continue;
    await prisma.user.create({
      data: {
        username: demo.username,
        displayName: demo.displayName,
        organizationId: organization.id,
        passwordHash,
        isDemo: true,
        roles: { create: [{ role: demo.role }] },
      },
    });
    created += 1;
  }
  return created;
}
