export type ImageReference = {
  /** Empty only in upstream's odd case of a dotted first component that is no valid host ("a.b_c/d"). */
  domain: string;
  path: string;
  /** `domain/path`: the repository name the kubelet matches registry keys against. */
  name: string;
  tag: string | null;
  digest: string | null;
  /** `domain/path[:tag][@digest]`, without adding `:latest`. */
  normalized: string;
  /** Docker's short form: `nginx`, `user/app:1`, `quay.io/x/y`. */
  familiar: string;
};

export type ImageReferenceResult = { ok: true; value: ImageReference } | { ok: false; reason: string };

const defaultDomain = "docker.io";
const legacyDefaultDomain = "index.docker.io";
const officialRepoPrefix = "library/";
const maxPathLength = 255;

const pathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const domainAndPort = `(?:${domainName}|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const tagPattern = "[\\w][\\w.-]{0,127}";
const digestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

const referenceRegExp = new RegExp(
  `^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`,
);
const anchoredNameRegExp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const anchoredTagRegExp = new RegExp(`^${tagPattern}$`);
const anchoredDigestRegExp = new RegExp(`^${digestPattern}$`);
const anchoredIdentifierRegExp = /^[a-f0-9]{64}$/;
const goDigestRegExp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const digestHexLengths = new Map([
  ["sha256", 64],
  ["sha384", 96],
  ["sha512", 128],
]);

/** Parses an image reference exactly like distribution/reference ParseNormalizedNamed. */
export function parseImageReference(input: string): ImageReferenceResult {
  if (anchoredIdentifierRegExp.test(input)) {
    return fail(
      `invalid repository name ${quote(input)}: a 64-character hexadecimal string is ambiguous with an image ID`,
    );
  }
  const { domain, remainder } = splitDockerDomain(input);
  const remote = remainder.split(":")[0] ?? remainder;
  if (remote.toLowerCase() !== remote) return fail(`repository name must be lowercase: ${quote(remote)}`);
  return parseCanonical(input, `${domain}/${remainder}`);
}

function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf("/");
  if (slash < 0) return { domain: defaultDomain, remainder: officialRepoPrefix + name };
  const explicit = readDomain(name.slice(0, slash));
  const domain = explicit ?? defaultDomain;
  const remainder = explicit === null ? name : name.slice(slash + 1);
  if (domain === defaultDomain && !remainder.includes("/")) {
    return { domain, remainder: officialRepoPrefix + remainder };
  }
  return { domain, remainder };
}

// Upstream reads a first component with ".", ":", "localhost" or any uppercase letter as a domain.
function readDomain(candidate: string): string | null {
  if (candidate === "localhost") return candidate;
  if (candidate === legacyDefaultDomain) return defaultDomain;
  if (/[.:]/.test(candidate)) return candidate;
  if (candidate.toLowerCase() !== candidate) return candidate;
  return null;
}

function parseCanonical(input: string, full: string): ImageReferenceResult {
  const match = referenceRegExp.exec(full);
  if (!match) return fail(describeFormatError(input, full));
  const nameMatch = anchoredNameRegExp.exec(match[1] ?? "");
  const domain = nameMatch?.[1] ?? "";
  const path = nameMatch?.[2] ?? "";
  if (path.length > maxPathLength) {
    return fail(`repository name must not be more than ${maxPathLength} characters (got ${path.length})`);
  }
  const digest = match[3] ?? null;
  const digestError = digest === null ? null : validateDigest(digest);
  if (digestError) return fail(digestError);
  return { ok: true, value: buildReference(domain, path, match[2] ?? null, digest) };
}

function validateDigest(digest: string): string | null {
  const separator = digest.indexOf(":");
  const algorithm = digest.slice(0, separator);
  const encoded = digest.slice(separator + 1);
  const hexLength = digestHexLengths.get(algorithm);
  if (hexLength === undefined) {
    if (!goDigestRegExp.test(digest)) return `invalid digest format ${quote(digest)}`;
    return `unsupported digest algorithm ${quote(algorithm)} (supported: sha256, sha384, sha512)`;
  }
  if (encoded.length !== hexLength) {
    return `invalid digest length: ${algorithm} needs ${hexLength} hex characters, got ${encoded.length}`;
  }
  if (!/^[a-f0-9]+$/.test(encoded)) return `invalid digest format: ${algorithm} hex must be lowercase`;
  return null;
}

function describeFormatError(input: string, full: string): string {
  const lower = full.toLowerCase();
  if (lower !== full && referenceRegExp.test(lower)) return `repository name must be lowercase: ${quote(input)}`;
  if (input === "") return "invalid reference format: the image reference is empty";
  if (/\s/.test(input)) return `invalid reference format: ${quote(input)} contains whitespace`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return `invalid reference format: remove the scheme from ${quote(input)}`;
  if (/^[:@]/.test(input)) return `invalid reference format: ${quote(input)} has no repository name`;
  const { name, tag, digest } = splitSuffixes(full);
  if (!anchoredNameRegExp.test(name)) {
    if (name.split("/").includes("")) return `invalid reference format: empty path component in ${quote(input)}`;
    return `invalid reference format: ${quote(input)}`;
  }
  if (tag !== null && !anchoredTagRegExp.test(tag)) {
    return `invalid tag ${quote(tag)}: up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`;
  }
  if (digest !== null && !anchoredDigestRegExp.test(digest)) return `invalid digest format ${quote(digest)}`;
  return `invalid reference format: ${quote(input)}`;
}

function splitSuffixes(full: string): { name: string; tag: string | null; digest: string | null } {
  const lastSlash = full.lastIndexOf("/");
  const at = full.indexOf("@", lastSlash + 1);
  const beforeDigest = at < 0 ? full : full.slice(0, at);
  const colon = beforeDigest.indexOf(":", lastSlash + 1);
  return {
    name: colon < 0 ? beforeDigest : beforeDigest.slice(0, colon),
    tag: colon < 0 ? null : beforeDigest.slice(colon + 1),
    digest: at < 0 ? null : full.slice(at + 1),
  };
}

function buildReference(domain: string, path: string, tag: string | null, digest: string | null): ImageReference {
  const suffix = (tag === null ? "" : `:${tag}`) + (digest === null ? "" : `@${digest}`);
  const name = domain === "" ? path : `${domain}/${path}`;
  return { domain, path, name, tag, digest, normalized: name + suffix, familiar: familiarName(domain, path) + suffix };
}

function familiarName(domain: string, path: string): string {
  if (domain !== defaultDomain) return domain === "" ? path : `${domain}/${path}`;
  const official = path.startsWith(officialRepoPrefix) ? path.slice(officialRepoPrefix.length) : null;
  return official !== null && !official.includes("/") ? official : path;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function fail(reason: string): ImageReferenceResult {
  return { ok: false, reason };
}
