import { writeFileSync } from "node:fs";
import { Jar, request, signIn } from "./scripts/cluster/http";
import { DEMO_PASSWORD } from "./prisma/seed/demo-users";
(async () => {
  const base = "http://127.0.0.1:3100";
  const [user, ...paths] = process.argv.slice(2);
  const jar = new Jar();
  const s = await signIn(base, jar, user!, DEMO_PASSWORD);
  if (!s.ok) throw new Error("sign-in failed");
  for (const p of paths) {
    const hit = await request(base, p, jar);
    const name = `/tmp/page-${user}-${p.replace(/[^a-z0-9]/gi, "_")}.html`;
    writeFileSync(name, hit.body);
    console.log(p, hit.status, hit.body.length, name);
  }
})();
