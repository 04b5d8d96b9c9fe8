import "server-only";
import type { Db } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { parseWith, validationError } from "../validation";
import { openCreds, sealCreds, type StoredCreds } from "./creds";
import {
  deleteRegistryRow,
  findClash,
  findRegistryRow,
  insertRegistryRow,
  listRegistriesJson as listRegistriesJsonRows,
  listRegistryViews as listRegistryViewRows,
  type RegistryRow,
  toResponse,
  updateRegistryRow,
} from "./repo";
import { findOrgDetails } from "../orgs/repo";
import { destinationChanges, identityRebindErrors, rebindErrors } from "./destination";
import { checkRegistryRules } from "./rules";
import { notifyRegistryChange } from "../sync/notify";
import { loginUsername, RegistryPatch, RegistryRequestShape, type RegistryResponse, type RegistryType } from "./schema";

async function assertNoClash(db: Db, orgId: string, id: string | null, registry: string): Promise<void> {
  const clash = await findClash(db, orgId, id, registry);
  if (!clash) return;
  if (id && clash.id === id)
    throw new AppError("CONFLICT", `A registry with id "${id}" already exists in this org.`, {
      fields: { id: `A registry with ID "${id}" already exists: choose another ID` },
    });
  throw new AppError("CONFLICT", `Registry "${clash.id}" already uses the URL "${registry}".`, {
    fields: { registry: `Registry "${clash.id}" already uses this URL` },
  });
}

/** The org's registries as the JSON text the REST list endpoint sends. */
export async function listRegistriesJson(ctx: Ctx): Promise<string> {
  authorize(ctx.actor, "viewer");
  return listRegistriesJsonRows(ctx.db, ctx.actor.orgId);
}

export async function listRegistries(ctx: Ctx): Promise<RegistryResponse[]> {
  return JSON.parse(await listRegistriesJson(ctx)) as RegistryResponse[];
}

export async function listRegistryViews(ctx: Ctx) {
  authorize(ctx.actor, "viewer");
  return listRegistryViewRows(ctx.db, ctx.actor.orgId);
}

export async function requireRegistry(ctx: Ctx, id: string): Promise<RegistryRow> {
  const row = await findRegistryRow(ctx.db, ctx.actor.orgId, id);
  if (!row) throw new AppError("NOT_FOUND", `Registry "${id}" was not found.`);
  return row;
}

export async function getRegistry(ctx: Ctx, id: string): Promise<RegistryResponse> {
  authorize(ctx.actor, "viewer");
  return toResponse(await requireRegistry(ctx, id));
}

/** Whether the actor's org may use the server's AWS identity for keyless ECR registries. */
async function orgDefaultChain(ctx: Ctx): Promise<boolean> {
  return (await findOrgDetails(ctx.db, ctx.actor.orgId))?.awsDefaultChain ?? false;
}

export async function createRegistry(ctx: Ctx, body: unknown): Promise<RegistryResponse> {
  authorize(ctx.actor, "manager");
  const input = parseWith(RegistryRequestShape, body);
  const username = loginUsername(input.type, input.creds?.username);
  const creds = input.creds ? { ...input.creds, ...(username ? { username } : {}) } : null;
  const ecr = input.type === "amazon_ecr";
  const errors = checkRegistryRules({
    ...input,
    creds,
    awsRoleArn: input.aws_role_arn,
    awsUseExternalId: input.aws_use_external_id,
    awsDefaultChain: ecr && !creds?.username && !creds?.password ? await orgDefaultChain(ctx) : false,
  });
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const { orgId } = ctx.actor;
  await assertNoClash(ctx.db, orgId, input.id, input.registry);
  try {
    return await ctx.db
      .transaction(async (tx) => {
        const row = await insertRegistryRow(tx, {
          orgId,
          id: input.id,
          registry: input.registry,
          type: input.type,
          enableCi: input.enable_ci ?? false,
          secrets: input.type === "secret_ref" ? (input.secrets ?? null) : null,
          credsSealed: sealCreds(ctx.keyring, orgId, input.id, creds),
          region: input.region ?? null,
          caCert: input.ca_cert ?? null,
          awsRoleArn: ecr ? (input.aws_role_arn ?? null) : null,
          awsUseExternalId: ecr ? (input.aws_use_external_id ?? false) : false,
          createdBy: ctx.actor.label,
        });
        await recordAudit(tx, ctx.actor, "registry.create", input.id, {
          type: input.type,
          registry: input.registry,
          ...(ecr ? ecrAuditDetails(row.awsRoleArn, row.awsUseExternalId, creds) : {}),
        });
        return toResponse(row);
      })
      .then(
        async (created) => (await notifyRegistryChange(ctx.db, orgId, input.id, "created", ctx.actor.label), created),
      );
  } catch (err) {
    if (isUniqueViolation(err)) await assertNoClash(ctx.db, orgId, input.id, input.registry);
    throw err;
  }
}

/** Merges a full or partial body into the stored registry; omitted credentials keep their stored values. */
export async function updateRegistry(ctx: Ctx, id: string, body: unknown): Promise<RegistryResponse> {
  authorize(ctx.actor, "manager");
  const patch = parseWith(RegistryPatch, body);
  if (patch.id !== undefined && patch.id !== id) {
    throw new AppError(
      "VALIDATION_FAILED",
      `ID "${patch.id}" does not match the registry in the path ("${id}"): IDs cannot change.`,
      { fields: { id: `ID cannot change: it must stay "${id}"` } },
    );
  }
  const row = await requireRegistry(ctx, id);
  const type = patch.type ?? row.type;
  const registry = patch.registry ?? row.registry;
  const region = type === "amazon_ecr" ? (patch.region ?? row.region) : (patch.region ?? null);
  const caCert = patch.ca_cert ?? row.caCert;
  const ecr = type === "amazon_ecr";
  const awsRoleArn = ecr && patch.aws_role_arn === undefined ? row.awsRoleArn : (patch.aws_role_arn ?? null);
  const awsUseExternalId = patch.aws_use_external_id ?? (ecr ? row.awsUseExternalId : false);
  // Stored credentials stay bound to where they were saved for: a new destination (or role) needs new ones.
  const changes = destinationChanges(row, { type, registry, region, caCert, awsRoleArn, awsUseExternalId });
  const stored = changes.length === 0 && patch.creds !== null ? openCreds(ctx.keyring, row) : null;
  const creds = patch.creds === null ? null : mergeCreds(stored, patch.creds, type);
  const secrets = type === "secret_ref" ? (patch.secrets ?? row.secrets) : (patch.secrets ?? null);
  // Stored keys that stay (or must be typed again for a new destination) keep the registry off the server's identity.
  const keysKept = Boolean(row.credsSealed) && patch.creds !== null;
  const keyless = ecr && !keysKept && !creds?.username && !creds?.password;
  const rebind =
    row.credsSealed && patch.creds !== null
      ? rebindErrors(changes, row, type, patch.creds)
      : keyless
        ? identityRebindErrors(changes, row, patch.aws_confirm_identity === true)
        : {};
  const errors = {
    ...checkRegistryRules({
      type,
      registry,
      creds,
      secrets,
      region,
      awsRoleArn,
      awsUseExternalId,
      awsDefaultChain: keyless ? await orgDefaultChain(ctx) : false,
      keysKept,
    }),
    ...rebind,
  };
  if (Object.keys(errors).length > 0) throw validationError(errors);
  if (registry !== row.registry) await assertNoClash(ctx.db, ctx.actor.orgId, null, registry);
  return ctx.db
    .transaction(async (tx) => {
      const updated = await updateRegistryRow(tx, ctx.actor.orgId, id, {
        registry,
        type,
        enableCi: patch.enable_ci ?? row.enableCi,
        secrets: type === "secret_ref" ? secrets : null,
        credsSealed: sealCreds(ctx.keyring, ctx.actor.orgId, id, creds),
        region,
        caCert,
        awsRoleArn: ecr ? awsRoleArn : null,
        awsUseExternalId: ecr ? awsUseExternalId : false,
        lastCheck: patch.creds !== undefined || patch.registry || changes.length > 0 ? null : row.lastCheck,
        updatedAt: new Date(),
      });
      const changed = Object.keys(patch)
        .filter((k) => k !== "id" && k !== "aws_confirm_identity")
        .sort()
        .join(",");
      await recordAudit(tx, ctx.actor, "registry.update", id, {
        fields: changed,
        credentialsChanged: patch.creds !== undefined,
        destinationChanged: changes.join(",") || null,
        ...(changes.includes("aws_role_arn") ? { roleArnFrom: row.awsRoleArn, roleArnTo: awsRoleArn } : {}),
        ...(changes.includes("aws_use_external_id")
          ? { externalIdFrom: row.awsUseExternalId, externalIdTo: awsUseExternalId }
          : {}),
        ...(ecr ? { keyless, ...(patch.aws_confirm_identity ? { identityConfirmed: true } : {}) } : {}),
      });
      return toResponse(updated);
    })
    .then(
      async (saved) => (await notifyRegistryChange(ctx.db, ctx.actor.orgId, id, "updated", ctx.actor.label), saved),
    );
}

/** What an ECR registry mints as, for the audit log: the role and the source, never a key. */
function ecrAuditDetails(roleArn: string | null, useExternalId: boolean, creds: StoredCreds | null) {
  return { roleArn, useExternalId, keyless: !creds?.username && !creds?.password };
}

function mergeCreds(
  stored: StoredCreds | null,
  given: StoredCreds | undefined,
  type: RegistryType,
): StoredCreds | null {
  if (type === "public" || type === "secret_ref") return given && (given.username || given.password) ? given : null;
  const merged: StoredCreds = { ...(stored ?? {}) };
  if (given?.username) merged.username = given.username;
  if (given?.password) merged.password = given.password;
  if (given?.expires !== undefined) merged.expires = given.expires;
  const username = loginUsername(type, merged.username);
  if (username) merged.username = username;
  return merged.username || merged.password ? merged : null;
}

export async function deleteRegistry(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, "manager");
  await requireRegistry(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await deleteRegistryRow(tx, ctx.actor.orgId, id);
    await recordAudit(tx, ctx.actor, "registry.delete", id);
  });
  await notifyRegistryChange(ctx.db, ctx.actor.orgId, id, "deleted", ctx.actor.label);
}
