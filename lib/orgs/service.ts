import "server-only";
import type { Db } from "@/db/client";
import { recordAudit } from "../audit/repo";
import type { Actor } from "../auth/actor";
import { AppError } from "../errors";
import { addMember } from "../users/repo";
import { parseWith } from "../validation";
import * as repo from "./repo";
import { authorize } from "../auth/authenticate";
import { CreateOrgInput, type OrgDetails, OrgPatch, type OrgSummary, type OrgView } from "./schema";

export async function isInstanceAdmin(db: Db, userId: string | null): Promise<boolean> {
  if (!userId) return false;
  return repo.isInstanceAdminUser(db, userId);
}

async function requireInstanceAdmin(db: Db, caller: Actor): Promise<void> {
  if (caller.kind !== "user" || !(await isInstanceAdmin(db, caller.userId))) {
    throw new AppError("FORBIDDEN", "Only an instance admin can do this; API tokens belong to one org and cannot.");
  }
}

/** The orgs the caller can see: a token its own org, a user every org they have accepted a membership in. */
export async function listOrgs(db: Db, caller: Actor): Promise<OrgView[]> {
  if (caller.kind === "token") {
    const org = await repo.findOrg(db, caller.orgId);
    return org ? [{ id: org.id, name: org.name, role: caller.role }] : [];
  }
  return repo.listAcceptedOrgs(db, caller.userId!);
}

/** Creates an org (instance admins only); its creator becomes its first admin. */
export async function createOrg(db: Db, caller: Actor, body: unknown): Promise<OrgView> {
  await requireInstanceAdmin(db, caller);
  const input = parseWith(CreateOrgInput, body);
  return db.transaction(async (tx) => {
    const created = await repo.insertOrg(tx, { id: input.id, name: input.name });
    if (!created)
      throw new AppError("CONFLICT", `An org with id "${input.id}" already exists.`, {
        fields: { id: `An org with ID "${input.id}" already exists: choose another ID` },
      });
    await addMember(tx, input.id, caller.userId!, "admin");
    await recordAudit(tx, { ...caller, orgId: input.id }, "org.create", input.id, { name: input.name });
    return { id: created.id, name: created.name, role: "admin" as const };
  });
}

/** Every org with its member and signed-up admin counts, for the instance admin's Orgs panel. */
export async function listAllOrgs(db: Db, caller: Actor): Promise<OrgSummary[]> {
  await requireInstanceAdmin(db, caller);
  return repo.listOrgSummaries(db);
}

/** The org of the path with its external ID and default-chain setting: any member (a viewer too) may read it. */
export async function getOrgDetails(db: Db, caller: Actor): Promise<OrgDetails> {
  authorize(caller, "viewer");
  const org = await repo.findOrgDetails(db, caller.orgId);
  if (!org) throw new AppError("NOT_FOUND", `Organization "${caller.orgId}" was not found.`);
  return { id: org.id, name: org.name, aws_external_id: org.awsExternalId, aws_default_chain: org.awsDefaultChain };
}

/** Instance admins only: whether an org's ECR registries may use this server's own AWS identity. Audited. */
export async function setOrgAwsDefaultChain(db: Db, caller: Actor, orgId: string, body: unknown): Promise<OrgDetails> {
  await requireInstanceAdmin(db, caller);
  const input = parseWith(OrgPatch, body);
  await db.transaction(async (tx) => {
    const changed = await repo.setOrgDefaultChain(tx, orgId, input.aws_default_chain);
    if (!changed) throw new AppError("NOT_FOUND", `Organization "${orgId}" was not found.`);
    const label = caller.label.endsWith(" (instance admin)") ? caller.label : `${caller.label} (instance admin)`;
    await recordAudit(tx, { ...caller, orgId, label }, "org.aws_default_chain", orgId, {
      from: changed.before,
      to: input.aws_default_chain,
    });
  });
  const org = (await repo.findOrgDetails(db, orgId))!;
  return { id: org.id, name: org.name, aws_external_id: org.awsExternalId, aws_default_chain: org.awsDefaultChain };
}
