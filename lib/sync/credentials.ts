import { buildDockerConfigJson, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE } from "@/lib/images/dockerconfig";
import { loginUsername, type RegistryType } from "@/lib/registries/schema";
import { decodeBase64Utf8 } from "./content";

export type SecretRefTarget = { namespace: string; secret: string };

/** What a registry's secret holds in one cluster, decided before planning (tokens minted, sources read). */
export type SyncCredential =
  | { kind: "dockerconfig"; dockerconfigjson: string; expiresAt: Date | null }
  | { kind: "copy"; sourceType: string; data: Readonly<Record<string, string>>; expiresAt?: Date | null }
  | { kind: "unavailable"; reason: string };

export type StoredCredentials = { username?: string | null; password?: string | null; expiresAt?: Date | null };
/** ECR GetAuthorizationToken output: base64 of `AWS:<password>`. */
export type EcrToken = { authorizationToken: string; expiresAt: Date };
export type SecretSource = { type?: string | null; data?: Readonly<Record<string, string>> | null };

/** The source secret a secret_ref registry copies in a cluster: the cluster's own key beats `*`. */
export function secretRefSource(
  secrets: Readonly<Record<string, SecretRefTarget>> | null | undefined,
  clusterName: string,
): SecretRefTarget | null {
  if (!secrets) return null;
  return (Object.hasOwn(secrets, clusterName) ? secrets[clusterName] : secrets["*"]) ?? null;
}

function unavailable(reason: string): SyncCredential {
  return { kind: "unavailable", reason };
}

function dockerconfig(registry: string, username: string, password: string, expiresAt: Date | null): SyncCredential {
  const dockerconfigjson = JSON.stringify(buildDockerConfigJson([{ registry, username, password }]));
  return { kind: "dockerconfig", dockerconfigjson, expiresAt };
}

function fromEcrToken(registry: string, token: EcrToken): SyncCredential {
  const decoded = decodeBase64Utf8(token.authorizationToken);
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded == null || colon <= 0) return unavailable("the ECR authorization token is not base64 of user:password");
  return dockerconfig(registry, decoded.slice(0, colon), decoded.slice(colon + 1), token.expiresAt);
}

/** The `.dockerconfigjson` credential for a basic, azure_acr or google_gcr registry, or for a minted ECR token. */
export function buildRegistrySecretData(
  registry: { registry: string; type: RegistryType },
  creds: StoredCredentials | EcrToken | null,
): SyncCredential {
  if (registry.type === "public") return unavailable("public registries need no pull secret");
  if (registry.type === "secret_ref") return unavailable("secret_ref registries copy an existing secret");
  if (creds && "authorizationToken" in creds) {
    return registry.type === "amazon_ecr"
      ? fromEcrToken(registry.registry, creds)
      : unavailable("only ECR registries use minted tokens");
  }
  if (registry.type === "amazon_ecr") return unavailable("no ECR token was minted for this registry");
  const username = loginUsername(registry.type, creds?.username);
  if (!username || !creds?.password) return unavailable("no username and password are stored for this registry");
  return dockerconfig(registry.registry, username, creds.password, creds.expiresAt ?? null);
}

/** Why a secret_ref source may not be read in a cluster, or null: its namespace must be on the cluster's allow-list (set by an admin). */
export function secretRefRefusal(ref: SecretRefTarget, allowedNamespaces: readonly string[]): string | null {
  if (allowedNamespaces.includes(ref.namespace)) return null;
  return `the source namespace ${ref.namespace} is not in this cluster's secret_ref namespaces (an admin allows it in the cluster's settings)`;
}

/** The credential a secret_ref registry copies: only a kubernetes.io/dockerconfigjson source, and only its `.dockerconfigjson`. */
export function copySecretCredential(source: SecretSource | null, ref: SecretRefTarget | null): SyncCredential {
  if (!ref) return unavailable("no source secret is configured for this cluster (and no * entry)");
  const where = `${ref.namespace}/${ref.secret}`;
  if (!source) return unavailable(`the source secret ${where} was not found in this cluster`);
  if (source.type !== DOCKERCONFIGJSON_TYPE)
    return unavailable(
      `the source secret ${where} is of type ${source.type || "Opaque"}, not ${DOCKERCONFIGJSON_TYPE}; nothing is copied`,
    );
  const config = source.data?.[DOCKERCONFIGJSON_KEY];
  if (!config) return unavailable(`the source secret ${where} has no ${DOCKERCONFIGJSON_KEY}`);
  return { kind: "copy", sourceType: DOCKERCONFIGJSON_TYPE, data: { [DOCKERCONFIGJSON_KEY]: config } };
}
