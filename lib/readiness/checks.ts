import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Db } from "@/db/client";
import type { RepositoryOutcome } from "@/db/schema/registries";
import { redactDeep, secretsOf } from "@/lib/credential-checks/redact";
import { env } from "@/lib/env";
import { checkRepositoryAccess, type RepositoryCheck } from "@/lib/integrations/registry-v2/repository";
import type { V2Credentials } from "@/lib/integrations/registry-v2/handshake";
import { describeError, log } from "@/lib/log";
import type { EgressPolicy } from "@/lib/net/egress";
import { configuredEgressPolicy } from "@/lib/net/egress-policy";
import { consumePoint } from "@/lib/rate-limit";
import type { RegistryType } from "@/lib/registries/schema";
import type { SyncCredential } from "@/lib/sync/credentials";
import { readRepositoryChecks, type StoredRepositoryCheck, upsertRepositoryCheck } from "./check-repo";
import { pullCredentials } from "./pull-credentials";
import { repositoryCheckKey, type RepositoryTarget } from "./targets";

export type { RepositoryTarget } from "./targets";

export type RunChecksInput = {
  db: Db;
  orgId: string;
  registries: ReadonlyArray<{ id: string; type: RegistryType; registry: string; caCert: string | null }>;
  /** From resolveCredentials: dockerconfig / copy / unavailable per registry id (public registries need none). */
  credentials: ReadonlyMap<string, SyncCredential>;
  targets: readonly RepositoryTarget[];
  /** true: check even targets whose stored check is still fresh (a manager's re-check). */
  force: boolean;
  now?: () => Date;
  egress?: EgressPolicy;
  timeoutMs?: number;
  /** Checks started per registry host; the process-wide one (REGCRED_REPOSITORY_CHECK_RATE_PER_MINUTE) when omitted. */
  limiter?: RateLimiterMemory;
  concurrency?: number;
};

export type RunChecksResult = {
  /** Targets checked now (and stored). */
  checked: number;
  /** Targets whose stored check was still fresh. */
  skippedFresh: number;
  /** Targets whose registry credentials are unavailable (nothing stored: the verdict says credentials_unavailable). */
  unavailable: number;
  /** Targets left for the next run by the per-host rate limit. */
  deferred: number;
  /** Checks made now, by outcome (RepositoryOutcome keys). */
  outcomes: Record<string, number>;
  /** HTTP requests made to registries and token endpoints. */
  requests: number;
};

type Due = { target: RepositoryTarget; creds: V2Credentials | null; ca: string | null };

/** A run that checked nothing: the start of every count. */
export function emptyChecksResult(): RunChecksResult {
  return { checked: 0, skippedFresh: 0, unavailable: 0, deferred: 0, outcomes: {}, requests: 0 };
}

let sharedLimiter: RateLimiterMemory | undefined;

function defaultLimiter(): RateLimiterMemory {
  sharedLimiter ??= new RateLimiterMemory({ points: env().REGCRED_REPOSITORY_CHECK_RATE_PER_MINUTE, duration: 60 });
  return sharedLimiter;
}

/** How long a check stays fresh: a pull that works longest, an unreachable registry shortest. */
export function freshFor(outcome: RepositoryOutcome): number {
  const e = env();
  if (outcome === "ok") return e.REGCRED_REPOSITORY_CHECK_TTL_MS;
  if (outcome === "unreachable") return e.REGCRED_REPOSITORY_CHECK_UNREACHABLE_TTL_MS;
  return e.REGCRED_REPOSITORY_CHECK_FAILURE_TTL_MS;
}

function dedupe(targets: readonly RepositoryTarget[]): RepositoryTarget[] {
  const seen = new Map<string, RepositoryTarget>();
  for (const t of targets) seen.set(`${repositoryCheckKey(t)}\u0000${t.host.toLowerCase()}`, t);
  return [...seen.values()];
}

async function checkOne(due: Due, input: RunChecksInput): Promise<RepositoryCheck> {
  const { host, repository, reference } = due.target;
  const opts = {
    timeoutMs: input.timeoutMs ?? env().REGCRED_CHECK_TIMEOUT_MS,
    ca: due.ca,
    egress: input.egress ?? configuredEgressPolicy(),
  };
  try {
    const check = await checkRepositoryAccess(host, repository, reference, due.creds, opts);
    return redactDeep(check, secretsOf(due.creds));
  } catch (err) {
    log.error("a repository check failed unexpectedly", { registry: due.target.registryId, ...describeError(err) });
    return { outcome: "error", step: "internal", detail: "the check failed unexpectedly", requests: 0 };
  }
}

async function store(input: RunChecksInput, due: Due, check: RepositoryCheck, now: Date): Promise<void> {
  const { registryId, repository, reference } = due.target;
  const freshUntil = new Date(now.getTime() + freshFor(check.outcome));
  const { outcome, step, detail } = check;
  const row: StoredRepositoryCheck = {
    registryId,
    repository,
    reference,
    outcome,
    step,
    detail,
    checkedAt: now,
    freshUntil,
  };
  try {
    await upsertRepositoryCheck(input.db, input.orgId, row);
  } catch (err) {
    // The registry may have been deleted meanwhile (its rows cascade away); the next run has nothing to store.
    log.warn("a repository check could not be stored", { registry: registryId, ...describeError(err) });
  }
}

async function pool<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await each(item);
  };
  await Promise.all(Array.from({ length: Math.min(size, queue.length) }, worker));
}

/** The targets to check now: not fresh (unless forced), with credentials, and within the per-host rate limit. */
async function selectDue(input: RunChecksInput, result: RunChecksResult, now: Date): Promise<Due[]> {
  const stored = new Map((await readRepositoryChecks(input.db, input.orgId)).map((c) => [repositoryCheckKey(c), c]));
  const registries = new Map(input.registries.map((r) => [r.id, r]));
  const limiter = input.limiter ?? defaultLimiter();
  const due: Due[] = [];
  for (const target of dedupe(input.targets)) {
    const row = stored.get(repositoryCheckKey(target));
    if (!input.force && row && row.freshUntil > now) {
      result.skippedFresh += 1;
      continue;
    }
    const registry = registries.get(target.registryId);
    const creds = registry ? pullCredentials(registry, input.credentials.get(registry.id), target) : "unavailable";
    if (creds === "unavailable" || !registry) {
      result.unavailable += 1;
      continue;
    }
    if ((await consumePoint(limiter, target.host.toLowerCase())) !== null) {
      result.deferred += 1;
      continue;
    }
    due.push({ target, creds, ca: registry.caCert });
  }
  return due;
}

/**
 * Checks the org's repository targets with their registries' credentials and caches each outcome with a TTL. Fresh
 * checks are kept unless `force`; at most `concurrency` run at once; a target over its host's rate limit waits.
 */
export async function runRepositoryChecks(input: RunChecksInput): Promise<RunChecksResult> {
  const now = input.now ?? (() => new Date());
  const result = emptyChecksResult();
  const due = await selectDue(input, result, now());
  const concurrency = input.concurrency ?? env().REGCRED_REPOSITORY_CHECK_CONCURRENCY;
  await pool(due, concurrency, async (d) => {
    const check = await checkOne(d, input);
    await store(input, d, check, now());
    result.checked += 1;
    result.requests += check.requests;
    result.outcomes[check.outcome] = (result.outcomes[check.outcome] ?? 0) + 1;
  });
  return result;
}
