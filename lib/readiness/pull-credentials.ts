import { pickAuthEntry } from "@/lib/credential-checks/secret-ref";
import { DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE, parseDockerConfigJson } from "@/lib/images/dockerconfig";
import type { RegistryType } from "@/lib/registries/schema";
import { decodeBase64Utf8 } from "@/lib/sync/content";
import type { SyncCredential } from "@/lib/sync/credentials";

/**
 * The username and password the kubelet would send for `host/repository` from a registry's pull secret: the `auths`
 * entry it would pick; null (anonymous) for public registries and when no entry matches, as the kubelet then pulls
 * without credentials; `unavailable` when there is no usable secret content.
 */
export function pullCredentials(
  registry: { type: RegistryType },
  credential: SyncCredential | undefined,
  target: { host: string; repository: string },
): { username: string; password: string } | null | "unavailable" {
  if (registry.type === "public") return null;
  if (!credential || credential.kind === "unavailable") return "unavailable";
  const text =
    credential.kind === "dockerconfig"
      ? credential.dockerconfigjson
      : credential.sourceType === DOCKERCONFIGJSON_TYPE
        ? decodeBase64Utf8(credential.data[DOCKERCONFIGJSON_KEY] ?? "")
        : null;
  const parsed = text === null ? null : parseDockerConfigJson(text);
  if (!parsed?.ok) return "unavailable";
  const pick = pickAuthEntry(parsed.value.auths, `${target.host}/${target.repository}`);
  if (!pick || !pick.credential.password) return null;
  return { username: pick.credential.username, password: pick.credential.password };
}
