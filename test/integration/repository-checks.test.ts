import { type Stopper, startPeersOnce } from "../helpers/peer-setup";
import { randomBytes } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { registries } from "@/db/schema";
import { checkRepositoryAccess, type RepositoryCheck } from "@/lib/integrations/registry-v2/repository";
import { readRepositoryChecks } from "@/lib/readiness/check-repo";
import { type RepositoryTarget, runRepositoryChecks, type RunChecksInput } from "@/lib/readiness/checks";
import { buildRegistrySecretData, type SyncCredential } from "@/lib/sync/credentials";
import { backends, createOrg, queryRows, sql } from "@/test/helpers/db";
import { getEcrAuthorization } from "@/lib/integrations/ecr";
import {
  createTestPki,
  type EcrIdentities,
  type EcrTokenProxy,
  ensureMoto,
  freePort,
  type MotoPeer,
  pushImage,
  type RegistryPeer,
  requestRegistryToken,
  setupEcrIdentities,
  startEcrTokenProxy,
  startRegistry,
  startTokenServer,
  type TestPki,
  type TokenServer,
} from "@/test/peers";

// Canaries: none of these may appear in a check's detail or a stored row.
const alicePassword = `canary-alice-${randomBytes(12).toString("hex")}`;
const bobPassword = `canary-bob-${randomBytes(12).toString("hex")}`;
const adminPassword = `canary-admin-${randomBytes(12).toString("hex")}`;
const secrets = [alicePassword, bobPassword, adminPassword];
const service = "regcred-test-registry";
const issuer = "regcred-test-issuer";

let pki: TestPki;
let tokens: TokenServer;
let basic: RegistryPeer;
let tokenAuth: RegistryPeer;
let database: Database;
const stoppers: Stopper[] = [];
const digests: Record<string, string> = {};

const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function startPeers(): Promise<void> {
  pki = await createTestPki();
  stoppers.push(pki.remove);
  tokens = await startTokenServer({
    users: { bob: bobPassword, admin: adminPassword },
    signer: pki.tokenSigner,
    issuer,
    service,
    tls: pki.server,
    // bob may pull team/granted only; for anything else he gets a token without rights, as Docker Hub answers.
    grants: (user, access) => (user === "admin" ? access.actions : access.name === "team/granted" ? ["pull"] : []),
  });
  stoppers.push(tokens.stop);
  const started = await Promise.allSettled([
    startRegistry({ name: "htpasswd", tls: pki.server, auth: { htpasswd: { alice: alicePassword } } }),
    startRegistry({
      name: "token",
      tls: pki.server,
      auth: { token: { realm: tokens.realm, service, issuer, rootCertBundlePath: pki.ca.certPath } },
    }),
  ]);
  for (const s of started) if (s.status === "fulfilled") stoppers.push(s.value.stop);
  const failed = started.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  [basic, tokenAuth] = started.map((s) => (s as PromiseFulfilledResult<RegistryPeer>).value) as [
    RegistryPeer,
    RegistryPeer,
  ];
  const ca = pki.ca.cert;
  digests.app = await pushImage(basic, "team/app", "1.0", { ca, authorization: basicHeader("alice", alicePassword) });
  const token = `Bearer ${await adminToken(["team/granted", "team/other"])}`;
  digests.granted = await pushImage(tokenAuth, "team/granted", "1.0", { ca, authorization: token });
  digests.other = await pushImage(tokenAuth, "team/other", "1.0", { ca, authorization: token });
  database = await backends[0]!.open();
  stoppers.push(database.close);
}

/** A token with pull and push on the repositories. */
function adminToken(repositories: string[]): Promise<string> {
  return requestRegistryToken(tokens.realm, {
    service,
    ca: pki.ca.cert,
    user: "admin",
    password: adminPassword,
    scopes: repositories.map((r) => `repository:${r}:pull,push`),
  });
}

startPeersOnce(stoppers, startPeers, 180_000);

const egress = { allowLoopback: true, deny: [] };

async function check(
  host: string,
  repository: string,
  reference: string,
  creds: { username: string; password: string } | null,
  opts: Partial<{ egress: typeof egress }> = {},
): Promise<RepositoryCheck> {
  const result = await checkRepositoryAccess(host, repository, reference, creds, {
    timeoutMs: 10_000,
    ca: pki.ca.cert,
    egress,
    ...opts,
  });
  const json = JSON.stringify(result);
  for (const s of secrets) expect(json, "a secret leaked into the check").not.toContain(s);
  expect(json).not.toMatch(/Bearer [A-Za-z0-9]/);
  return result;
}

const alice = () => ({ username: "alice", password: alicePassword });
const bob = () => ({ username: "bob", password: bobPassword });

describe("[repository-checks] a registry with htpasswd (Basic) auth", () => {
  it("the right password pulls the tag and the digest: ok", async () => {
    const byTag = await check(basic.host, "team/app", "1.0", alice());
    // The ping and the manifest HEAD with Basic credentials.
    expect(byTag).toMatchObject({ outcome: "ok", step: "manifest", requests: 2 });
    expect(byTag.detail).toContain(digests.app);
    expect(await check(basic.host, "team/app", digests.app!, alice())).toMatchObject({ outcome: "ok" });
  });

  it("a wrong password: wrong_credentials, said by the /v2/ login", async () => {
    const got = await check(basic.host, "team/app", "1.0", { username: "alice", password: `${alicePassword}-x` });
    expect(got).toMatchObject({ outcome: "wrong_credentials", step: "auth" });
    expect(got.detail).toContain("rejected the credentials for alice");
  });

  it("a missing tag and a missing repository: not_found, naming which", async () => {
    const tag = await check(basic.host, "team/app", "no-such-tag", alice());
    expect(tag).toMatchObject({ outcome: "not_found", step: "manifest" });
    expect(tag.detail).toContain("has no tag no-such-tag");
    const repo = await check(basic.host, "team/nothing-here", "1.0", alice());
    expect(repo).toMatchObject({ outcome: "not_found" });
    expect(repo.detail).toContain("the repository");
    expect(repo.detail).toContain("does not exist");
  });

  it("no credentials: denied, and the detail says it cannot tell whether the repository exists", async () => {
    const got = await check(basic.host, "team/app", "1.0", null);
    expect(got.outcome).toBe("denied");
    expect(got.detail).toContain("no credentials are configured");
  });
});

describe("[repository-checks] a registry behind a token server with per-repository grants", () => {
  it("a repository the user may pull: ok", async () => {
    const got = await check(tokenAuth.host, "team/granted", "1.0", bob());
    // The ping, the token and the manifest HEAD.
    expect(got).toMatchObject({ outcome: "ok", step: "manifest", requests: 3 });
    expect(got.detail).toContain(digests.granted);
  });

  it("a wrong password: wrong_credentials, said by the token endpoint", async () => {
    const got = await check(tokenAuth.host, "team/granted", "1.0", { username: "bob", password: "wrong-password" });
    expect(got).toMatchObject({ outcome: "wrong_credentials", step: "token" });
    expect(got.detail).toContain("rejected the credentials for bob (401)");
  });

  it("an existing repository the user may not pull: no_access, not not_found nor wrong_credentials", async () => {
    const got = await check(tokenAuth.host, "team/other", "1.0", bob());
    expect(got).toMatchObject({ outcome: "no_access", step: "manifest" });
    expect(got.detail).toContain("grants no pull on team/other");
    expect(got.detail).toContain("insufficient_scope");
  });

  it("a missing tag in a granted repository: not_found", async () => {
    const got = await check(tokenAuth.host, "team/granted", "2.0", bob());
    expect(got).toMatchObject({ outcome: "not_found" });
    expect(got.detail).toContain("has no tag 2.0");
  });
});

describe("[repository-checks] registries that cannot answer", () => {
  it("a closed port: unreachable at connect", async () => {
    const port = await freePort();
    const got = await check(`127.0.0.1:${port}`, "team/app", "1.0", alice());
    expect(got).toMatchObject({ outcome: "unreachable", step: "connect", requests: 1 });
    expect(got.detail).toContain("connection refused");
  });

  it("the egress policy refuses the address: unreachable at policy, and no request reaches it", async () => {
    const got = await check(basic.host, "team/app", "1.0", alice(), { egress: { allowLoopback: false, deny: [] } });
    expect(got).toMatchObject({ outcome: "unreachable", step: "policy" });
  });

  it("a repository name that is not one: error before any request", async () => {
    const got = await check(basic.host, "../../v2/other", "1.0", alice());
    expect(got).toMatchObject({ outcome: "error", step: "input", requests: 0 });
  });
});

describe("[repository-checks] the runner caches outcomes in repository_checks", () => {
  let orgId: string;
  let credentials: Map<string, SyncCredential>;
  let regs: RunChecksInput["registries"];

  beforeEach(async () => {
    orgId = await createOrg(database.db, "repocheck");
    regs = [
      { id: "basic", type: "basic", registry: basic.host, caCert: pki.ca.cert },
      { id: "token", type: "basic", registry: tokenAuth.host, caCert: pki.ca.cert },
      { id: "wrong", type: "basic", registry: `${basic.host}/wrong`, caCert: pki.ca.cert },
      { id: "sealed", type: "basic", registry: `${basic.host}/sealed`, caCert: pki.ca.cert },
    ];
    for (const r of regs)
      await database.db
        .insert(registries)
        .values({ orgId, id: r.id, registry: r.registry, type: r.type, createdBy: "test" });
    const stored = (registry: string, username: string, password: string) =>
      buildRegistrySecretData({ registry, type: "basic" }, { username, password });
    credentials = new Map([
      ["basic", stored(basic.host, "alice", alicePassword)],
      ["token", stored(tokenAuth.host, "bob", bobPassword)],
      ["wrong", stored(`${basic.host}/wrong`, "alice", `wrong-${alicePassword}`)],
      ["sealed", { kind: "unavailable", reason: "the stored credentials could not be decrypted" }],
    ]);
  });

  const targets = (): RepositoryTarget[] => [
    { registryId: "basic", host: basic.host, repository: "team/app", reference: "1.0" },
    { registryId: "basic", host: basic.host, repository: "team/app", reference: "1.0" },
    { registryId: "basic", host: basic.host, repository: "team/app", reference: "missing" },
    { registryId: "token", host: tokenAuth.host, repository: "team/granted", reference: "1.0" },
    { registryId: "token", host: tokenAuth.host, repository: "team/other", reference: "1.0" },
    { registryId: "wrong", host: basic.host, repository: "wrong/app", reference: "1.0" },
    { registryId: "sealed", host: basic.host, repository: "sealed/app", reference: "1.0" },
  ];
  const run = (extra: Partial<RunChecksInput> = {}) =>
    runRepositoryChecks({
      db: database.db,
      orgId,
      registries: regs,
      credentials,
      targets: targets(),
      force: false,
      egress,
      limiter: new RateLimiterMemory({ points: 100, duration: 60 }),
      ...extra,
    });

  it("stores each outcome once, without a secret; a second run makes no request; force checks again", async () => {
    const first = await run();
    expect(first).toMatchObject({
      checked: 5,
      skippedFresh: 0,
      unavailable: 1,
      deferred: 0,
      outcomes: { ok: 2, not_found: 1, no_access: 1, wrong_credentials: 1 },
    });
    // ok 2 + 2 (Basic: ping, HEAD), not_found 3 (+ tags/list), token ok 3 and no_access 3 (ping, token, HEAD),
    // wrong_credentials 3 (ping, HEAD, /v2/ login).
    expect(first.requests).toBe(2 + 3 + 3 + 3 + 3);
    const rows = await readRepositoryChecks(database.db, orgId);
    const byRepo = Object.fromEntries(rows.map((r) => [`${r.repository}:${r.reference}`, r.outcome]));
    expect(byRepo).toEqual({
      "team/app:1.0": "ok",
      "team/app:missing": "not_found",
      "team/granted:1.0": "ok",
      "team/other:1.0": "no_access",
      "wrong/app:1.0": "wrong_credentials",
    });
    const table = await queryRows(database.db, sql`select * from repository_checks where org_id = ${orgId}`);
    const text = JSON.stringify(table);
    for (const s of [...secrets, Buffer.from(`alice:${alicePassword}`).toString("base64")])
      expect(text, "a secret reached repository_checks").not.toContain(s);

    const cached = await run();
    expect(cached).toMatchObject({ checked: 0, skippedFresh: 5, unavailable: 1, requests: 0 });

    const forced = await run({ force: true });
    expect(forced).toMatchObject({ checked: 5, skippedFresh: 0 });
    expect(forced.requests).toBeGreaterThan(0);
  });

  it("a failure goes stale sooner than a pull that works", async () => {
    const t0 = Date.now();
    await run({ now: () => new Date(t0) });
    const later = await run({ now: () => new Date(t0 + 11 * 60_000) });
    expect(later).toMatchObject({
      checked: 3,
      skippedFresh: 2,
      outcomes: { not_found: 1, no_access: 1, wrong_credentials: 1 },
    });
    const muchLater = await run({ now: () => new Date(t0 + 61 * 60_000) });
    expect(muchLater).toMatchObject({ checked: 5, skippedFresh: 0 });
  });

  it("over a host's rate limit, targets are left for the next run, not failed", async () => {
    const limiter = new RateLimiterMemory({ points: 2, duration: 60 });
    const first = await run({ limiter });
    // Two checks per host: the basic host has three targets with credentials, the token host two.
    expect(first).toMatchObject({ checked: 4, deferred: 1, unavailable: 1 });
    expect(await readRepositoryChecks(database.db, orgId)).toHaveLength(4);
    const next = await run({ limiter: new RateLimiterMemory({ points: 2, duration: 60 }) });
    expect(next).toMatchObject({ checked: 1, skippedFresh: 4, deferred: 0 });
    expect(await readRepositoryChecks(database.db, orgId)).toHaveLength(5);
  });

  it("rows go with their registry", async () => {
    await run();
    await database.db.execute(sql`delete from registries where org_id = ${orgId} and id = 'token'`);
    const left = await readRepositoryChecks(database.db, orgId);
    expect(left.map((r) => r.registryId).sort()).toEqual(["basic", "basic", "wrong"]);
  });
});

describe("[repository-checks] ECR: a token minted through moto pulls from the registry", () => {
  let moto: MotoPeer;
  let ecrProxy: EcrTokenProxy;
  let ecrRegistry: RegistryPeer;
  let ids: EcrIdentities;
  let ecrError: unknown;
  const ecrStoppers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    try {
      moto = await ensureMoto();
      ecrStoppers.push(moto.stop);
      ids = await setupEcrIdentities(moto.url);
      secrets.push(ids.ecrUser.secretAccessKey);
      ecrRegistry = await startRegistry({
        name: "ecr",
        tls: pki.server,
        auth: { htpasswd: { pusher: adminPassword, AWS: "no-token-yet" } },
      });
      ecrStoppers.push(ecrRegistry.stop);
      // Each token the proxy hands out becomes AWS's password at the registry, as ECR's would.
      ecrProxy = await startEcrTokenProxy({
        target: moto.url,
        onToken: async (t) => {
          secrets.push(t.password);
          await ecrRegistry.setUsers({ pusher: adminPassword, AWS: t.password });
        },
      });
      ecrStoppers.push(ecrProxy.close);
      await pushImage(ecrRegistry, "team/ecr-app", "1.0", {
        ca: pki.ca.cert,
        authorization: basicHeader("pusher", adminPassword),
      });
    } catch (err) {
      ecrError = err;
    }
  }, 180_000);

  afterAll(async () => {
    for (const stop of ecrStoppers.reverse()) await stop().catch(() => {});
  });

  it("the runner checks the repository with the minted token: ok, and a missing tag: not_found", async () => {
    if (ecrError) throw ecrError;
    const orgId = await createOrg(database.db, "repocheck-ecr");
    const registry = ecrRegistry.host;
    await database.db.insert(registries).values({ orgId, id: "ecr", registry, type: "amazon_ecr", createdBy: "test" });
    const minted = await getEcrAuthorization(
      `${orgId}/ecr`,
      { ...ids.ecrUser, region: "us-east-1" },
      {
        endpoint: ecrProxy.url,
        timeoutMs: 10_000,
      },
    );
    if (!minted.ok) throw new Error(minted.error.message);
    const { username, password, expiresAt } = minted.value;
    const token = { authorizationToken: Buffer.from(`${username}:${password}`).toString("base64"), expiresAt };
    const got = await runRepositoryChecks({
      db: database.db,
      orgId,
      registries: [{ id: "ecr", type: "amazon_ecr", registry, caCert: pki.ca.cert }],
      credentials: new Map([["ecr", buildRegistrySecretData({ registry, type: "amazon_ecr" }, token)]]),
      targets: [
        { registryId: "ecr", host: registry, repository: "team/ecr-app", reference: "1.0" },
        { registryId: "ecr", host: registry, repository: "team/ecr-app", reference: "2.0" },
      ],
      force: false,
      egress,
      limiter: new RateLimiterMemory({ points: 100, duration: 60 }),
    });
    expect(got).toMatchObject({ checked: 2, outcomes: { ok: 1, not_found: 1 } });
    const text = JSON.stringify(await readRepositoryChecks(database.db, orgId));
    for (const s of secrets) expect(text, "a secret reached repository_checks").not.toContain(s);
  });
});
