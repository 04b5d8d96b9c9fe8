import { parseJsonOrNull } from "../../json";

/** What a manifest HEAD accepts: Docker v2 manifest and manifest list, OCI manifest and index. */
export const manifestAccept = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

// distribution/reference's grammar: path components, tags and digests.
const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const repositoryPattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^\w[\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const hostPattern = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d{1,5})?$/;
const dockerHubNames = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
const dockerHubApi = "registry-1.docker.io";

export type V2Repository = { apiHost: string; repository: string; reference: string; isDockerHub: boolean };

/**
 * The host and repository the v2 API is asked about (Docker Hub's names map to its API host, a one-component Hub name
 * gets `library/`), or why the target is not a valid host, repository or reference.
 */
export function repositoryTarget(
  host: string,
  repository: string,
  reference: string,
): { ok: true; value: V2Repository } | { ok: false; reason: string } {
  if (!hostPattern.test(host)) return { ok: false, reason: `"${host.slice(0, 100)}" is not a registry host[:port]` };
  if (repository.length > 255 || !repositoryPattern.test(repository))
    return { ok: false, reason: `"${repository.slice(0, 100)}" is not a valid repository name` };
  if (!tagPattern.test(reference) && !digestPattern.test(reference))
    return { ok: false, reason: `"${reference.slice(0, 100)}" is neither a tag nor a digest` };
  const isDockerHub = dockerHubNames.has(host.toLowerCase());
  return {
    ok: true,
    value: {
      apiHost: isDockerHub ? dockerHubApi : host,
      repository: isDockerHub && !repository.includes("/") ? `library/${repository}` : repository,
      reference,
      isDockerHub,
    },
  };
}

/** `team/app:1.0` or `team/app@sha256:…` */
export function describeReference(repository: string, reference: string): string {
  return reference.includes(":") ? `${repository}@${reference}` : `${repository}:${reference}`;
}

/**
 * Which part of a missing manifest is unknown, from the answer to `GET /v2/<repository>/tags/list`: a 200 lists the
 * repository (so its tag or digest is unknown), a 404 NAME_UNKNOWN says the repository is; anything else, unknown.
 */
export function notFoundPart(status: number, body: string): "repository" | "reference" | null {
  if (status === 200) return "reference";
  if (status !== 404) return null;
  const json = parseJsonOrNull(body) as { errors?: Array<{ code?: unknown }> } | null;
  const codes = Array.isArray(json?.errors) ? json.errors.map((e) => e?.code) : [];
  return codes.includes("NAME_UNKNOWN") ? "repository" : null;
}

/** Replaces each secret (4 characters or more) in a sentence: the last guard before a detail is stored. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, s) => out.split(s).join("[redacted]"), text);
}
