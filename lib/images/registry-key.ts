// Which registry strings are keys the kubelet's keyring parses (net/url) AND matches against some image name
// (distribution/reference): a scheme-less host of DNS labels that may hold the glob `*`, or an IPv6 literal in
// brackets; an optional port; an optional path prefix. registry-key.test.ts proves the two definitions below agree.

const hex = "[0-9A-Fa-f]{1,4}";
const ipv6Source = [
  `(?:${hex}:){7}${hex}`,
  `(?:${hex}:){1,7}:`,
  `(?:${hex}:){1,6}:${hex}`,
  `(?:${hex}:){1,5}(?::${hex}){1,2}`,
  `(?:${hex}:){1,4}(?::${hex}){1,3}`,
  `(?:${hex}:){1,3}(?::${hex}){1,4}`,
  `(?:${hex}:){1,2}(?::${hex}){1,5}`,
  `${hex}:(?::${hex}){1,6}`,
  `:(?:(?::${hex}){1,7}|:)`,
].join("|");
const portSource = "(?:[0-5]?[0-9]{1,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
const labelSource = "[A-Za-z0-9*](?:[A-Za-z0-9*-]*[A-Za-z0-9*])?";
// A lone label names an image's host only as "localhost" or with an uppercase letter (a `*` can be one).
const loneLabelSource = `(?:localhost|[*A-Z](?:[A-Za-z0-9*-]*[A-Za-z0-9*])?|[A-Za-z0-9*][A-Za-z0-9*-]*[*A-Z](?:[A-Za-z0-9*-]*[A-Za-z0-9*])?)`;
const hostSource = [
  `${labelSource}(?:\\.${labelSource})+(?::${portSource}?)?`,
  `${labelSource}:${portSource}`,
  `${loneLabelSource}:?`,
  `\\[(?:${ipv6Source})\\]:${portSource}`,
].join("|");
const componentSource = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const pathPrefixSource = `(?:${componentSource}/)*(?:${componentSource}(?:[._]|__|-+)?)?`;
const pathSource = `(?:/(?:v[12]/)?${pathPrefixSource})?`;

/** The accepted registry strings as one regular expression (the OpenAPI `pattern` of `registry`). */
export const registryKeyPattern = new RegExp(`^(?:${hostSource})${pathSource}$`);

const label = new RegExp(`^${labelSource}$`);
const ipv6 = new RegExp(`^(?:${ipv6Source})$`);
const pathPrefix = new RegExp(`^${pathPrefixSource}$`);
const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Why the kubelet would never use `registry` as a dockerconfigjson key for any image, or null when it would.
 * One sentence for the user; the same language as registryKeyPattern.
 */
export function registryKeyProblem(registry: string): string | null {
  if (registry === "") return "is required";
  if (scheme.test(registry)) return "must not include a scheme such as https://";
  if (/\s/.test(registry)) return "must not contain spaces";
  if (registry.includes("@")) return "must not contain a user name or password (user@host)";
  if (/[?#%\\]/.test(registry))
    return "must be a host, an optional port and an optional path: ?, #, % and \\ have no place in it";
  const slash = registry.indexOf("/");
  const hostPort = slash < 0 ? registry : registry.slice(0, slash);
  return hostPortProblem(hostPort) ?? pathProblem(slash < 0 ? "" : registry.slice(slash));
}

function hostPortProblem(hostPort: string): string | null {
  if (hostPort === "") return "must start with a host, such as registry.example.com";
  if (hostPort.startsWith("[")) return ipv6Problem(hostPort);
  if (/[[\]]/.test(hostPort)) return "may use brackets only around an IPv6 address, as in [2001:db8::1]:5000";
  if (/:.*:/.test(hostPort)) return "must put an IPv6 address in brackets, with a port: [2001:db8::1]:5000";
  const colon = hostPort.indexOf(":");
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  const port = colon < 0 ? null : hostPort.slice(colon + 1);
  const labels = host.split(".");
  if (labels.includes("")) return "has an empty label: a host has no leading, trailing or doubled dot";
  const bad = labels.find((l) => !label.test(l));
  if (bad !== undefined)
    return /^-|-$/.test(bad) && !/[^A-Za-z0-9*-]/.test(bad)
      ? `has the label "${bad}", which no image host has: a label does not start or end with -`
      : `has the label "${bad}", which no image host has: labels hold letters, digits, - and the wildcard * only`;
  if (port !== null && port !== "") return portProblem(port);
  if (labels.length === 1 && !/^localhost$|[*A-Z]/.test(host))
    return `names no image host: "${host}/app" means docker.io/${host}/app, so the kubelet never uses this key; add a domain (${host}.example.com) or a port (${host}:5000)`;
  return null;
}

function ipv6Problem(hostPort: string): string | null {
  const close = hostPort.indexOf("]");
  if (close < 0) return "opens an IPv6 address with [ but does not close it with ]";
  const address = hostPort.slice(1, close);
  const rest = hostPort.slice(close + 1);
  if (address.includes("."))
    return "has an IPv6 address with an IPv4 part, which no image host has: write it in hexadecimal (::ffff:7f00:1)";
  if (!ipv6.test(address)) return `has "[${address}]", which is not an IPv6 address`;
  if (rest === "" || rest === ":")
    return "needs a port after an IPv6 address, as in [2001:db8::1]:443: without one the kubelet reads the brackets as a wildcard set and never matches";
  if (!rest.startsWith(":")) return "may have only a port after an IPv6 address, as in [2001:db8::1]:5000";
  return portProblem(rest.slice(1));
}

function portProblem(port: string): string | null {
  if (!/^[0-9]+$/.test(port)) return "must have a port of digits only: wildcards apply to host labels, not ports";
  return port.length <= 5 && Number(port) <= 65535 ? null : "must have a port from 0 to 65535";
}

function pathProblem(path: string): string | null {
  // The kubelet drops a leading /v1/ or /v2/ from a key's path (Docker's API prefixes).
  const effective = /^\/v[12]\//.test(path) ? path.slice(3) : path;
  const rest = effective.slice(1);
  if (pathPrefix.test(rest)) return null;
  if (/[A-Z]/.test(rest)) return "must have a lowercase path: image paths are lowercase";
  if (rest.startsWith("/") || rest.includes("//")) return "has an empty path component (//)";
  return "must have a path that starts an image path: lowercase letters and digits joined by ., _, __ or -, in components separated by /";
}

export { hasHostGlob, registryHostPart } from "./registry-host";
