import Link from "next/link";
import type { ReactNode } from "react";
import { Nav } from "@/components/layout/nav";
import { OrgSwitcher } from "@/components/layout/org-switcher";
import { signOutAction } from "@/lib/auth/actions";
import { requireActor } from "@/lib/auth/current";
import { listOrgs } from "@/lib/orgs/service";
import { runtime } from "@/lib/runtime";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const orgs = await listOrgs((await runtime()).database.db, actor);
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/registries" className="brand">
          <span
            aria-hidden="true"
            className="type-icon"
            style={{ background: "var(--accent)", color: "var(--accent-contrast)" }}
          >
            rc
          </span>
          Regcred
        </Link>
        <OrgSwitcher current={actor.orgId} orgs={orgs} />
        <Nav />
        <div className="sidebar-foot">
          <span>
            {actor.label}
            <br />
            org <strong>{actor.orgId}</strong> · {actor.role}
          </span>
          <form action={signOutAction}>
            <button type="submit" className="btn btn-sm">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="main" id="main">
        {children}
      </main>
    </div>
  );
}
