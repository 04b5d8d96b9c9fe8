import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRegistryCredentials } from "@/lib/credential-checks/check";
import type { CheckInput, CheckResult } from "@/lib/credential-checks/types";
import { stopController } from "@/lib/controller/runtime";
import { getEcrAuthorization, roleSessionName } from "@/lib/integrations/ecr";
import { setOrgDefaultChain } from "@/lib/orgs/repo";
import { createRegistry } from "@/lib/registries/service";
import {
  createTestPki,
  type EcrTokenProxy,
  ensureMoto,
  type KeylessIdentities,
  type MotoPeer,
  type RegistryPeer,
  setupKeylessIdentities,
  startEcrTokenProxy,
  loginStatus,
  startRegistry,
  startStsRecorder,
  type StsRecorder,
  type TestPki,
} from "@/test/peers";
import {
  createDeployment,
  decode,
  eventually,
  type Fixture,
  openFixture,
  readSecret,
  type TestScope,
  startTestController,
  testScope,
} from "./controller-fixture";

const ECR_HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const externalId = `regcred-${randomBytes(16).toString("hex")}`;
// A service-account token as the kubelet projects it; moto reads no claim of it.
const webIdentityToken = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: "system:serviceaccount:regcred:regcred" })).toString("base64url")}.c2ln`;
const serverSession = "regcred-test-server";

let moto: MotoPeer;
let pki: TestPki;
let ids: KeylessIdentities;
let registry: RegistryPeer;
let ecr: EcrTokenProxy;
let sts: StsRecorder;
let tokenDir: string;
let f: Fixture | undefined;
const secrets: string[] = [];
const savedEnv: Record<string, string | undefined> = {};

/** The server's own identity in this process only (restored afterwards): a web identity token file and role, no AWS keys. */
function useWebIdentityChain(tokenFile: string): void {
  const set: Record<string, string | undefined> = {
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_ROLE_ARN: ids.roleArn,
    AWS_ROLE_SESSION_NAME: serverSession,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: path.join(tokenDir, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tokenDir, "no-credentials"),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    // The controller's webhook: any free port, never a fixed one.
    REGCRED_WEBHOOK_PORT: "0",
  };
  for (const [k, v] of Object.entries(set)) {
    if (!(k in savedEnv)) savedEnv[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

beforeAll(async () => {
  moto = await ensureMoto();
  pki = await createTestPki();
  ids = await setupKeylessIdentities(moto.url, { externalId });
  secrets.push(ids.assumer.secretAccessKey, ids.noAssume.secretAccessKey);
  registry = await startRegistry({ name: "ecr-keyless", tls: pki.server, auth: { htpasswd: { AWS: "no-token-yet" } } });
  ecr = await startEcrTokenProxy({
    target: moto.url,
    onToken: async (t) => {
      secrets.push(t.password);
      await registry.setUsers({ AWS: t.password });
    },
  });
  sts = await startStsRecorder(moto.url);
  tokenDir = await mkdtemp(path.join(os.tmpdir(), "regcred-web-identity-"));
  await writeFile(path.join(tokenDir, "token"), webIdentityToken);
  useWebIdentityChain(path.join(tokenDir, "token"));
}, 180_000);

beforeEach(() => sts.reset());

afterAll(async () => {
  await stopController();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sts?.close();
  await ecr?.close();
  await registry?.stop();
  await pki?.remove();
  await moto?.stop();
  if (tokenDir) await rm(tokenDir, { recursive: true, force: true });
  await f?.database.close();
  f?.stopKube();
});

let n = 0;
const key = () => `org-keyless/reg-${process.pid}-${++n}`;

async function check(input: Partial<CheckInput>): Promise<CheckResult> {
  const result = await checkRegistryCredentials(
    {
      type: "amazon_ecr",
      registry: registry.host,
      region: "us-east-1",
      caCert: pki.ca.cert,
      creds: null,
      cacheKey: key(),
      ...input,
    },
    { timeoutMs: 10_000, ecrEndpoint: ecr.url, stsEndpoint: sts.url },
  );
  const json = JSON.stringify(result);
  for (const s of secrets) expect(json, "a secret leaked into the result").not.toContain(s);
  return result;
}

const stepNames = (r: CheckResult) => r.steps.map((s) => `${s.step}:${s.ok ? "ok" : "fail"}`);
const keysOf = (k: { accessKeyId: string; secretAccessKey: string }) => ({
  username: k.accessKeyId,
  password: k.secretAccessKey,
});

describe("[ecr-keyless] the server's default chain through a web identity token file (no AWS keys in the environment)", () => {
  it("AssumeRoleWithWebIdentity at moto's STS, GetAuthorizationToken as that role; the token logs in to the registry", async () => {
    expect(process.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    const mints = ecr.mints();
    const r = await check({ aws: { defaultChain: true } });
    expect(r.status).toBe("valid");
    expect(r.failedStep).toBeNull();
    expect(stepNames(r)).toEqual(["aws:ok", "dns:ok", "connect:ok", "tls:ok", "http:ok", "challenge:ok", "auth:ok"]);
    expect(r.proven).toBe(
      `ECR token from GetAuthorizationToken in us-east-1 as the server's AWS identity logged in to ${registry.host} as AWS`,
    );
    expect(ecr.mints() - mints).toBe(1);
    // The only STS call: unsigned, with the token from the file and the role from AWS_ROLE_ARN.
    expect(sts.calls()).toEqual([
      {
        action: "AssumeRoleWithWebIdentity",
        params: expect.objectContaining({
          RoleArn: ids.roleArn,
          RoleSessionName: serverSession,
          WebIdentityToken: webIdentityToken,
        }),
        signedBy: null,
        status: 200,
      },
    ]);
  });

  it("an org that may not use the server's identity: invalid, saying an instance admin can allow it, and no AWS call", async () => {
    const mints = ecr.mints();
    const r = await check({ aws: { defaultChain: false } });
    expect(r).toMatchObject({ status: "invalid", failedStep: "aws" });
    expect(r.summary).toMatch(/this org may not use the server's AWS identity \(an instance admin can allow it\)/);
    expect(sts.calls()).toEqual([]);
    expect(ecr.mints()).toBe(mints);
  });

  it("a server without any AWS identity: invalid, saying the server has no AWS credentials", async () => {
    const file = process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    try {
      const r = await check({ aws: { defaultChain: true } });
      expect(r).toMatchObject({ status: "invalid", failedStep: "aws" });
      expect(r.summary).toMatch(/the server has no AWS credentials of its own/);
    } finally {
      process.env.AWS_WEB_IDENTITY_TOKEN_FILE = file;
    }
  });
});

describe("[ecr-keyless] AssumeRole from static keys with the org's external ID", () => {
  it("the check runs sts, then aws, then the v2 login; STS got RoleArn, ExternalId and RoleSessionName, signed by the key", async () => {
    const cacheKey = key();
    const r = await check({
      cacheKey,
      creds: keysOf(ids.assumer),
      aws: { roleArn: ids.roleArn, externalId, defaultChain: false },
    });
    expect(r.status).toBe("valid");
    expect(stepNames(r)).toEqual([
      "sts:ok",
      "aws:ok",
      "dns:ok",
      "connect:ok",
      "tls:ok",
      "http:ok",
      "challenge:ok",
      "auth:ok",
    ]);
    expect(r.steps[0]!.detail).toBe(
      `AssumeRole ${ids.roleArn} from the access key, with the org's external ID: session ${roleSessionName(cacheKey)}`,
    );
    expect(r.proven).toContain(`as ${ids.roleArn} logged in to ${registry.host}`);
    expect(sts.calls()).toEqual([
      {
        action: "AssumeRole",
        params: expect.objectContaining({
          RoleArn: ids.roleArn,
          ExternalId: externalId,
          RoleSessionName: roleSessionName(cacheKey),
        }),
        signedBy: ids.assumer.accessKeyId,
        status: 200,
      },
    ]);
  });

  it("the same keys without the role: GetAuthorizationToken is refused (the key itself may only assume the role)", async () => {
    const r = await check({ creds: keysOf(ids.assumer) });
    expect(r).toMatchObject({ status: "invalid", failedStep: "aws" });
    expect(r.summary).toMatch(/AccessDenied/);
    expect(sts.calls()).toEqual([]);
  });

  it("a key without sts:AssumeRole: the failed step is sts, as a result, not an exception", async () => {
    const r = await check({ creds: keysOf(ids.noAssume), aws: { roleArn: ids.roleArn, externalId } });
    expect(r.status).toBe("invalid");
    expect(r.failedStep).toBe("sts");
    expect(stepNames(r)).toEqual(["sts:fail"]);
    expect(r.summary).toMatch(
      new RegExp(
        `^sts: AssumeRole ${ids.roleArn.replace(/[/.]/g, "\\$&")} failed: AccessDenied .*not authorized to perform: sts:AssumeRole`,
      ),
    );
    expect(sts.calls()).toMatchObject([{ action: "AssumeRole", signedBy: ids.noAssume.accessKeyId, status: 403 }]);
  });

  it("the token cache keys on the whole source: the same source reuses, another external ID or no role asks AWS again", async () => {
    const cacheKey = key();
    const opts = { region: "us-east-1", endpoint: ecr.url, stsEndpoint: sts.url, timeoutMs: 10_000 };
    const source = { ...ids.assumer, roleArn: ids.roleArn, externalId };
    const mints = ecr.mints();
    const first = await getEcrAuthorization(cacheKey, source, opts);
    const again = await getEcrAuthorization(cacheKey, source, opts);
    const otherId = await getEcrAuthorization(cacheKey, { ...source, externalId: `${externalId}0` }, opts);
    const noRole = await getEcrAuthorization(cacheKey, { ...source, roleArn: null }, opts);
    expect([first, again].map((r) => r.ok && r.value.reused)).toEqual([false, true]);
    // moto 5.2 checks the trust policy's sts:ExternalId condition when one is sent: another org's ID is refused.
    expect(otherId).toMatchObject({ ok: false, error: { step: "sts", code: "AccessDenied" } });
    // Without the role the key has no ECR permission: the cached role's token is not handed out instead.
    expect(noRole).toMatchObject({ ok: false, error: { step: "aws", code: "AccessDenied" } });
    expect(ecr.mints() - mints).toBe(1);
    expect(sts.calls().map((c) => c.params.ExternalId)).toEqual([externalId, `${externalId}0`]);
  });
});

/** The status of GET /v2/ on the registry with `AWS:<password>`, as a kubelet pulling with that secret logs in. */
const logsIn = (password: string) => loginStatus(registry, pki.ca.cert, "AWS", password);

describe("[ecr-keyless] controller", () => {
  afterEach(async () => {
    await stopController();
  });

  async function run(scope: TestScope): Promise<void> {
    await startTestController(f!, scope, { ecrEndpoint: ecr.url });
  }

  it("a keyless registry (no keys: the server's web identity) gets its secret into a namespace, and the token logs in", async () => {
    f ??= await openFixture();
    const s = await testScope(f, "keyless");
    await setOrgDefaultChain(f.db, s.ctx.actor.orgId, true);
    const ns = await s.namespace("a");
    await createRegistry(s.ctx, { id: "ecr-keyless", registry: ECR_HOST, type: "amazon_ecr" });
    await run(s);
    await createDeployment(f, ns, "web", `${ECR_HOST}/team/web:1.0`);
    const secret = await eventually(() => readSecret(f!, ns, "regcred-ecr-keyless"), "the secret in the namespace");
    const auth = JSON.parse(decode(secret.data?.[".dockerconfigjson"])).auths[ECR_HOST];
    expect(auth.username).toBe("AWS");
    expect(auth.password).toBe(ecr.handedOut().at(-1)!.password);
    expect(await logsIn(auth.password)).toBe(200);
    expect(sts.calls().map((c) => c.action)).toContain("AssumeRoleWithWebIdentity");
  });
});
