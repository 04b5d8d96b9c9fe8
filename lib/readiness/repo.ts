import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusterSync } from "@/db/schema";
import type { CredentialIssue } from "@/db/schema/sync";
import { readRepositoryChecks, type StoredRepositoryCheck } from "./check-repo";
import { repositoryCheckKey } from "./targets";

/** The org's repository checks by their key, whatever their age (the view shows when each was made). */
export async function readChecksByKey(db: Db, orgId: string): Promise<Map<string, StoredRepositoryCheck>> {
  return new Map((await readRepositoryChecks(db, orgId)).map((c) => [repositoryCheckKey(c), c]));
}

/** Per cluster of the org: the registries whose credential the controller could not produce at its last pass. */
export async function credentialIssuesByCluster(db: Db, orgId: string): Promise<Map<string, CredentialIssue[]>> {
  const rows = await db
    .select({ clusterId: clusterSync.clusterId, issues: clusterSync.credentialIssues })
    .from(clusterSync)
    .where(eq(clusterSync.orgId, orgId));
  return new Map(rows.map((r) => [r.clusterId, r.issues]));
}
