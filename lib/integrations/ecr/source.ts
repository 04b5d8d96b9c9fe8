import "server-only";
import { fail, ok, type Result } from "@/lib/result";
import { classifyStsError, type EcrFailure } from "./errors";
import type { AwsSessionKeys as AwsCredentialIdentity } from "./mint";

/** Where an ECR registry's AWS credentials come from: static keys or the server's default chain, then maybe a role. */
export type EcrIdentity = {
  accessKeyId?: string | null;
  secretAccessKey?: string | null;
  /** assume this role from the keys (or, without keys, from the default chain) */
  roleArn?: string | null;
  /** sent as ExternalId with AssumeRole (the org's generated external ID) */
  externalId?: string | null;
  /** the org may use the server's default credential chain (an instance admin's setting) */
  defaultChain?: boolean;
};

export type SourceInfo = {
  base: "keys" | "chain";
  roleArn: string | null;
  sessionName: string | null;
  externalId: boolean;
};

export type SourceOptions = { region: string; stsEndpoint?: string; timeoutMs: number; sessionName: string };
export type ResolvedSource = { credentials: AwsCredentialIdentity; info: SourceInfo; secrets: string[] };

export const chainNotAllowed =
  "this org may not use the server's AWS identity (an instance admin can allow it): give an access key, or a role to assume from one";

export const externalIdRequired =
  "assuming a role with the server's AWS identity needs the org's external ID (turn on aws_use_external_id)";

/** Which source an identity names, or why it names none; no IO. */
export function planSource(id: EcrIdentity): Result<Omit<SourceInfo, "sessionName">, EcrFailure> {
  const keys = Boolean(id.accessKeyId || id.secretAccessKey);
  const roleArn = id.roleArn || null;
  const step = roleArn ? "sts" : "aws";
  if (keys && !(id.accessKeyId && id.secretAccessKey))
    return fail({
      kind: "invalid",
      code: "NoCredentials",
      step,
      message: "an access key id and a secret access key are both required",
    });
  if (!keys && !id.defaultChain)
    return fail({ kind: "invalid", code: "DefaultChainNotAllowed", step, message: chainNotAllowed });
  // Shared by every org allowed to use it: the server's identity assumes roles only with the org's external ID.
  if (!keys && roleArn && !id.externalId)
    return fail({ kind: "invalid", code: "ExternalIdRequired", step, message: externalIdRequired });
  return ok({ base: keys ? "keys" : "chain", roleArn, externalId: Boolean(roleArn && id.externalId) });
}

/** A RoleSessionName AWS accepts ([\w+=,.@-], 2-64) that names the registry in CloudTrail. */
export function roleSessionName(key: string): string {
  return `regcred-${key}`.replace(/[^\w+=,.@-]/g, ".").slice(0, 64);
}

function stsClientConfig(opts: SourceOptions) {
  return {
    region: opts.region,
    ...(opts.stsEndpoint ? { endpoint: opts.stsEndpoint } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: opts.timeoutMs, requestTimeout: opts.timeoutMs },
  };
}

async function chainCredentials(opts: SourceOptions, step: "sts" | "aws") {
  const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
  try {
    return ok(await fromNodeProviderChain({ clientConfig: stsClientConfig(opts) })());
  } catch (err) {
    const e = err as { name?: string; $metadata?: unknown };
    if (e.name === "CredentialsProviderError" && !e.$metadata)
      return fail<EcrFailure>({
        kind: "invalid",
        code: "NoChainCredentials",
        step,
        message:
          "the server has no AWS credentials of its own (no web identity token file, container or instance role, or AWS_* keys in its environment)",
      });
    const f = classifyStsError(err, [], opts.stsEndpoint ?? `sts.${opts.region}.amazonaws.com`);
    return fail<EcrFailure>({ ...f, step, message: `the server's AWS identity failed: ${f.message}` });
  }
}

/**
 * The AWS credentials an ECR registry mints with: its keys or the server's default chain, then AssumeRole when
 * it names a role. A failure is the result, with `step` "sts" (assuming a role) or "aws"; never an exception.
 */
export async function resolveSource(id: EcrIdentity, opts: SourceOptions): Promise<Result<ResolvedSource, EcrFailure>> {
  const plan = planSource(id);
  if (!plan.ok) return plan;
  const { base, roleArn, externalId } = plan.value;
  const step = roleArn ? "sts" : "aws";
  const source =
    base === "keys"
      ? ok<AwsCredentialIdentity>({ accessKeyId: id.accessKeyId!, secretAccessKey: id.secretAccessKey! })
      : await chainCredentials(opts, step);
  if (!source.ok) return source;
  const secrets = [source.value.secretAccessKey, source.value.sessionToken ?? ""];
  if (!roleArn) return ok({ credentials: source.value, info: { ...plan.value, sessionName: null }, secrets });
  const { fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
  const params = {
    RoleArn: roleArn,
    RoleSessionName: opts.sessionName,
    ...(externalId ? { ExternalId: id.externalId! } : {}),
  };
  try {
    const assumed = await fromTemporaryCredentials({
      params,
      masterCredentials: source.value,
      clientConfig: stsClientConfig(opts),
    })();
    secrets.push(assumed.secretAccessKey, assumed.sessionToken ?? "");
    return ok({ credentials: assumed, info: { ...plan.value, sessionName: opts.sessionName }, secrets });
  } catch (err) {
    const f = classifyStsError(err, secrets, opts.stsEndpoint ?? `sts.${opts.region}.amazonaws.com`);
    return fail({ ...f, step: "sts", message: `AssumeRole ${roleArn} failed: ${f.message}` });
  }
}
