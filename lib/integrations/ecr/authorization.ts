import "server-only";
import { createHash } from "node:crypto";
import { fail, ok, type Result } from "@/lib/result";
import type { EcrFailure } from "./errors";
import { type MintedToken, mintEcrToken } from "./mint";
import { type EcrIdentity, resolveSource, roleSessionName, type SourceInfo } from "./source";
import { TokenCache } from "./token-cache";

/** Static keys, or none (the server's default chain), and maybe a role to assume; plus the region. */
export type EcrCredentials = EcrIdentity & { region?: string | null };
type SourcedToken = MintedToken & { source: SourceInfo };

export type EcrAuthorization = {
  username: "AWS";
  password: string;
  expiresAt: Date;
  proxyEndpoint: string;
  /** true when served from the cache or from another caller's in-flight mint */
  reused: boolean;
  /** which credentials minted it: keys or the server's chain, and the role assumed (no secret) */
  source: SourceInfo;
};

export type EcrAuthorizationOptions = {
  timeoutMs: number;
  /** wins over creds.region */
  region?: string | null;
  /** e.g. moto's URL; from AWS_ENDPOINT_URL_ECR / REGCRED_ECR_ENDPOINT */
  endpoint?: string;
  /** e.g. moto's URL; from AWS_ENDPOINT_URL_STS */
  stsEndpoint?: string;
  now?: () => Date;
  onMint?: (key: string) => void;
};

type Store = { cache: TokenCache<SourcedToken, EcrFailure>; mints: number };

// On globalThis so that every bundle layer of the Next.js server shares one cache.
const storeKey = Symbol.for("regcred.ecr.authorization");
function store(): Store {
  const g = globalThis as { [storeKey]?: Store };
  g[storeKey] ??= { cache: new TokenCache<SourcedToken, EcrFailure>(0.75), mints: 0 };
  return g[storeKey];
}

// The whole source (keys or chain, role, external ID) and where it is sent: any change mints anew. A hash, never logged.
function fingerprint(creds: EcrCredentials, region: string, opts: EcrAuthorizationOptions): string {
  const source = [creds.accessKeyId ?? "", creds.secretAccessKey ?? "", creds.roleArn ?? "", creds.externalId ?? ""];
  return createHash("sha256")
    .update(
      JSON.stringify([...source, Boolean(creds.defaultChain), region, opts.endpoint ?? "", opts.stsEndpoint ?? ""]),
    )
    .digest("hex")
    .slice(0, 32);
}

async function mintFrom(key: string, creds: EcrCredentials, region: string, opts: EcrAuthorizationOptions) {
  const timeoutMs = opts.timeoutMs;
  const source = await resolveSource(creds, {
    region,
    stsEndpoint: opts.stsEndpoint,
    timeoutMs,
    sessionName: roleSessionName(key),
  });
  if (!source.ok) return source;
  const minted = await mintEcrToken(source.value.credentials, { region, endpoint: opts.endpoint, timeoutMs });
  if (!minted.ok) return fail<EcrFailure>({ ...minted.error, step: "aws" });
  return ok<SourcedToken>({ ...minted.value, source: source.value.info });
}

/**
 * An ECR pull credential for one registry (`key`, e.g. "<org>/<registry id>"): minted with
 * GetAuthorizationToken (after AssumeRole, when a role is named) once, then reused until 75% of its lifetime; concurrent callers share one
 * mint; other credentials for the same key mint anew. A failure (invalid vs unreachable) is the result.
 */
export async function getEcrAuthorization(
  key: string,
  creds: EcrCredentials,
  opts: EcrAuthorizationOptions,
): Promise<Result<EcrAuthorization, EcrFailure>> {
  const region = opts.region || creds.region;
  if (!region)
    return fail({
      kind: "invalid",
      code: "NoRegion",
      step: "aws",
      message: "no AWS region: the registry host does not name one and none is set",
    });
  const s = store();
  const mint = () => {
    s.mints += 1;
    opts.onMint?.(key);
    return mintFrom(key, creds, region, opts);
  };
  const got = await s.cache.get(key, fingerprint(creds, region, opts), mint, opts.now ?? (() => new Date()));
  if (!got.ok) return got;
  const { value, reused } = got.value;
  return ok({
    username: "AWS",
    password: value.password,
    expiresAt: value.expiresAt,
    proxyEndpoint: value.proxyEndpoint,
    reused,
    source: value.source,
  });
}

/** How many GetAuthorizationToken calls this process has made (for tests and benches). */
export function ecrMintCount(): number {
  return store().mints;
}

/** Forgets a registry's token (credentials changed or registry deleted). */
export function forgetEcrAuthorization(key: string): void {
  store().cache.delete(key);
}
