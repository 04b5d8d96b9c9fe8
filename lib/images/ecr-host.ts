/**
 * The private ECR hosts the upstream ECR credential provider recognises (kubernetes/cloud-provider-aws
 * cmd/ecr-credential-provider/main.go since 2025-10-25, first in v1.35.0): account, `dkr.ecr` or dual-stack
 * `dkr-ecr`, optional `-fips`, region (group 3), and every partition's domain. Matched against the host name
 * without its port, as upstream does (url.Hostname()).
 */
export const ecrHostPattern =
  /^(\d{12})\.dkr[.-]ecr(-fips)?\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\.(amazonaws\.(?:com(?:\.cn)?|eu)|on\.(?:aws|amazonwebservices\.com\.cn)|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;

/** A registry string ("host[:port][/path]") whose host upstream recognises: the OpenAPI pattern of an ECR `registry`. */
export const ecrRegistryPattern = new RegExp(`${ecrHostPattern.source.slice(0, -1)}(?::[0-9]*)?(?:/|$)`);

export type EcrHost = { account: string; fips: boolean; dualStack: boolean; region: string; domain: string };

/** The parts of an ECR registry string ("host[:port][/path]"), or null when upstream would not recognise its host. */
export function parseEcrHost(registry: string): EcrHost | null {
  const hostPort = registry.replace(/^https?:\/\//, "").split("/")[0] ?? "";
  const hostname = hostPort.replace(/:[0-9]*$/, "");
  const m = ecrHostPattern.exec(hostname);
  if (!m) return null;
  return {
    account: m[1]!,
    fips: Boolean(m[2]),
    dualStack: hostname.includes(".dkr-ecr"),
    region: m[3]!,
    domain: m[4]!,
  };
}

/** The AWS region an ECR registry string names in its host, or null. */
export function ecrRegion(registry: string): string | null {
  return parseEcrHost(registry)?.region ?? null;
}
