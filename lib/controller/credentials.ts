import "server-only";
import type { Keyring } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { getEcrAuthorization } from "@/lib/integrations/ecr";
import type { KubeResult, KubeSecret } from "@/lib/integrations/kube";
import { describeError, log } from "@/lib/log";
import type { RegistryRow } from "@/lib/registries/repo";
import { ecrRegion } from "@/lib/registries/schema";
import { openCreds } from "@/lib/registries/creds";
import {
  buildRegistrySecretData,
  copySecretCredential,
  secretRefRefusal,
  secretRefSource,
  type SyncCredential,
} from "@/lib/sync/credentials";
import { encodeBase64Utf8 } from "@/lib/sync/content";

export type CredentialOptions = {
  keyring: Keyring;
  /** Reads a secret_ref source (from the controller's cache when it holds it). */
  readSecret: (namespace: string, name: string) => Promise<KubeResult<KubeSecret>>;
  clusterName: string;
  /** The cluster's secret_ref allow-list: sources in other namespaces are neither read nor copied. */
  secretRefNamespaces: readonly string[];
  now: () => Date;
  timeoutMs: number;
  ecrEndpoint?: string;
  /** AssumeRole / web identity endpoint; AWS_ENDPOINT_URL_STS when omitted */
  stsEndpoint?: string;
};

export type ResolvedCredentials = {
  credentials: Map<string, SyncCredential>;
  /** GetAuthorizationToken calls made (cache hits excluded). */
  mints: number;
  /** Source secrets of secret_ref registries, for watching: `namespace/name`. */
  sources: string[];
};

const unavailable = (reason: string): SyncCredential => ({ kind: "unavailable", reason });

function storedExpiry(expires: string | undefined): Date | null {
  if (!expires) return null;
  const t = Date.parse(expires);
  return Number.isNaN(t) ? null : new Date(t);
}

async function ecrCredential(
  row: RegistryRow,
  opts: CredentialOptions,
): Promise<{ cred: SyncCredential; minted: boolean }> {
  const creds = safeOpen(opts.keyring, row);
  if (creds === "sealed") return { cred: unavailable("the stored credentials could not be decrypted"), minted: false };
  // Keyless registries (no keys) mint as the server's AWS identity, only while their org may use it.
  const source = {
    accessKeyId: creds?.username ?? "",
    secretAccessKey: creds?.password ?? "",
    roleArn: row.awsRoleArn,
    externalId: row.awsUseExternalId ? (row.orgAws?.externalId ?? null) : null,
    defaultChain: row.orgAws?.defaultChain ?? false,
    region: row.region ?? ecrRegion(row.registry),
  };
  if (row.awsUseExternalId && !source.externalId)
    return { cred: unavailable("the org's external ID was not loaded with the registry"), minted: false };
  const auth = await getEcrAuthorization(`${row.orgId}/${row.id}`, source, {
    timeoutMs: opts.timeoutMs,
    endpoint: opts.ecrEndpoint,
    stsEndpoint: opts.stsEndpoint ?? env().AWS_ENDPOINT_URL_STS,
    now: opts.now,
  });
  if (!auth.ok) return { cred: unavailable(`ECR token could not be minted: ${auth.error.message}`), minted: false };
  const { username, password, expiresAt, reused } = auth.value;
  const token = { authorizationToken: encodeBase64Utf8(`${username}:${password}`), expiresAt };
  return { cred: buildRegistrySecretData(row, token), minted: !reused };
}

function safeOpen(keyring: Keyring, row: RegistryRow): ReturnType<typeof openCreds> | "sealed" {
  try {
    return openCreds(keyring, row);
  } catch (err) {
    log.warn("a registry's stored credentials could not be opened", { registry: row.id, ...describeError(err) });
    return "sealed";
  }
}

async function copyCredential(
  row: RegistryRow,
  opts: CredentialOptions,
): Promise<{ cred: SyncCredential; source: string | null }> {
  const ref = secretRefSource(row.secrets, opts.clusterName);
  if (!ref) return { cred: copySecretCredential(null, null), source: null };
  const refused = secretRefRefusal(ref, opts.secretRefNamespaces);
  if (refused) return { cred: unavailable(refused), source: null };
  const source = `${ref.namespace}/${ref.secret}`;
  const read = await opts.readSecret(ref.namespace, ref.secret);
  if (read.ok) return { cred: copySecretCredential(read.value, ref), source };
  if (read.error.kind === "not-found") return { cred: copySecretCredential(null, ref), source };
  return { cred: unavailable(`the source secret ${source} could not be read: ${read.error.message}`), source };
}

/**
 * The credential of each registry a pass needs, decided once per pass and fanned out to every namespace:
 * stored credentials, one ECR token per registry (from the shared token cache), secret_ref sources read in this cluster.
 */
export async function resolveCredentials(
  rows: readonly RegistryRow[],
  opts: CredentialOptions,
): Promise<ResolvedCredentials> {
  const out: ResolvedCredentials = { credentials: new Map(), mints: 0, sources: [] };
  await Promise.all(
    rows.map(async (row) => {
      if (row.type === "public") return;
      if (row.type === "amazon_ecr") {
        const { cred, minted } = await ecrCredential(row, opts);
        out.credentials.set(row.id, cred);
        if (minted) out.mints += 1;
      } else if (row.type === "secret_ref") {
        const { cred, source } = await copyCredential(row, opts);
        out.credentials.set(row.id, cred);
        if (source) out.sources.push(source);
      } else {
        const creds = safeOpen(opts.keyring, row);
        if (creds === "sealed")
          out.credentials.set(row.id, unavailable("the stored credentials could not be decrypted"));
        else
          out.credentials.set(
            row.id,
            buildRegistrySecretData(row, creds ? { ...creds, expiresAt: storedExpiry(creds.expires) } : null),
          );
      }
    }),
  );
  out.sources.sort();
  return out;
}
