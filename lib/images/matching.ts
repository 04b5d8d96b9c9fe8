import { dockerConfigServerKey } from "./dockerconfig";
import type { ImageReference } from "./reference";

/** `direct`: the key matches the image; `docker-hub-default`: the kubelet's index.docker.io fallback. */
export type RegistryMatch = "direct" | "docker-hub-default";
export type MatchableRegistry = { id: string; registry: string; type: string };

type GoUrl = { host: string; path: string };
type GlobToken =
  | { kind: "star" }
  | { kind: "any" }
  | { kind: "literal"; char: number }
  | { kind: "class"; negated: boolean; ranges: Array<[number, number]> };

const defaultRegistryHost = "index.docker.io";
const hostCharacters = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"\u0080-\uffff]*$/;
const userinfoCharacters = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

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
  const globHost = splitHostPort(globUrl.host);
  const targetHost = splitHostPort(targetUrl.host);
  if (globHost.port !== targetHost.port || globHost.labels.length !== targetHost.labels.length) return false;
  // A string prefix, not a path-component prefix: upstream keyring_test expects "bar.example.com/pong" to match ".../pongz".
  if (!targetUrl.path.startsWith(globUrl.path)) return false;
  return globHost.labels.every((label, index) => globMatch(label, targetHost.labels[index] ?? ""));
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
export function resolveRegistry<T extends MatchableRegistry>(registries: ReadonlyArray<T>, image: ImageReference): T | null {
  return rankRegistries(registries, image)[0] ?? null;
}

// The kubelet reverse-sorts keys bytewise, so "quay.io/foo" precedes "quay.io" and "a.io" precedes "*.io".
function compareKubeletOrder(a: { key: string; registry: MatchableRegistry }, b: typeof a): number {
  if (a.key !== b.key) return a.key > b.key ? -1 : 1;
  if (a.registry.id === b.registry.id) return 0;
  return a.registry.id < b.registry.id ? -1 : 1;
}

function parseGoUrl(raw: string): GoUrl | null {
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw);
  if (!scheme) return null;
  const rest = raw.slice(scheme[0].length).split("#")[0]?.split("?")[0] ?? "";
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const host = parseAuthority(authority);
  const path = unescapePath(slash < 0 ? "" : rest.slice(slash));
  return host === null || path === null ? null : { host, path };
}

function parseAuthority(authority: string): string | null {
  const at = authority.lastIndexOf("@");
  if (at >= 0 && !userinfoCharacters.test(authority.slice(0, at))) return null;
  const host = authority.slice(at + 1);
  if (!hostCharacters.test(host)) return null;
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0 || !/^[0-9A-Fa-f:.]+$/.test(host.slice(1, close))) return null;
    return /^(?::[0-9]*)?$/.test(host.slice(close + 1)) ? host : null;
  }
  const colon = host.lastIndexOf(":");
  return colon < 0 || /^:[0-9]*$/.test(host.slice(colon)) ? host : null;
}

function unescapePath(path: string): string | null {
  if (!path.includes("%")) return path;
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return null;
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

// net.SplitHostPort, falling back to the whole host without a port as the kubelet does.
function splitHostPort(hostport: string): { labels: string[]; port: string } {
  const whole = { labels: hostport.split("."), port: "" };
  const colon = hostport.lastIndexOf(":");
  if (colon < 0) return whole;
  const bracketed = hostport.startsWith("[");
  const close = bracketed ? hostport.indexOf("]") : -1;
  if (bracketed && close + 1 !== colon) return whole;
  const host = bracketed ? hostport.slice(1, close) : hostport.slice(0, colon);
  if (!bracketed && host.includes(":")) return whole;
  if (hostport.slice(bracketed ? 1 : 0).includes("[") || hostport.slice(bracketed ? colon : 0).includes("]")) {
    return whole;
  }
  return { labels: host.split("."), port: hostport.slice(colon + 1) };
}

// path/filepath.Match on one DNS label; a malformed pattern matches nothing, as in the kubelet.
function globMatch(pattern: string, label: string): boolean {
  const tokens = compileGlob(Array.from(pattern, codePoint));
  return tokens !== null && matchTokens(tokens, Array.from(label, codePoint), 0, 0);
}

function compileGlob(chars: number[]): GlobToken[] | null {
  const tokens: GlobToken[] = [];
  for (let index = 0; index < chars.length; ) {
    const char = chars[index] ?? 0;
    if (char === 0x2a || char === 0x3f) {
      tokens.push({ kind: char === 0x2a ? "star" : "any" });
      index += 1;
    } else if (char === 0x5b) {
      const parsed = compileClass(chars, index + 1);
      if (!parsed) return null;
      tokens.push(parsed.token);
      index = parsed.next;
    } else {
      const escaped = char === 0x5c;
      const literal = escaped ? chars[index + 1] : char;
      if (literal === undefined) return null;
      tokens.push({ kind: "literal", char: literal });
      index += escaped ? 2 : 1;
    }
  }
  return tokens;
}

function compileClass(chars: number[], start: number): { token: GlobToken; next: number } | null {
  const negated = chars[start] === 0x5e;
  const ranges: Array<[number, number]> = [];
  let index = negated ? start + 1 : start;
  while (!(chars[index] === 0x5d && ranges.length > 0)) {
    const low = readClassChar(chars, index);
    if (!low) return null;
    const high = chars[low.next] === 0x2d ? readClassChar(chars, low.next + 1) : low;
    if (!high) return null;
    ranges.push([low.value, high.value]);
    index = high.next;
  }
  return { token: { kind: "class", negated, ranges }, next: index + 1 };
}

function readClassChar(chars: number[], start: number): { value: number; next: number } | null {
  const first = chars[start];
  if (first === undefined || first === 0x2d || first === 0x5d) return null;
  const at = first === 0x5c ? start + 1 : start;
  const value = chars[at];
  if (value === undefined || at + 1 >= chars.length) return null;
  return { value, next: at + 1 };
}

function matchTokens(tokens: GlobToken[], text: number[], tokenIndex: number, textIndex: number): boolean {
  const token = tokens[tokenIndex];
  if (token === undefined) return textIndex === text.length;
  if (token.kind === "star") {
    for (let end = textIndex; end <= text.length; end += 1) {
      if (matchTokens(tokens, text, tokenIndex + 1, end)) return true;
    }
    return false;
  }
  const char = text[textIndex];
  if (char === undefined || !matchesToken(token, char)) return false;
  return matchTokens(tokens, text, tokenIndex + 1, textIndex + 1);
}

function matchesToken(token: Exclude<GlobToken, { kind: "star" }>, char: number): boolean {
  if (token.kind === "any") return true;
  if (token.kind === "literal") return token.char === char;
  return token.ranges.some(([low, high]) => low <= char && char <= high) !== token.negated;
}

function codePoint(char: string): number {
  return char.codePointAt(0) ?? 0;
}
