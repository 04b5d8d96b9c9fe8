import type { ImageReference } from "@/lib/images/reference";

/** A repository to check with a registry's credentials: `host` is the image's registry host, `repository` the path on it. */
export type RepositoryTarget = { registryId: string; host: string; repository: string; reference: string };

/** The key a check is cached under. */
export function repositoryCheckKey(c: { registryId: string; repository: string; reference: string }): string {
  return `${c.registryId}\u0000${c.repository}\u0000${c.reference}`;
}

/** What pulling the image asks of the registry: its repository and the digest, else the tag (latest when none). */
export function repositoryTarget(registryId: string, image: ImageReference): RepositoryTarget {
  return { registryId, host: image.domain, repository: image.path, reference: image.digest ?? image.tag ?? "latest" };
}
