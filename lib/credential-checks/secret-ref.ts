import "server-only";
import type { ClusterRow } from "../clusters/repo";
import {
  type DockerConfigCredential,
  DOCKERCONFIGJSON_KEY,
  DOCKERCONFIGJSON_TYPE,
  dockerHubHosts,
  parseDockerConfigJson,
} from "../images/dockerconfig";
import { isDefaultRegistryMatch, kubeletKey, urlsMatch } from "../images/matching";
import { parseImageReference } from "../images/reference";
import type { KubeClient } from "../integrations/kube";
import { checkV2Access } from "../integrations/registry-v2/handshake";
import { describeError, log } from "../log";
import { decodeBase64Utf8 } from "../sync/content";
import { secretRefRefusal } from "../sync/credentials";
import { registryHost } from "./check";
import { redactDeep } from "./redact";
import type { CheckResult, CheckStatus, CheckStep, CheckStepName } from "./types";

export type SecretRefTarget = { namespace: string; secret: string };
export type SecretRefRegistry = {
  registry: string;
  secrets: Readonly<Record<string, SecretRefTarget>> | null;
  caCert: string | null;
};
export type Coverage = {
  covered: Array<{ cluster: string; ref: SecretRefTarget; via: string }>;
  unknownKeys: string[];
};
export type AuthPick = { server: string; credential: DockerConfigCredential };
export type SecretRefOptions = { timeoutMs: number; now?: () => Date };

type Outcome = {
  status: CheckStatus;
  summary: string;
  failedStep: CheckStepName | null;
  steps: CheckStep[];
  proven: string | null;
};

const severity: Record<CheckStatus, number> = { invalid: 3, unreachable: 2, unsupported: 1, valid: 0 };

/** Which clusters the `secrets` map covers: a cluster's own key beats `*`, and `*` covers every cluster; keys naming no cluster are listed. */
export function coverClusters(
  secrets: Readonly<Record<string, SecretRefTarget>> | null,
  clusterNames: readonly string[],
): Coverage {
  const map = secrets ?? {};
  const covered = clusterNames.flatMap((cluster) => {
    if (Object.hasOwn(map, cluster)) return [{ cluster, ref: map[cluster]!, via: cluster }];
    return map["*"] ? [{ cluster, ref: map["*"], via: "*" }] : [];
  });
  const unknownKeys = Object.keys(map)
    .filter((k) => k !== "*" && !clusterNames.includes(k))
    .sort();
  return { covered, unknownKeys };
}

/**
 * An image name the registry string stands for (`*` host labels become a concrete label), or null when its first
 * component is not a registry host (an image under `1572395042` comes from Docker Hub, which is not that host).
 */
function probeImage(registry: string): string | null {
  const concrete = registry.replace(/^https?:\/\//, "").replace(/\*/g, "regcred-probe");
  const parsed = parseImageReference(`${concrete}/regcred-probe`);
  if (!parsed.ok) return null;
  const first = concrete.split("/")[0]!.toLowerCase();
  return parsed.value.domain === first || dockerHubHosts.has(first) ? parsed.value.name : null;
}

/**
 * The `auths` entry the kubelet would use for the registry's own images: matching keys, most specific first (kubelet
 * order). Never an entry for another host: a registry string that is not a host (all digits, no dot) gets none.
 */
export function pickAuthEntry(
  auths: Readonly<Record<string, DockerConfigCredential>>,
  registry: string,
): AuthPick | null {
  const image = probeImage(registry);
  if (!image) return null;
  const matching = Object.keys(auths).flatMap((server) => {
    const key = kubeletKey(server);
    if (key === null) return [];
    const hit = urlsMatch(key, image) || (key === "index.docker.io" && isDefaultRegistryMatch(image));
    return hit ? [{ server, key }] : [];
  });
  matching.sort((a, b) => (a.key === b.key ? 0 : a.key > b.key ? -1 : 1));
  const best = matching[0];
  return best ? { server: best.server, credential: auths[best.server]! } : null;
}

function fail(status: CheckStatus, step: CheckStepName, cluster: string, detail: string, ms: number): Outcome {
  return {
    status,
    summary: `${cluster}: ${detail}`,
    failedStep: step,
    steps: [{ step, ok: false, ms, detail: `${cluster}: ${detail}` }],
    proven: null,
  };
}

async function checkCluster(
  row: ClusterRow,
  ref: SecretRefTarget,
  reg: SecretRefRegistry,
  client: KubeClient,
  opts: SecretRefOptions,
  secrets: string[],
): Promise<Outcome> {
  const cluster = row.name;
  const where = `${ref.namespace}/${ref.secret}`;
  const refused = secretRefRefusal(ref, row.secretRefNamespaces);
  if (refused) return fail("invalid", "secret", cluster, `${refused}; ${where} was not read`, 0);
  const t0 = performance.now();
  const got = await client.getSecret(ref.namespace, ref.secret);
  const ms = Math.round(performance.now() - t0);
  if (!got.ok) {
    if (got.error.kind === "not-found")
      return fail("invalid", "secret", cluster, `source secret ${where} not found`, ms);
    return fail(
      "unreachable",
      "cluster",
      cluster,
      `could not read ${where} (${got.error.kind}): ${got.error.message}`,
      ms,
    );
  }
  if (got.value.type !== DOCKERCONFIGJSON_TYPE)
    return fail(
      "invalid",
      "secret",
      cluster,
      `source secret ${where} is of type ${got.value.type}, not ${DOCKERCONFIGJSON_TYPE}`,
      ms,
    );
  const text = decodeBase64Utf8(got.value.data[DOCKERCONFIGJSON_KEY] ?? "");
  const parsed = text === null ? null : parseDockerConfigJson(text);
  if (!parsed?.ok)
    return fail(
      "invalid",
      "secret",
      cluster,
      `source secret ${where}: ${DOCKERCONFIGJSON_KEY} ${parsed ? `does not parse: ${parsed.reason}` : "is missing or not base64"}`,
      ms,
    );
  for (const c of Object.values(parsed.value.auths))
    secrets.push(c.password, Buffer.from(`${c.username}:${c.password}`).toString("base64"));
  const pick = pickAuthEntry(parsed.value.auths, reg.registry);
  const hosts =
    Object.keys(parsed.value.auths)
      .map((h) => `"${h}"`)
      .join(", ") || "none";
  if (!pick && !probeImage(reg.registry)) {
    return fail(
      "invalid",
      "secret",
      cluster,
      `source secret ${where} has no auths entry for ${reg.registry}: it is not a registry host (its images would come from Docker Hub), and only the registry's own host's entry is used`,
      ms,
    );
  }
  if (!pick)
    return fail(
      "invalid",
      "secret",
      cluster,
      `source secret ${where} has no auths entry matching ${reg.registry} (it has ${hosts})`,
      ms,
    );
  const { username, password } = pick.credential;
  if (!username || !password)
    return fail(
      "invalid",
      "auth",
      cluster,
      `auths entry "${pick.server}" in ${where} has no username and password`,
      ms,
    );
  const found: CheckStep = {
    step: "secret",
    ok: true,
    ms,
    detail: `${cluster}: ${where} is ${DOCKERCONFIGJSON_TYPE}; auths entry "${pick.server}" matches ${reg.registry}`,
  };
  const host = registryHost(reg.registry);
  if (!host)
    return { ...fail("invalid", "secret", cluster, `"${reg.registry}" is not a registry host`, 0), steps: [found] };
  const v2 = await checkV2Access(host, { username, password }, { timeoutMs: opts.timeoutMs, ca: reg.caCert });
  return {
    status: v2.status,
    summary: `${cluster}: ${v2.summary}`,
    failedStep: v2.failedStep,
    steps: [found, ...v2.steps.map((s) => ({ ...s, detail: `${cluster}: ${s.detail}` }))],
    proven: v2.proven ? `${cluster}: ${v2.proven} with ${where}` : null,
  };
}

function fold(outcomes: Array<{ cluster: string; outcome: Outcome }>, extra: CheckStep[]): Outcome {
  const steps = [...extra, ...outcomes.flatMap((o) => o.outcome.steps)];
  const worst = [...outcomes].sort((a, b) => severity[b.outcome.status] - severity[a.outcome.status])[0];
  if (!worst)
    return {
      status: "invalid",
      summary:
        "no cluster named under secrets to copy exists in this org: use a name from the Clusters page, or * for every cluster",
      failedStep: "cluster",
      steps,
      proven: null,
    };
  const valid = outcomes.filter((o) => o.outcome.status === "valid").map((o) => o.cluster);
  const summary =
    worst.outcome.status === "valid"
      ? `source secrets accepted by the registry in ${valid.length === 1 ? "cluster" : `all ${valid.length} clusters:`} ${valid.join(", ")}`
      : [
          ...outcomes.filter((o) => o.outcome.status !== "valid").map((o) => o.outcome.summary),
          ...(valid.length ? [`valid in ${valid.join(", ")}`] : []),
        ].join("; ");
  const proven = outcomes.flatMap((o) => o.outcome.proven ?? []).join("; ") || null;
  return { status: worst.outcome.status, summary, failedStep: worst.outcome.failedStep, steps, proven };
}

/**
 * secret_ref: in each cluster the `secrets` map covers, the source secret exists, is dockerconfigjson
 * and has an `auths` entry for the registry; then the v2 login with it. One result, steps per cluster.
 */
export async function checkSecretRef(
  reg: SecretRefRegistry,
  clusters: readonly ClusterRow[],
  clientFor: (row: ClusterRow) => KubeClient,
  opts: SecretRefOptions,
): Promise<CheckResult> {
  const secrets: string[] = [];
  let result: Outcome;
  try {
    result = await runSecretRef(reg, clusters, clientFor, opts, secrets);
  } catch (err) {
    log.error("secret_ref check failed unexpectedly", describeError(err));
    result = {
      status: "unreachable",
      summary: "the check failed unexpectedly; the server log has the details",
      failedStep: null,
      steps: [],
      proven: null,
    };
  }
  return redactDeep({ ...result, expiresAt: null, checkedAt: (opts.now?.() ?? new Date()).toISOString() }, secrets);
}

async function runSecretRef(
  reg: SecretRefRegistry,
  clusters: readonly ClusterRow[],
  clientFor: (row: ClusterRow) => KubeClient,
  opts: SecretRefOptions,
  secrets: string[],
): Promise<Outcome> {
  if (Object.keys(reg.secrets ?? {}).length === 0)
    return {
      ...fold([], []),
      summary: "no secret to copy is configured: add a cluster (or *) with the namespace and name of the secret",
    };
  const { covered, unknownKeys } = coverClusters(
    reg.secrets,
    clusters.map((c) => c.name),
  );
  const extra: CheckStep[] = unknownKeys.map((k) => ({
    step: "cluster",
    ok: false,
    ms: 0,
    detail: `${k}: no cluster of this org has this name`,
  }));
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const outcomes = await Promise.all(
    covered.map(async ({ cluster, ref }) => ({
      cluster,
      outcome: await checkCluster(byName.get(cluster)!, ref, reg, clientFor(byName.get(cluster)!), opts, secrets),
    })),
  );
  return fold(outcomes, extra);
}
