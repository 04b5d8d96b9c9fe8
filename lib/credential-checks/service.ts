import "server-only";
import { and, eq } from "drizzle-orm";
import { registries } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { env } from "../env";
import { AppError } from "../errors";
import { configuredEgressPolicy } from "../net/egress-policy";
import { registryMatchesHost } from "../images/matching";
import { registryHostPart } from "../images/registry-key";
import { destinationChanges, rebindErrors } from "../registries/destination";
import { registryDestinationHost, registryHost, testHostProblem } from "../registries/host";
import { findRegistryRow, type RegistryRow } from "../registries/repo";
import { findOrgDetails } from "../orgs/repo";
import { loginUsername } from "../registries/schema";
import { requireRegistry } from "../registries/service";
import type { Ctx } from "../context";
import { openCreds } from "../registries/creds";
import { parseWith, validationError } from "../validation";
import { clientForCluster } from "../clusters/client";
import { listClusterRows } from "../clusters/repo";
import { checkRegistryCredentials } from "./check";
import { checkSecretRef } from "./secret-ref";
import { StoredTestRequest, UnsavedTestRequest } from "./schema";
import type { CheckResult } from "./types";

function checkOptions() {
  const e = env();
  return {
    timeoutMs: e.REGCRED_CHECK_TIMEOUT_MS,
    ecrEndpoint: e.REGCRED_ECR_ENDPOINT ?? e.AWS_ENDPOINT_URL_ECR,
    stsEndpoint: e.AWS_ENDPOINT_URL_STS,
    egress: configuredEgressPolicy(),
  };
}

type CheckedRow = Pick<
  RegistryRow,
  "type" | "registry" | "region" | "caCert" | "id" | "secrets" | "awsRoleArn" | "awsUseExternalId"
>;
type Refusal = { status: "refused"; failedStep: null; refused: string };
type Creds = ReturnType<typeof openCreds>;
/** Whose credentials a check sends: the stored ones, ones in the request body, or none. */
type CredsSource = "stored" | "given" | "none";

async function runCheck(ctx: Ctx, row: CheckedRow, creds: Creds, cacheKey: string): Promise<CheckResult> {
  if (row.type === "secret_ref") {
    const { timeoutMs } = checkOptions();
    const clusters = await listClusterRows(ctx.db, ctx.actor.orgId);
    return checkSecretRef(
      { registry: row.registry, secrets: row.secrets, caCert: row.caCert },
      clusters,
      (c) => clientForCluster(ctx.keyring, c, { timeoutMs }),
      { timeoutMs },
    );
  }
  const org = row.type === "amazon_ecr" ? await findOrgDetails(ctx.db, ctx.actor.orgId) : null;
  const aws = {
    roleArn: row.awsRoleArn,
    externalId: row.awsUseExternalId ? (org?.awsExternalId ?? null) : null,
    defaultChain: org?.awsDefaultChain ?? false,
  };
  return checkRegistryCredentials(
    { type: row.type, registry: row.registry, creds, region: row.region, caCert: row.caCert, cacheKey, aws },
    checkOptions(),
  );
}

/** One audit entry per credential test, refused ones included: where it went and how it ended, never a secret. */
async function auditTest(
  ctx: Ctx,
  target: string,
  row: Pick<CheckedRow, "type" | "registry">,
  saved: boolean,
  credentials: CredsSource,
  outcome: { status: string; failedStep: string | null; refused?: string },
  testHost?: string,
): Promise<void> {
  const tested = testHost && outcome.status !== "refused" ? registryHost(testHost) : null;
  await recordAudit(ctx.db, ctx.actor, "registry.test", target, {
    saved,
    type: row.type,
    registry: row.registry,
    host: tested ?? registryDestinationHost(row.registry),
    ...(testHost ? { testHost } : {}),
    credentials,
    status: outcome.status,
    failedStep: outcome.failedStep,
    ...(outcome.refused ? { refused: outcome.refused } : {}),
  });
}

/** The row a check connects for: with a test host (a registry whose host has a glob), that host and the registry's path. */
function concrete<T extends CheckedRow>(row: T, testHost: string | undefined): T {
  return testHost
    ? { ...row, registry: `${testHost}${row.registry.slice(registryHostPart(row.registry).length)}` }
    : row;
}

function refused(field: string): Refusal {
  return { status: "refused", failedStep: null, refused: field };
}

/** Checks a saved registry's stored credentials and records the outcome as its last check. */
export async function testStoredRegistry(ctx: Ctx, id: string, body: unknown = {}): Promise<CheckResult> {
  authorize(ctx.actor, "manager");
  const row = await requireRegistry(ctx, id);
  const { test_host: testHost } = parseWith(StoredTestRequest, body);
  const credentials: CredsSource = row.credsSealed ? "stored" : "none";
  const problem = testHostProblem(row.registry, testHost);
  if (problem) {
    await auditTest(ctx, id, row, true, credentials, refused("test_host"), testHost);
    throw validationError({ test_host: problem });
  }
  const result = await runCheck(
    ctx,
    concrete(row, testHost),
    openCreds(ctx.keyring, row),
    `${ctx.actor.orgId}/${row.id}`,
  );
  await ctx.db
    .update(registries)
    .set({ lastCheck: { status: result.status, summary: result.summary, checkedAt: result.checkedAt } })
    .where(and(eq(registries.orgId, ctx.actor.orgId), eq(registries.id, id)));
  await auditTest(ctx, id, row, true, credentials, result, testHost);
  return result;
}

/**
 * Checks an unsaved body (the add/edit dialog). Blank credentials fall back to the stored ones of the
 * registry named by `id` only when type, host, region and CA are unchanged; otherwise the body must carry them.
 */
export async function testUnsavedRegistry(ctx: Ctx, body: unknown): Promise<CheckResult> {
  authorize(ctx.actor, "manager");
  const { test_host: testHost, ...input } = parseWith(UnsavedTestRequest, body);
  const stored = input.id ? await findRegistryRow(ctx.db, ctx.actor.orgId, input.id) : null;
  const type = input.type ?? stored?.type;
  const registry = input.registry ?? stored?.registry;
  if (!type || !registry)
    throw new AppError("VALIDATION_FAILED", "Type and registry URL are required to test credentials.", {
      fields: {
        ...(type ? {} : { type: "Type is required" }),
        ...(registry ? {} : { registry: "Registry URL is required" }),
      },
    });
  const secrets = input.secrets ?? stored?.secrets ?? null;
  const row = {
    id: input.id ?? "unsaved",
    type,
    registry,
    region: input.region ?? stored?.region ?? null,
    caCert: input.ca_cert ?? stored?.caCert ?? null,
    secrets,
    awsRoleArn: input.aws_role_arn !== undefined ? input.aws_role_arn : (stored?.awsRoleArn ?? null),
    awsUseExternalId: input.aws_use_external_id ?? stored?.awsUseExternalId ?? false,
  };
  const target = stored ? stored.id : "unsaved";
  const changes = stored ? destinationChanges(stored, row) : [];
  const rebind = stored?.credsSealed && input.creds !== null ? rebindErrors(changes, stored, type, input.creds) : {};
  if (Object.keys(rebind).length > 0) {
    await auditTest(ctx, target, row, false, "given", refused(Object.keys(rebind).join(",")), testHost);
    throw validationError(rebind);
  }
  const reusable = Boolean(stored?.credsSealed && changes.length === 0 && input.creds !== null);
  // Stored credentials go only to a host the stored key matches, whatever the body says.
  const problem =
    testHostProblem(registry, testHost) ??
    (reusable && testHost && !registryMatchesHost(stored!.registry, testHost)
      ? `${testHost} is not matched by the stored registry ${stored!.registry}`
      : null);
  if (problem) {
    const wouldSend: CredsSource = input.creds?.password ? "given" : reusable ? "stored" : "none";
    await auditTest(ctx, target, row, false, wouldSend, refused("test_host"), testHost);
    throw validationError({ test_host: problem });
  }
  const reuse = reusable ? openCreds(ctx.keyring, stored!) : null;
  const merged = {
    username: loginUsername(type, input.creds?.username || reuse?.username),
    password: input.creds?.password || reuse?.password,
  };
  const creds = merged.username || merged.password ? merged : null;
  const source: CredsSource = input.creds?.password ? "given" : reuse?.password ? "stored" : "none";
  // Shares the stored registry's ECR token only when the stored keys and destination are the ones used.
  const cacheKey = reuse ? `${ctx.actor.orgId}/${stored!.id}` : `${ctx.actor.orgId}/unsaved/${target}`;
  const result = await runCheck(ctx, concrete(row, testHost), creds, cacheKey);
  await auditTest(ctx, target, row, false, source, result, testHost);
  return result;
}
