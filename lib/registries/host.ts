// Docker Hub's names for humans; its v2 API answers on registry-1.docker.io (as in Docker's client).
const dockerHubNames = new Set(["docker.io", "index.docker.io", "registry.hub.docker.com"]);

/** The registry string's first component as written, without a scheme: "host[:port]" before normalisation. */
function hostPart(registry: string): string {
  return (
    registry
      .trim()
      .replace(/^https?:\/\//, "")
      .split("/")[0] ?? ""
  );
}

/**
 * The "host[:port]" serving /v2/ for a registry string ("host[:port][/path]"), or null when it is not one.
 * WHATWG URL parsing normalises numeric hosts: 2130706433, 0x7f000001, 0177.0.0.1 and 127.1 are all 127.0.0.1.
 */
export function registryHost(registry: string): string | null {
  const host = hostPart(registry);
  if (!host || /[\s@?#\\]/.test(host)) return null;
  try {
    const parsed = new URL(`https://${host}/`).host;
    return dockerHubNames.has(parsed) ? "registry-1.docker.io" : parsed || null;
  } catch {
    return null;
  }
}

/** For a registry whose host is a numeric spelling of an IPv4 address ("0x7f000001", "2130706433:5000"), that spelling and the address; else null. */
export function numericHostSpelling(registry: string): { spelled: string; address: string } | null {
  const raw = hostPart(registry).replace(/:\d+$/, "").toLowerCase();
  const host = registryHost(registry)?.replace(/:\d+$/, "");
  if (!host || !/^\d+\.\d+\.\d+\.\d+$/.test(host) || raw === host) return null;
  return { spelled: raw, address: host };
}
