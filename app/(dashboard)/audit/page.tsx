import type { Metadata } from "next";
import { QueryProvider } from "@/components/query-provider";
import { AuditScreen } from "@/components/audit/audit-screen";
import { type AuditFilters, noAuditFilters } from "@/lib/audit/filters";
import { requireActor } from "@/lib/auth/current";
import { roleAtLeast } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Audit log" };

function filtersOf(search: Record<string, string | string[] | undefined>): AuditFilters {
  const pick = (name: keyof AuditFilters) => (typeof search[name] === "string" ? search[name] : "");
  return {
    ...noAuditFilters,
    action: pick("action"),
    actor: pick("actor"),
    target: pick("target"),
    since: pick("since"),
    until: pick("until"),
  };
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  if (!roleAtLeast(actor.role, "admin")) {
    return (
      <div className="stack">
        <header className="page-head">
          <div>
            <h1>Audit log</h1>
          </div>
        </header>
        <section className="card" aria-labelledby="audit-admin-only">
          <h2 id="audit-admin-only">The audit log needs the admin role</h2>
          <p className="muted" style={{ margin: 0 }}>
            You are signed in as <strong>{actor.role}</strong>. Ask an admin of {actor.orgId} for what you need to know.
          </p>
        </section>
      </div>
    );
  }
  return (
    <QueryProvider>
      <AuditScreen orgId={actor.orgId} initialFilters={filtersOf(await searchParams)} />
    </QueryProvider>
  );
}
