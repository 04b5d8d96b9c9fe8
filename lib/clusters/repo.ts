import "server-only";
import { and, asc, eq, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusters } from "@/db/schema";
import type { ClusterResponse } from "./schema";
import { describeScope, IGNORE_LABEL, type NamespaceScope } from "./scope";

export type ClusterRow = typeof clusters.$inferSelect;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function scopeOf(row: Pick<ClusterRow, "namespaceSelector" | "excludeNamespaces">): NamespaceScope {
  return { namespaceSelector: row.namespaceSelector, excludeNamespaces: row.excludeNamespaces };
}

export function toResponse(row: ClusterRow): ClusterResponse {
  const scope = scopeOf(row);
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    server: row.server,
    context: row.contextName,
    auth_kind: row.authKind,
    insecure_skip_tls_verify: row.insecureSkipTlsVerify,
    default_namespace: row.defaultNamespace,
    scope: { namespace_selector: row.namespaceSelector, exclude_namespaces: row.excludeNamespaces, ignore_label: `${IGNORE_LABEL}=true`, description: describeScope(scope) },
    last_test: row.lastTest
      ? { status: row.lastTest.status, version: row.lastTest.version, summary: row.lastTest.summary, missing: row.lastTest.missing, tested_at: row.lastTest.testedAt }
      : null,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
  };
}

export async function listClusterRows(db: Db, orgId: string): Promise<ClusterRow[]> {
  return db.select().from(clusters).where(eq(clusters.orgId, orgId)).orderBy(asc(clusters.name));
}

/** Finds a cluster by id, or by name (the key secret_ref maps use). */
export async function findClusterRow(db: Db, orgId: string, idOrName: string): Promise<ClusterRow | null> {
  const match = uuidPattern.test(idOrName) ? or(eq(clusters.id, idOrName), eq(clusters.name, idOrName)) : eq(clusters.name, idOrName);
  const rows = await db.select().from(clusters).where(and(eq(clusters.orgId, orgId), match)).limit(2);
  return rows.find((r) => r.id === idOrName) ?? rows[0] ?? null;
}

export async function findClusterByName(db: Db, orgId: string, name: string): Promise<ClusterRow | null> {
  const [row] = await db.select().from(clusters).where(and(eq(clusters.orgId, orgId), eq(clusters.name, name))).limit(1);
  return row ?? null;
}
