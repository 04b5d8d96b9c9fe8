import "server-only";
import { authorize } from "../auth/authenticate";
import { recordAudit } from "../audit/repo";
import { clientForCluster } from "../clusters/client";
import type { ClusterRow } from "../clusters/repo";
import type { Ctx } from "../context";
import { resolveCredentials } from "../controller/credentials";
import type { PassContext } from "../controller/types";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { env } from "../env";
import { AppError } from "../errors";
import { consumePoint } from "../rate-limit";
import { ok } from "../result";
import { describeError, log } from "../log";
import { emptyChecksResult, type RunChecksResult, runRepositoryChecks } from "./checks";
import { repositoryCheckKey, type RepositoryTarget } from "./targets";
import type { RecheckResult } from "./schema";
import { type ClusterEvaluation, evaluateOrgReadiness, type OrgScope, type ReadinessOptions } from "./service";

type CheckOptions = ReadinessOptions & { force: boolean; ecrEndpoint?: string; clock?: () => Date };

function add(into: RunChecksResult, more: RunChecksResult): void {
  for (const k of ["checked", "skippedFresh", "unavailable", "deferred", "requests"] as const) into[k] += more[k];
  for (const [outcome, n] of Object.entries(more.outcomes))
    into.outcomes[outcome as keyof RunChecksResult["outcomes"]] =
      (into.outcomes[outcome as keyof RunChecksResult["outcomes"]] ?? 0) + n;
}

/** One cluster's targets with the credentials Regcred would write there (secret_ref sources read in that cluster). */
async function checkCluster(
  scope: OrgScope,
  c: ClusterEvaluation,
  targets: RepositoryTarget[],
  registries: Awaited<ReturnType<typeof evaluateOrgReadiness>>["registries"],
  opts: CheckOptions,
): Promise<RunChecksResult> {
  const used = new Set(targets.map((t) => t.registryId));
  const rows = registries.filter((r) => used.has(r.id));
  const e = env();
  const timeoutMs = opts.timeoutMs ?? e.REGCRED_CHECK_TIMEOUT_MS;
  const held = new Map((c.objects?.secrets ?? []).map((s) => [`${s.namespace}/${s.name}`, s]));
  const { credentials } = await resolveCredentials(rows, {
    keyring: scope.keyring,
    readSecret: async (namespace, name) => {
      const cached = held.get(`${namespace}/${name}`);
      if (cached) return ok(cached);
      const client = opts.clientFor
        ? opts.clientFor(c.row, timeoutMs)
        : clientForCluster(scope.keyring, c.row, { timeoutMs });
      return client.getSecret(namespace, name);
    },
    clusterName: c.row.name,
    secretRefNamespaces: c.row.secretRefNamespaces,
    now: opts.clock ?? (() => opts.now ?? new Date()),
    timeoutMs,
    ecrEndpoint: opts.ecrEndpoint ?? e.REGCRED_ECR_ENDPOINT ?? e.AWS_ENDPOINT_URL_ECR,
  });
  return runRepositoryChecks({
    db: scope.db,
    orgId: scope.orgId,
    registries: rows.map((r) => ({ id: r.id, type: r.type, registry: r.registry, caCert: r.caCert })),
    credentials,
    targets,
    force: opts.force,
    ...(opts.clock ? { now: opts.clock } : opts.now ? { now: () => opts.now! } : {}),
    timeoutMs,
  });
}

/**
 * Checks the repositories the workloads of the wanted clusters pull, each (registry, repository, reference) once
 * even when several clusters pull it; fresh checks are kept unless `force`.
 */
export async function checkRepositories(
  scope: OrgScope,
  wanted: (row: ClusterRow) => boolean,
  opts: CheckOptions,
): Promise<RunChecksResult> {
  const { clusters, registries } = await evaluateOrgReadiness(scope, wanted, opts);
  const seen = new Set<string>();
  const total = emptyChecksResult();
  for (const c of clusters) {
    const mine = c.targets.filter((t) => {
      const key = repositoryCheckKey(t);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (mine.length > 0) add(total, await checkCluster(scope, c, mine, registries, opts));
  }
  return total;
}

// One re-check per org at a time: a second press joins the running one.
const running = new Map<string, Promise<RunChecksResult>>();
// A new re-check at most every 10 s per org (per replica): a button held down must not hammer the registries.
const RECHECK_SECONDS = 10;
const starts = new RateLimiterMemory({ points: 1, duration: RECHECK_SECONDS });

/** A re-check refused because one started moments ago; `retryAfterSeconds` becomes the Retry-After header. */
export class RecheckLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", `A re-check started moments ago; try again in ${retryAfterSeconds} s.`);
  }
}

/** A manager's re-check: every repository the org's workloads pull, checked now (TTL ignored); audited. */
export async function recheckReadiness(ctx: Ctx, opts: ReadinessOptions = {}): Promise<RecheckResult> {
  authorize(ctx.actor, "manager");
  const orgId = ctx.actor.orgId;
  let run = running.get(orgId);
  if (!run) {
    const wait = await consumePoint(starts, orgId);
    if (wait !== null) throw new RecheckLimitedError(wait);
    run = checkRepositories({ db: ctx.db, keyring: ctx.keyring, orgId }, () => true, { ...opts, force: true });
    running.set(orgId, run);
    void run.finally(() => running.delete(orgId)).catch(() => undefined);
  }
  const result = await run;
  await recordAudit(ctx.db, ctx.actor, "readiness.recheck", orgId, {
    checked: result.checked,
    deferred: result.deferred,
  });
  return {
    checked: result.checked,
    outcomes: { ...result.outcomes, ...(result.deferred ? { deferred: result.deferred } : {}) },
    checked_at: (opts.now ?? new Date()).toISOString(),
  };
}

const lastScheduled = new Map<string, number>();
const inFlight = new Set<string>();

/**
 * The scheduled checks of one cluster after a controller pass: stale or new repositories only, at most once per
 * `REGCRED_REPOSITORY_CHECK_INTERVAL_MS`, never overlapping; a failure is logged, never thrown.
 */
export async function scheduleRepositoryChecks(scope: OrgScope, cluster: ClusterRow, pass: PassContext): Promise<void> {
  const last = lastScheduled.get(cluster.id) ?? 0;
  if (inFlight.has(cluster.id) || Date.now() - last < env().REGCRED_REPOSITORY_CHECK_INTERVAL_MS) return;
  inFlight.add(cluster.id);
  lastScheduled.set(cluster.id, Date.now());
  try {
    const result = await checkRepositories(scope, (row) => row.id === cluster.id, {
      force: false,
      clock: pass.now,
      ecrEndpoint: pass.ecrEndpoint,
    });
    if (result.checked > 0) log.info("repository checks", { cluster: cluster.name, ...result });
  } catch (err) {
    log.warn("scheduled repository checks failed", { cluster: cluster.name, ...describeError(err) });
  } finally {
    inFlight.delete(cluster.id);
  }
}
