// The host part of a registry key, apart from registry-key.ts (its checks and messages) so the browser can load it alone.

/** The host[:port] part as written (before any path). */
export function registryHostPart(registry: string): string {
  const slash = registry.indexOf("/");
  return slash < 0 ? registry : registry.slice(0, slash);
}

/** Whether the registry's host holds the glob `*`: it names no single host. */
export function hasHostGlob(registry: string): boolean {
  return registryHostPart(registry).includes("*");
}
