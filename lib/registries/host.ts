import { registryMatchesHost } from "../images/matching";
import { hasHostGlob, registryHostPart, registryKeyProblem } from "../images/registry-key";

// Docker Hub's names for humans; its v2 API answers on registry-1.docker.io (as in Docker's client).
const dockerHubNames = new Set(["docker.io", "index.docker.io", "registry.hub.docker.com"]);

/** The registry string's first component as written, without a scheme: "host[:port]" before normalisation. */
function hostPart(registry: string): string {
  return registryHostPart(registry.trim().replace(/^https?:\/\//, ""));
}

/**
 * The "host[:port]" serving /v2/ for a registry string ("host[:port][/path]"), or null when it is not one
 * (a host with the glob `*` names no single host).
 * WHATWG URL parsing normalises numeric hosts: 2130706433, 0x7f000001, 0177.0.0.1 and 127.1 are all 127.0.0.1.
 */
export function registryHost(registry: string): string | null {
  const host = hostPart(registry);
  if (!host || /[\s@?#\\*]/.test(host)) return null;
  try {
    const parsed = new URL(`https://${host}/`).host;
    return dockerHubNames.has(parsed) ? "registry-1.docker.io" : parsed || null;
  } catch {
    return null;
  }
}

/** Where a registry's credentials may be sent, for comparing destinations: its host, or its host glob as written. */
export function registryDestinationHost(registry: string): string {
  return hasHostGlob(registry) ? hostPart(registry) : (registryHost(registry) ?? registry);
}

/** For a registry whose host is a numeric spelling of an IPv4 address ("0x7f000001", "2130706433:5000"), that spelling and the address; else null. */
export function numericHostSpelling(registry: string): { spelled: string; address: string } | null {
  const raw = hostPart(registry).replace(/:\d+$/, "").toLowerCase();
  const host = registryHost(registry)?.replace(/:\d+$/, "");
  if (!host || !/^\d+\.\d+\.\d+\.\d+$/.test(host) || raw === host) return null;
  return { spelled: raw, address: host };
}

/**
 * Why `testHost` cannot stand in for the registry in a credential test, or null when it can. A registry whose host
 * has a glob is tested against one concrete host that its key matches; credentials never go to another.
 */
export function testHostProblem(registry: string, testHost: string | undefined): string | null {
  const glob = hasHostGlob(registry);
  if (testHost === undefined || testHost === "")
    return glob
      ? `Host to test is required: ${hostPart(registry)} has a wildcard, so name one host it matches to test`
      : null;
  if (!glob)
    return `Host to test only applies to a registry whose host has a wildcard (*); ${hostPart(registry)} has none`;
  if (testHost.includes("/")) return "Host to test must be a host with an optional port, without a path";
  if (testHost.includes("*")) return "Host to test must be one host, without the wildcard *";
  const problem = registryKeyProblem(testHost);
  if (problem) return `Host to test ${problem}`;
  return registryMatchesHost(registry, testHost)
    ? null
    : `${testHost} is not matched by ${hostPart(registry)}: credentials are only sent to a host the registry matches`;
}
