import type { ReactNode } from "react";
import { Nav } from "@/components/layout/nav";
import { OrgSwitcher } from "@/components/layout/org-switcher";
import { Shell } from "@/components/layout/shell";
import { Button } from "@/components/ui/button";
import { signOutAction } from "@/lib/auth/actions";
import { requireActor } from "@/lib/auth/current";
import { listOrgs } from "@/lib/orgs/service";
import { runtime } from "@/lib/runtime";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const orgs = await listOrgs((await runtime()).database.db, actor);
  return (
    <Shell
      menu={
        <>
          <OrgSwitcher current={actor.orgId} orgs={orgs} />
          <Nav />
          <div className="sidebar-foot">
            <span>
              {actor.label}
              <br />
              org <strong>{actor.orgId}</strong> · {actor.role}
            </span>
            <form action={signOutAction}>
              <Button type="submit" size="sm">
                Sign out
              </Button>
            </form>
          </div>
        </>
      }
    >
      {children}
    </Shell>
  );
}
