import Link from "next/link";
import type { ReactNode } from "react";
import { Nav } from "@/components/layout/nav";
import { signOutAction } from "@/lib/auth/actions";
import { requireActor } from "@/lib/auth/current";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/registries" className="brand">
          <span aria-hidden="true" className="type-icon" style={{ background: "var(--accent)", color: "var(--accent-contrast)" }}>rc</span>
          Regcred
        </Link>
        <Nav />
        <div className="sidebar-foot">
          <span>
            {actor.label}
            <br />
            org <strong>{actor.orgId}</strong> · {actor.role}
          </span>
          <form action={signOutAction}>
            <button type="submit" className="btn btn-sm">Sign out</button>
          </form>
        </div>
      </aside>
      <main className="main" id="main">{children}</main>
    </div>
  );
}
