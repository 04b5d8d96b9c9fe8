import "server-only";
import { env } from "../env";
import { type EcrAuthorization, getEcrAuthorization, type SourceInfo } from "../integrations/ecr";
import { checkV2Access, type V2Outcome } from "../integrations/registry-v2/handshake";
import { describeError, log } from "../log";
import { numericHostSpelling, registryHost } from "../registries/host";
import { ecrRegion, loginUsername } from "../registries/schema";
import { redactDeep, secretsOf } from "./redact";
import type { CheckInput, CheckOptions, CheckResult, CheckStep } from "./types";

type Outcome = Omit<CheckResult, "checkedAt">;

// The service routes saved and unsaved secret_ref registries to secret-ref.ts, which reads each cluster first.
const secretRefSummary =
  "secret_ref credentials live in the clusters: they are checked per cluster by checkSecretRef, not here";

function outcome(
  status: Outcome["status"],
  summary: string,
  failedStep: Outcome["failedStep"] = null,
  steps: CheckStep[] = [],
): Outcome {
  return { status, summary, failedStep, steps, proven: null, expiresAt: null };
}

const defaultTimeoutMs = 10_000;

export { registryHost };

function v2Options(input: CheckInput, opts: CheckOptions) {
  return { timeoutMs: opts.timeoutMs, ca: input.caCert, egress: opts.egress };
}

function fromV2(v2: V2Outcome): Outcome {
  return { ...v2, expiresAt: null };
}

async function checkWithPassword(input: CheckInput, host: string, opts: CheckOptions): Promise<Outcome> {
  const username = loginUsername(input.type, input.creds?.username);
  const password = input.creds?.password ?? "";
  if (!username || !password)
    return outcome("invalid", "no credentials to check: a username and a password are both needed", "auth");
  return fromV2(await checkV2Access(host, { username, password }, v2Options(input, opts)));
}

function sourceLabel(source: SourceInfo): string {
  return source.base === "keys" ? "the access key" : "the server's AWS identity";
}

/** The `sts` step of a registry that assumes a role; none for one that mints with its keys or the chain directly. */
function stsStep(auth: EcrAuthorization, ms: number): CheckStep[] {
  const { source } = auth;
  if (!source.roleArn) return [];
  const how = auth.reused ? "token reused from the cache" : `session ${source.sessionName}`;
  const ext = source.externalId ? ", with the org's external ID" : "";
  return [
    { step: "sts", ok: true, ms, detail: `AssumeRole ${source.roleArn} from ${sourceLabel(source)}${ext}: ${how}` },
  ];
}

async function checkEcr(input: CheckInput, host: string, opts: CheckOptions, secrets: string[]): Promise<Outcome> {
  const region = input.region || ecrRegion(input.registry);
  if (!region)
    return outcome(
      "invalid",
      `aws: "${host}" is not an ECR host (<account>.dkr.ecr.<region>.amazonaws.com) and no region is set`,
      "aws",
    );
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const minted = await getEcrAuthorization(
    input.cacheKey,
    {
      accessKeyId: input.creds?.username ?? "",
      secretAccessKey: input.creds?.password ?? "",
      roleArn: input.aws?.roleArn,
      externalId: input.aws?.externalId,
      defaultChain: input.aws?.defaultChain,
    },
    {
      region,
      endpoint: opts.ecrEndpoint,
      stsEndpoint: opts.stsEndpoint ?? env().AWS_ENDPOINT_URL_STS,
      timeoutMs: opts.timeoutMs,
      now: opts.now,
    },
  );
  if (!minted.ok) {
    const { kind, message, step = "aws" } = minted.error;
    const what = step === "sts" ? "sts" : `aws: GetAuthorizationToken in ${region} failed`;
    return outcome(kind, `${what}: ${message}`, step, [{ step, ok: false, ms: ms(), detail: message }]);
  }
  const auth = minted.value;
  secrets.push(auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString("base64"));
  const expiresAt = auth.expiresAt.toISOString();
  const past =
    auth.expiresAt.getTime() <= (opts.now?.() ?? new Date()).getTime() ? " (already past by this server's clock)" : "";
  const as = auth.source.roleArn
    ? ` as ${auth.source.roleArn}`
    : auth.source.base === "chain"
      ? " as the server's AWS identity"
      : "";
  const awsStep: CheckStep = {
    step: "aws",
    ok: true,
    ms: ms(),
    detail: `GetAuthorizationToken in ${region}${as}: token ${auth.reused ? "reused from the cache" : "minted"}, expires ${expiresAt}${past}`,
  };
  const v2 = await checkV2Access(host, { username: auth.username, password: auth.password }, v2Options(input, opts));
  const steps = [...stsStep(auth, ms()), awsStep, ...v2.steps];
  if (v2.status === "valid" && v2.proven) {
    return {
      ...v2,
      steps,
      expiresAt,
      summary: `ECR token from GetAuthorizationToken (${region}${as}) accepted by https://${host}/v2/`,
      proven: `ECR token from GetAuthorizationToken in ${region}${as} logged in to ${host} as AWS`,
    };
  }
  return {
    ...v2,
    steps,
    expiresAt,
    summary: v2.status === "valid" ? v2.summary : `ECR token minted, but ${v2.summary}`,
  };
}

async function dispatch(input: CheckInput, opts: CheckOptions, secrets: string[]): Promise<Outcome> {
  if (input.type === "secret_ref") return outcome("unsupported", secretRefSummary);
  const host = registryHost(input.registry);
  if (!host)
    return outcome("invalid", `"${input.registry}" is not a registry host such as registry.example.com[:port]`);
  switch (input.type) {
    case "public":
      return fromV2(await checkV2Access(host, null, v2Options(input, opts)));
    case "amazon_ecr":
      return checkEcr(input, host, opts, secrets);
    case "basic":
    case "azure_acr":
    case "google_gcr":
      return checkWithPassword(input, host, opts);
    default:
      return outcome("unsupported", `registries of type "${String(input.type)}" cannot be checked`);
  }
}

/**
 * Checks a registry's credentials from the server: the v2 handshake (after minting an ECR token for
 * amazon_ecr). Never throws and never returns a secret: failures are results naming the failed step.
 */
export async function checkRegistryCredentials(input: CheckInput, opts: CheckOptions): Promise<CheckResult> {
  const secrets = secretsOf(input.creds);
  let result: Outcome;
  try {
    const timeoutMs = Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0 ? opts.timeoutMs : defaultTimeoutMs;
    result = await dispatch(input, { ...opts, timeoutMs }, secrets);
    const numeric = numericHostSpelling(input.registry);
    if (numeric)
      result = { ...result, summary: `${result.summary} (${numeric.spelled} is the IPv4 address ${numeric.address})` };
  } catch (err) {
    log.error("credential check failed unexpectedly", {
      ...describeError(err),
      type: input.type,
      cacheKey: input.cacheKey,
    });
    result = outcome("unreachable", "the check failed unexpectedly; the server log has the details");
  }
  let checkedAt: string;
  try {
    checkedAt = (opts.now?.() ?? new Date()).toISOString();
  } catch {
    checkedAt = new Date().toISOString();
  }
  return redactDeep({ ...result, checkedAt }, secrets);
}
