import "server-only";
import type { KubeClient, KubeError } from "../integrations/kube";
import { describePermission, type PermissionNeeds, requiredPermissions } from "./permissions";
import type { ClusterTestResult, Permission } from "./schema";

type Step = ClusterTestResult["steps"][number];
const CONCURRENCY = 8;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - t0)];
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function finish(
  status: ClusterTestResult["status"],
  parts: Omit<ClusterTestResult, "status" | "tested_at">,
  now: Date,
): ClusterTestResult {
  return { status, ...parts, tested_at: now.toISOString() };
}

function fatal(error: KubeError): ClusterTestResult["status"] | null {
  if (error.kind === "unreachable" || error.kind === "invalid") return "unreachable";
  if (error.kind === "unauthorized") return "unauthorized";
  return null;
}

function failureSummary(status: ClusterTestResult["status"], server: string, error: KubeError): string {
  return status === "unauthorized"
    ? `${server} rejected the credentials (${error.message}).`
    : `Cannot reach ${server}: ${error.message}.`;
}

/**
 * Tests a cluster connection: /version, who the credentials authenticate as, and an RBAC self-check
 * for every permission Regcred needs with the cluster's wiring mode and options. Always resolves to a result, never throws.
 */
export async function testConnection(
  client: KubeClient,
  opts: { homeNamespace: string; needs: PermissionNeeds; now?: () => Date },
): Promise<ClusterTestResult> {
  const now = opts.now ?? (() => new Date());
  const steps: Step[] = [];
  const base = { version: null as string | null, user: null as string | null, missing: [] as Permission[], steps };

  const [version, versionMs] = await timed(() => client.version());
  steps.push({
    step: "version",
    ok: version.ok,
    ms: versionMs,
    detail: version.ok ? `Kubernetes ${version.value.gitVersion}` : version.error.message,
  });
  if (!version.ok) {
    const status = fatal(version.error);
    if (status)
      return finish(status, { ...base, summary: failureSummary(status, client.server, version.error) }, now());
  } else base.version = version.value.gitVersion;

  const [who, whoMs] = await timed(() => client.whoAmI());
  const whoOk = who.ok || who.error.kind === "forbidden" || who.error.kind === "not-found";
  steps.push({
    step: "authenticate",
    ok: whoOk,
    ms: whoMs,
    detail: who.ok
      ? `authenticated as ${who.value.username}`
      : whoOk
        ? `credentials accepted (SelfSubjectReview unavailable: ${who.error.message})`
        : who.error.message,
  });
  if (!who.ok) {
    const status = fatal(who.error);
    if (status) return finish(status, { ...base, summary: failureSummary(status, client.server, who.error) }, now());
  } else base.user = who.value.username;

  const needed = requiredPermissions(opts.homeNamespace, opts.needs);
  const [reviews, reviewMs] = await timed(() => mapLimited(needed, CONCURRENCY, (p) => client.accessReview(p)));
  const failed = reviews.find((r) => !r.ok);
  if (failed && !failed.ok) {
    steps.push({
      step: "permissions",
      ok: false,
      ms: reviewMs,
      detail: `could not check permissions: ${failed.error.message}`,
    });
    const status = fatal(failed.error);
    if (status) return finish(status, { ...base, summary: failureSummary(status, client.server, failed.error) }, now());
    return finish(
      "degraded",
      { ...base, summary: `Connected, but Regcred could not check its permissions: ${failed.error.message}.` },
      now(),
    );
  }
  base.missing = needed.filter((_, i) => {
    const r = reviews[i]!;
    return !(r.ok && r.value.allowed);
  });
  const granted = needed.length - base.missing.length;
  steps.push({
    step: "permissions",
    ok: base.missing.length === 0,
    ms: reviewMs,
    detail: `${granted} of ${needed.length} permissions granted`,
  });

  const asUser = base.user ? ` as ${base.user}` : "";
  const ver = base.version ? `Kubernetes ${base.version}` : client.server;
  if (base.missing.length === 0 && version.ok)
    return finish(
      "ok",
      { ...base, summary: `Connected to ${ver}${asUser}; all ${needed.length} permissions granted.` },
      now(),
    );
  const missingText =
    base.missing.length > 0
      ? `${base.missing.length} of ${needed.length} permissions are missing: ${base.missing.slice(0, 5).map(describePermission).join(", ")}${base.missing.length > 5 ? ", …" : ""}`
      : `the version check failed`;
  return finish("degraded", { ...base, summary: `Connected to ${ver}${asUser}, but ${missingText}.` }, now());
}
