import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusterSync, repositoryChecks } from "@/db/schema";
import type { CredentialIssue } from "@/db/schema/sync";
import { checkKey, type StoredRepositoryCheck } from "./evaluate";

/** The org's repository checks by checkKey (whatever their age: the view shows when each was made). */
export async function readChecksByKey(db: Db, orgId: string): Promise<Map<string, StoredRepositoryCheck>> {
  const rows = await db.select().from(repositoryChecks).where(eq(repositoryChecks.orgId, orgId));
  return new Map(
    rows.map((r) => [
      checkKey(r),
      { outcome: r.outcome, step: r.step, detail: r.detail, checkedAt: r.checkedAt } satisfies StoredRepositoryCheck,
    ]),
  );
}

/** Per cluster of the org: the registries whose credential the controller could not produce at its last pass. */
export async function credentialIssuesByCluster(db: Db, orgId: string): Promise<Map<string, CredentialIssue[]>> {
  const rows = await db
    .select({ clusterId: clusterSync.clusterId, issues: clusterSync.credentialIssues })
    .from(clusterSync)
    .where(and(eq(clusterSync.orgId, orgId)));
  return new Map(rows.map((r) => [r.clusterId, r.issues]));
}
