import "server-only";
import { and, eq } from "drizzle-orm";
import { registries } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { env } from "../env";
import { AppError } from "../errors";
import { findRegistryRow, type RegistryRow } from "../registries/repo";
import { RegistryPatch } from "../registries/schema";
import { type Ctx, openCreds, requireRegistry } from "../registries/service";
import { parseWith } from "../validation";
import { clientForCluster } from "../clusters/connection";
import { listClusterRows } from "../clusters/repo";
import { checkRegistryCredentials } from "./check";
import { checkSecretRef } from "./secret-ref";
import type { CheckResult } from "./types";

function checkOptions() {
  const e = env();
  return { timeoutMs: e.REGCRED_CHECK_TIMEOUT_MS, ecrEndpoint: e.REGCRED_ECR_ENDPOINT ?? e.AWS_ENDPOINT_URL_ECR };
}

type CheckedRow = Pick<RegistryRow, "type" | "registry" | "region" | "caCert" | "id" | "secrets">;

async function runCheck(ctx: Ctx, row: CheckedRow, creds: ReturnType<typeof openCreds>): Promise<CheckResult> {
  if (row.type === "secret_ref") {
    const { timeoutMs } = checkOptions();
    const clusters = await listClusterRows(ctx.db, ctx.actor.orgId);
    return checkSecretRef({ registry: row.registry, secrets: row.secrets, caCert: row.caCert }, clusters, (c) => clientForCluster(ctx.keyring, c, { timeoutMs }), { timeoutMs });
  }
  return checkRegistryCredentials(
    { type: row.type, registry: row.registry, creds, region: row.region, caCert: row.caCert, cacheKey: `${ctx.actor.orgId}/${row.id}` },
    checkOptions(),
  );
}

/** Checks a saved registry's stored credentials and records the outcome as its last check. */
export async function testStoredRegistry(ctx: Ctx, id: string): Promise<CheckResult> {
  authorize(ctx.actor, "manager");
  const row = await requireRegistry(ctx, id);
  const result = await runCheck(ctx, row, openCreds(ctx.keyring, row));
  await ctx.db
    .update(registries)
    .set({ lastCheck: { status: result.status, summary: result.summary, checkedAt: result.checkedAt } })
    .where(and(eq(registries.orgId, ctx.actor.orgId), eq(registries.id, id)));
  await recordAudit(ctx.db, ctx.actor, "registry.test", id, { status: result.status, failedStep: result.failedStep });
  return result;
}

/** Checks an unsaved body (the add/edit dialog); blank credentials fall back to the stored ones of the same registry. */
export async function testUnsavedRegistry(ctx: Ctx, body: unknown): Promise<CheckResult> {
  authorize(ctx.actor, "manager");
  const input = parseWith(RegistryPatch, body);
  const stored = input.id ? await findRegistryRow(ctx.db, ctx.actor.orgId, input.id) : null;
  const type = input.type ?? stored?.type;
  const registry = input.registry ?? stored?.registry;
  if (!type || !registry) throw new AppError("VALIDATION_FAILED", "type and registry are required to test credentials.", { ...(type ? {} : { type: "is required" }), ...(registry ? {} : { registry: "is required" }) });
  const storedCreds = stored && stored.type === type ? openCreds(ctx.keyring, stored) : null;
  const creds = { username: input.creds?.username || storedCreds?.username || (type === "google_gcr" ? "_json_key" : undefined), password: input.creds?.password || storedCreds?.password };
  const secrets = input.secrets ?? stored?.secrets ?? null;
  const row = { id: input.id ?? "unsaved", type, registry, region: input.region ?? stored?.region ?? null, caCert: input.ca_cert ?? stored?.caCert ?? null, secrets };
  return runCheck(ctx, row, creds.username || creds.password ? creds : null);
}
