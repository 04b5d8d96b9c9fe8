import "server-only";
import { recordAudit } from "../audit/repo";
import { env } from "../env";
import { AppError } from "../errors";
import { getEcrAuthorization } from "../integrations/ecr";
import { ecrRegion, type RegistryCredsResponse } from "./schema";
import { requireRegistry } from "./service";
import type { Ctx } from "../context";
import { openCreds } from "./creds";

type CredsResponse = typeof RegistryCredsResponse._output;

function mayReadCiCreds(ctx: Ctx): boolean {
  return ctx.actor.role === "admin" || (ctx.actor.kind === "token" && ctx.actor.scopes.includes("ci"));
}

/** Humanitec's /creds for CI agents: gated by enable_ci; ECR answers with a freshly minted token. */
export async function readCiCreds(ctx: Ctx, id: string): Promise<CredsResponse> {
  const row = await requireRegistry(ctx, id);
  if (!mayReadCiCreds(ctx))
    throw new AppError("FORBIDDEN", "Reading CI credentials needs the admin role or an API token with the ci scope.");
  if (!row.enableCi)
    throw new AppError(
      "FORBIDDEN",
      `CI access is off for registry "${id}"; set enable_ci to true to allow reading its credentials.`,
    );
  const base: CredsResponse = { registry: row.registry };
  let body: CredsResponse = base;
  if (row.type === "secret_ref") body = { ...base, secrets: row.secrets ?? {} };
  else if (row.type === "amazon_ecr") {
    const creds = openCreds(ctx.keyring, row);
    const e = env();
    const auth = await getEcrAuthorization(
      `${ctx.actor.orgId}/${row.id}`,
      {
        accessKeyId: creds?.username ?? "",
        secretAccessKey: creds?.password ?? "",
        roleArn: row.awsRoleArn,
        externalId: row.awsUseExternalId ? (row.orgAws?.externalId ?? null) : null,
        defaultChain: row.orgAws?.defaultChain ?? false,
        region: row.region ?? ecrRegion(row.registry) ?? "",
      },
      {
        endpoint: e.REGCRED_ECR_ENDPOINT ?? e.AWS_ENDPOINT_URL_ECR,
        stsEndpoint: e.AWS_ENDPOINT_URL_STS,
        timeoutMs: e.REGCRED_CHECK_TIMEOUT_MS,
      },
    );
    if (!auth.ok)
      throw new AppError("UPSTREAM_FAILED", `AWS did not issue an ECR token: ${auth.error.message}.`, {
        cause: auth.error,
      });
    const { username, password, expiresAt } = auth.value;
    body = { ...base, username, password, expires: expiresAt.toISOString() };
  } else if (row.type !== "public") {
    const creds = openCreds(ctx.keyring, row);
    body = {
      ...base,
      username: creds?.username,
      password: creds?.password,
      ...(creds?.expires ? { expires: creds.expires } : {}),
    };
  }
  await recordAudit(ctx.db, ctx.actor, "registry.creds.read", id, { type: row.type });
  return body;
}
