import { dockerConfigServerKey } from "./dockerconfig";
import { globMatch, parseGoUrl, splitHostPort } from "./kubelet-url";
import type { ImageReference } from "./reference";

/** `direct`: the key matches the image; `docker-hub-default`: the kubelet's index.docker.io fallback. */
export type RegistryMatch = "direct" | "docker-hub-default";
export type MatchableRegistry = { id: string; registry: string; type: string };

const defaultRegistryHost = "index.docker.io";

/** The index key the kubelet derives from a dockerconfig server (BasicDockerKeyring.Add), or null if ignored. */
export function kubeletKey(server: string): string | null {
  const value = server.startsWith("https://") || server.startsWith("http://") ? server : `https://${server}`;
  const parsed = parseGoUrl(value);
  if (!parsed) return null;
  const path = parsed.path.startsWith("/v1/") || parsed.path.startsWith("/v2/") ? parsed.path.slice(3) : parsed.path;
  return path !== "" && path !== "/" ? parsed.host + path : parsed.host;
}

/** The kubelet key of the secret this product writes for a registry string. */
export function registryKubeletKey(registry: string): string | null {
  return kubeletKey(dockerConfigServerKey(registry));
}

/** kubelet URLsMatchStr: host globs per DNS label, equal ports, key path a string prefix of the image path. */
export function urlsMatch(glob: string, target: string): boolean {
  const globUrl = parseGoUrl(`https://${glob}`);
  const targetUrl = parseGoUrl(`https://${target}`);
  if (!globUrl || !targetUrl) return false;
  // A string prefix, not a path-component prefix: upstream keyring_test expects "bar.example.com/pong" to match ".../pongz".
  return targetUrl.path.startsWith(globUrl.path) && hostsMatch(globUrl.host, targetUrl.host);
}

/** URLsMatch's host half: equal ports, as many labels, each target label matching its glob. */
function hostsMatch(globHostPort: string, targetHostPort: string): boolean {
  const glob = splitHostPort(globHostPort);
  const target = splitHostPort(targetHostPort);
  if (glob.port !== target.port || glob.labels.length !== target.labels.length) return false;
  return glob.labels.every((label, index) => globMatch(label, target.labels[index] ?? ""));
}

/** Whether the kubelet would use the registry's secret for images on `host`, a concrete host[:port] without a path. */
export function registryMatchesHost(registry: string, host: string): boolean {
  const key = registryKubeletKey(registry);
  const keyUrl = key === null ? null : parseGoUrl(`https://${key}`);
  const hostUrl = parseGoUrl(`https://${host}`);
  return keyUrl !== null && hostUrl !== null && hostUrl.path === "" && hostsMatch(keyUrl.host, hostUrl.host);
}

/** kubelet isDefaultRegistryMatch, applied to a repository name such as `docker.io/library/nginx`. */
export function isDefaultRegistryMatch(name: string): boolean {
  const slash = name.indexOf("/");
  const first = slash < 0 ? name : name.slice(0, slash);
  if (first === "") return false;
  if (slash < 0 || first === "docker.io" || first === defaultRegistryHost) return true;
  return !/[.:]/.test(first);
}

export function matchRegistry(registry: string, image: ImageReference): RegistryMatch | null {
  const key = registryKubeletKey(registry);
  if (key === null) return null;
  if (urlsMatch(key, image.name)) return "direct";
  return key === defaultRegistryHost && isDefaultRegistryMatch(image.name) ? "docker-hub-default" : null;
}

export function matchesRegistry(registryPattern: string, image: ImageReference): boolean {
  return matchRegistry(registryPattern, image) !== null;
}

/** The registries whose secrets the kubelet would try for the image, in the order it tries them. */
export function rankRegistries<T extends MatchableRegistry>(registries: ReadonlyArray<T>, image: ImageReference): T[] {
  const keyed = registries.flatMap((registry) => {
    const key = registryKubeletKey(registry.registry);
    return key === null ? [] : [{ registry, key }];
  });
  const direct = keyed.filter(({ key }) => urlsMatch(key, image.name));
  // Keyring Lookup falls back to the index.docker.io key only when no key matched directly.
  const chosen =
    direct.length > 0 || !isDefaultRegistryMatch(image.name)
      ? direct
      : keyed.filter(({ key }) => key === defaultRegistryHost);
  return chosen.sort(compareKubeletOrder).map(({ registry }) => registry);
}

/** The registry whose credentials the kubelet tries first for the image, or null. */
export function resolveRegistry<T extends MatchableRegistry>(
  registries: ReadonlyArray<T>,
  image: ImageReference,
): T | null {
  return rankRegistries(registries, image)[0] ?? null;
}

// The kubelet reverse-sorts keys bytewise, so "quay.io/foo" precedes "quay.io" and "a.io" precedes "*.io".
function compareKubeletOrder(a: { key: string; registry: MatchableRegistry }, b: typeof a): number {
  if (a.key !== b.key) return a.key > b.key ? -1 : 1;
  if (a.registry.id === b.registry.id) return 0;
  return a.registry.id < b.registry.id ? -1 : 1;
}
