import "server-only";
import { createHash } from "node:crypto";
import { fail, ok, type Result } from "@/lib/result";
import type { EcrFailure } from "./errors";
import { type AwsKeys, type MintedToken, mintEcrToken } from "./mint";
import { TokenCache } from "./token-cache";

export type EcrCredentials = AwsKeys & { region?: string | null };

export type EcrAuthorization = {
  username: "AWS";
  password: string;
  expiresAt: Date;
  proxyEndpoint: string;
  /** true when served from the cache or from another caller's in-flight mint */
  reused: boolean;
};

export type EcrAuthorizationOptions = {
  timeoutMs: number;
  /** wins over creds.region */
  region?: string | null;
  /** e.g. moto's URL; from AWS_ENDPOINT_URL_ECR / REGCRED_ECR_ENDPOINT */
  endpoint?: string;
  now?: () => Date;
  onMint?: (key: string) => void;
};

type Store = { cache: TokenCache<MintedToken, EcrFailure>; mints: number };

// On globalThis so that every bundle layer of the Next.js server shares one cache.
const storeKey = Symbol.for("regcred.ecr.authorization");
function store(): Store {
  const g = globalThis as { [storeKey]?: Store };
  g[storeKey] ??= { cache: new TokenCache<MintedToken, EcrFailure>(0.75), mints: 0 };
  return g[storeKey];
}

function fingerprint(keys: AwsKeys, region: string, endpoint: string | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify([keys.accessKeyId, keys.secretAccessKey, region, endpoint ?? ""]))
    .digest("hex")
    .slice(0, 32);
}

/**
 * An ECR pull credential for one registry (`key`, e.g. "<org>/<registry id>"): minted with
 * GetAuthorizationToken once, then reused until 75% of its lifetime; concurrent callers share one
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
      message: "no AWS region: the registry host does not name one and none is set",
    });
  if (!creds.accessKeyId || !creds.secretAccessKey) {
    return fail({
      kind: "invalid",
      code: "NoCredentials",
      message: "an access key id and a secret access key are both required",
    });
  }
  const s = store();
  const keys = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
  const mint = () => {
    s.mints += 1;
    opts.onMint?.(key);
    return mintEcrToken(keys, { region, endpoint: opts.endpoint, timeoutMs: opts.timeoutMs });
  };
  const got = await s.cache.get(key, fingerprint(keys, region, opts.endpoint), mint, opts.now ?? (() => new Date()));
  if (!got.ok) return got;
  const { value, reused } = got.value;
  return ok({
    username: "AWS",
    password: value.password,
    expiresAt: value.expiresAt,
    proxyEndpoint: value.proxyEndpoint,
    reused,
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
