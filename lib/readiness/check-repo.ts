import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type RepositoryOutcome, repositoryChecks } from "@/db/schema/registries";

/** One cached repository check of an org: which registry's credentials, which repository and reference, what it found. */
export type StoredRepositoryCheck = {
  registryId: string;
  repository: string;
  reference: string;
  outcome: RepositoryOutcome;
  step: string;
  detail: string;
  checkedAt: Date;
  freshUntil: Date;
};

/** Every repository check of the org (rows of deleted registries are gone with them). */
export async function readRepositoryChecks(db: Db, orgId: string): Promise<StoredRepositoryCheck[]> {
  const c = repositoryChecks;
  return db
    .select({
      registryId: c.registryId,
      repository: c.repository,
      reference: c.reference,
      outcome: c.outcome,
      step: c.step,
      detail: c.detail,
      checkedAt: c.checkedAt,
      freshUntil: c.freshUntil,
    })
    .from(c)
    .where(eq(c.orgId, orgId));
}

/** Stores a check, replacing the previous one of the same registry, repository and reference. */
export async function upsertRepositoryCheck(db: Db, orgId: string, check: StoredRepositoryCheck): Promise<void> {
  const { outcome, step, detail, checkedAt, freshUntil } = check;
  await db
    .insert(repositoryChecks)
    .values({ orgId, ...check })
    .onConflictDoUpdate({
      target: [
        repositoryChecks.orgId,
        repositoryChecks.registryId,
        repositoryChecks.repository,
        repositoryChecks.reference,
      ],
      set: { outcome, step, detail, checkedAt, freshUntil },
    });
}
