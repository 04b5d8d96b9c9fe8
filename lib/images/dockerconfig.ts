export type DockerConfigEntry = { username: string; password: string; auth: string };
export type DockerConfigJson = { auths: Record<string, DockerConfigEntry> };
export type DockerConfigInput = { registry: string; username: string; password: string };

/** Credentials as the kubelet reads them: `auth`, when present, overrides username and password. */
export type DockerConfigCredential = { username: string; password: string; email: string };
export type ParsedDockerConfig = { auths: Record<string, DockerConfigCredential> };
export type DockerConfigParseResult = { ok: true; value: ParsedDockerConfig } | { ok: false; reason: string };

/** The Secret type and data key the kubelet reads pull credentials from, and the legacy pair before them. */
export const DOCKERCONFIGJSON_TYPE = "kubernetes.io/dockerconfigjson";
export const DOCKERCONFIGJSON_KEY = ".dockerconfigjson";
export const DOCKERCFG_TYPE = "kubernetes.io/dockercfg";
export const DOCKERCFG_KEY = ".dockercfg";

export const dockerHubServerKey = "https://index.docker.io/v1/";
/** The names Docker Hub goes by in registry strings and `auths` keys. */
export const dockerHubHosts: ReadonlySet<string> = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const entryFields = ["username", "password", "email", "auth"] as const;

/** The `auths` key written for a registry: Docker Hub gets kubectl's default server, others stay as given. */
export function dockerConfigServerKey(registry: string): string {
  const withoutScheme = registry.replace(/^https?:\/\//i, "");
  const slash = withoutScheme.indexOf("/");
  const host = slash < 0 ? withoutScheme : withoutScheme.slice(0, slash);
  if (!dockerHubHosts.has(host.toLowerCase())) return registry;
  const rawPath = slash < 0 ? "" : withoutScheme.slice(slash);
  const path = /^\/v[12]\//.test(rawPath) ? rawPath.slice(3) : rawPath;
  // The kubelet only direct-matches "docker.io/<path>" against normalised names; other Hub aliases never would.
  return path === "" || path === "/" ? dockerHubServerKey : `docker.io${path}`;
}

/** Builds `.dockerconfigjson` content equal (after JSON parsing) to `kubectl create secret docker-registry`. */
export function buildDockerConfigJson(entries: ReadonlyArray<DockerConfigInput>): DockerConfigJson {
  const auths = entries.map(({ registry, username, password }): [string, DockerConfigEntry] => [
    dockerConfigServerKey(registry),
    { username, password, auth: encodeBase64(`${username}:${password}`) },
  ]);
  return { auths: Object.fromEntries(auths) };
}

export function hostsOf(config: { auths: Record<string, unknown> }): string[] {
  return Object.keys(config.auths);
}

/**
 * Validates `.dockerconfigjson` the way the kubelet decodes it, and also requires an `auths` object.
 * Unlike encoding/json, JSON.parse keeps only the last of duplicate keys.
 */
export function parseDockerConfigJson(text: string): DockerConfigParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail("the docker config is not valid JSON");
  }
  if (!isObject(data)) return fail("the docker config must be a JSON object");
  const headers = goField(data, "HttpHeaders");
  if (headers != null && !(isObject(headers) && Object.values(headers).every(isNullableString))) {
    return fail(`"HttpHeaders" must map header names to strings`);
  }
  const auths = goField(data, "auths");
  if (!isObject(auths)) return fail(`the docker config needs an "auths" object`);
  const parsed: Array<[string, DockerConfigCredential]> = [];
  for (const [server, value] of Object.entries(auths)) {
    const entry = parseEntry(server, value);
    if (typeof entry === "string") return fail(entry);
    parsed.push([server, entry]);
  }
  return { ok: true, value: { auths: Object.fromEntries(parsed) } };
}

function parseEntry(server: string, value: unknown): DockerConfigCredential | string {
  const where = `auths[${JSON.stringify(server)}]`;
  if (value === null) return { username: "", password: "", email: "" };
  if (!isObject(value)) return `${where} must be an object`;
  const fields: Record<(typeof entryFields)[number], string> = { username: "", password: "", email: "", auth: "" };
  for (const name of entryFields) {
    const field = goField(value, name);
    if (!isNullableString(field)) return `${where}.${name} must be a string`;
    fields[name] = field ?? "";
  }
  const { auth, ...credential } = fields;
  if (auth === "") return credential;
  const decoded = decodeAuth(auth);
  if (decoded === null) return `${where}.auth must be base64 of "username:password"`;
  return { ...credential, ...decoded };
}

// The kubelet picks padded or unpadded base64 by a trailing "=" and splits at the first ":".
function decodeAuth(auth: string): { username: string; password: string } | null {
  const bytes = decodeGoBase64(auth, auth.trim().endsWith("="));
  const colon = bytes?.indexOf(0x3a) ?? -1;
  if (!bytes || colon < 0) return null;
  const decoder = new TextDecoder();
  return { username: decoder.decode(bytes.subarray(0, colon)), password: decoder.decode(bytes.subarray(colon + 1)) };
}

function decodeGoBase64(text: string, padded: boolean): Uint8Array | null {
  const data = text.replace(/[\r\n]/g, "");
  if (padded ? data.length % 4 !== 0 : data.length % 4 === 1) return null;
  const body = padded ? data.replace(/={1,2}$/, "") : data;
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of body) {
    const value = base64Alphabet.indexOf(char);
    if (value < 0) return null;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

// encoding/json matches struct fields case-insensitively; the last matching key wins.
function goField(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).findLast((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNullableString(value: unknown): value is string | null | undefined {
  return value == null || typeof value === "string";
}

function fail(reason: string): DockerConfigParseResult {
  return { ok: false, reason };
}
