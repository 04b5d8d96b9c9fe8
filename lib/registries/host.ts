// Docker Hub's names for humans; its v2 API answers on registry-1.docker.io (as in Docker's client).
const dockerHubNames = new Set(["docker.io", "index.docker.io", "registry.hub.docker.com"]);

/**
 * The "host[:port]" serving /v2/ for a registry string ("host[:port][/path]"), or null when it is not one.
 * WHATWG URL parsing normalises numeric hosts: 2130706433, 0x7f000001, 0177.0.0.1 and 127.1 are all 127.0.0.1.
 */
export function registryHost(registry: string): string | null {
  const host = registry.trim().replace(/^https?:\/\//, "").split("/")[0] ?? "";
  if (!host || /[\s@?#\\]/.test(host)) return null;
  try {
    const parsed = new URL(`https://${host}/`).host;
    return dockerHubNames.has(parsed) ? "registry-1.docker.io" : parsed || null;
  } catch {
    return null;
  }
}
