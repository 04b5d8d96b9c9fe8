import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { freePort, type Peer, sleep, startProcess } from "./process";

export type AwsKeys = { accessKeyId: string; secretAccessKey: string };
export type MotoPeer = { url: string; started: Peer | null; stop: () => Promise<void> };
export type EcrIdentities = {
  /** allowed ecr:* on * */
  ecrUser: AwsKeys & { userName: string };
  /** no policy at all */
  noPolicyUser: AwsKeys & { userName: string };
  /** the password moto's GetAuthorizationToken hands out (AWS:<password>) */
  registryPassword: string;
  proxyEndpoint: string;
};

const region = "us-east-1";
const adminUser = "regcred-test-admin";
// While auth is off moto accepts any keys; these only sign the bootstrap calls.
const bootstrapKeys = { accessKeyId: "AKIAREGCREDBOOTSTRAP0", secretAccessKey: "regcred-bootstrap-not-a-secret" };

async function motoAnswers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function motoServerBin(): string {
  if (process.env.MOTO_SERVER_BIN) return process.env.MOTO_SERVER_BIN;
  const root = path.join(os.homedir(), ".cache/regcred/moto");
  const versions = existsSync(root) ? readdirSync(root).sort().reverse() : [];
  const bin = versions.map((v) => path.join(root, v, "venv/bin/moto_server")).find((p) => existsSync(p));
  if (!bin)
    throw new Error(
      `moto_server not found under ${root}/*/venv/bin: run REGCRED_INSTALL_STEPS=moto scripts/peers/install.sh, or set MOTO_URL`,
    );
  return bin;
}

/** The moto at MOTO_URL (it must answer), else a moto_server of our own on a free port. */
export async function ensureMoto(): Promise<MotoPeer> {
  const shared = process.env.MOTO_URL;
  if (shared) {
    if (!(await motoAnswers(shared))) throw new Error(`MOTO_URL=${shared} does not answer /moto-api/data.json`);
    return { url: shared, started: null, stop: async () => {} };
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "regcred-moto-"));
  const peer = await startProcess({
    name: "moto_server",
    cmd: motoServerBin(),
    args: ["-H", "127.0.0.1", "-p", String(port)],
    logFile: path.join(dir, "moto.log"),
    ready: () => motoAnswers(url),
    timeoutMs: 60_000,
  }).catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  const stop = async () => {
    await peer.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { url, started: peer, stop };
}

const iamFor = (url: string, keys: AwsKeys) =>
  new IAMClient({ region, endpoint: url, credentials: keys, maxAttempts: 1 });

/** Moto's model dump is readable without AWS auth; it holds access keys with their secrets. */
async function findAccessKey(url: string, userName: string): Promise<AwsKeys | null> {
  const res = await fetch(`${url}/moto-api/data.json`);
  const data = (await res.json()) as {
    iam?: {
      AccessKey?: Array<{ user_name: string; access_key_id: string; secret_access_key: string; status: string }>;
    };
  };
  const key = data.iam?.AccessKey?.find((k) => k.user_name === userName && k.status === "Active");
  return key ? { accessKeyId: key.access_key_id, secretAccessKey: key.secret_access_key } : null;
}

async function authEnabled(url: string): Promise<boolean> {
  try {
    await iamFor(url, bootstrapKeys).send(new GetUserCommand({ UserName: adminUser }));
    return false;
  } catch (err) {
    const name = (err as { name?: string }).name ?? "";
    return name === "InvalidClientTokenId" || name === "SignatureDoesNotMatch" || name === "AccessDenied";
  }
}

async function resetAuth(url: string, allowedUnauthenticatedCalls: number | "inf"): Promise<void> {
  const res = await fetch(`${url}/moto-api/reset-auth`, { method: "POST", body: String(allowedUnauthenticatedCalls) });
  if (!res.ok) throw new Error(`moto reset-auth answered ${res.status}`);
}

const ignoreExists = (err: unknown) => {
  if ((err as { name?: string }).name !== "EntityAlreadyExists") throw err;
};

/** Three IAM calls: the admin user, an inline "*" policy, an access key (the policy lands before the key). */
async function createAdmin(url: string): Promise<void> {
  const iam = iamFor(url, bootstrapKeys);
  await iam.send(new CreateUserCommand({ UserName: adminUser })).catch(ignoreExists);
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  });
  await iam.send(
    new PutUserPolicyCommand({ UserName: adminUser, PolicyName: "regcred-test-admin-all", PolicyDocument: policy }),
  );
  await iam.send(new CreateAccessKeyCommand({ UserName: adminUser }));
}

/**
 * Keys of a shared admin user. Several test files may share one moto and any of them may have
 * turned auth on already: the admin's key is read back from /moto-api/data.json; if it does not
 * exist yet and auth is on, a budget of exactly 3 unauthenticated calls creates it.
 */
async function adminKeys(url: string): Promise<AwsKeys> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await findAccessKey(url, adminUser);
    if (existing) return existing;
    try {
      if (await authEnabled(url)) {
        await resetAuth(url, 3);
        try {
          await createAdmin(url);
        } finally {
          await resetAuth(url, 0);
        }
      } else {
        await createAdmin(url);
      }
    } catch (err) {
      lastError = err;
      await sleep(200 + Math.random() * 300);
    }
  }
  const existing = await findAccessKey(url, adminUser);
  if (existing) return existing;
  throw new Error(`could not create the moto admin user: ${String(lastError)}`);
}

async function createUser(
  iam: IAMClient,
  userName: string,
  policyArn: string | null,
): Promise<AwsKeys & { userName: string }> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  if (policyArn) await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { userName, accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/**
 * Creates uniquely named IAM users (one allowed ecr:*, one with no policy) and turns moto's auth on
 * (POST /moto-api/reset-auth 0), so wrong keys really fail. Safe to call from several test files.
 */
export async function setupEcrIdentities(url: string): Promise<EcrIdentities> {
  const iam = iamFor(url, await adminKeys(url));
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const document = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }],
  });
  const { Policy } = await iam.send(
    new CreatePolicyCommand({ PolicyName: `regcred-ecr-all-${suffix}`, PolicyDocument: document }),
  );
  const ecrUser = await createUser(iam, `regcred-ecr-${suffix}`, Policy!.Arn!);
  const noPolicyUser = await createUser(iam, `regcred-noperm-${suffix}`, null);
  await resetAuth(url, 0);
  const ecr = new ECRClient({ region, endpoint: url, credentials: ecrUser, maxAttempts: 1 });
  const data = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  const decoded = Buffer.from(data?.authorizationToken ?? "", "base64").toString("utf8");
  if (!decoded.startsWith("AWS:")) throw new Error("moto's GetAuthorizationToken returned no AWS:<password> token");
  return { ecrUser, noPolicyUser, registryPassword: decoded.slice(4), proxyEndpoint: data?.proxyEndpoint ?? "" };
}

/**
 * Keys of a new IAM user allowed ecr:* in the partition of `region`: moto, like AWS, keeps IAM apart per partition
 * (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-eusc…), so keys of one are unknown in another. Auth stays on:
 * the three IAM calls are the unauthenticated budget of POST /moto-api/reset-auth.
 */
export async function setupEcrKeysInPartition(url: string, partitionRegion: string): Promise<AwsKeys> {
  const userName = `regcred-ecr-${partitionRegion}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const iam = new IAMClient({ region: partitionRegion, endpoint: url, credentials: bootstrapKeys, maxAttempts: 1 });
  const document = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }],
  });
  await resetAuth(url, 3);
  try {
    await iam.send(new CreateUserCommand({ UserName: userName }));
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "ecr-all", PolicyDocument: document }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  } finally {
    await resetAuth(url, 0);
  }
}

export type KeylessIdentities = {
  /** a role allowed ecr:*; its trust policy admits a web identity and `assumer` (with `externalId`, when given) */
  roleArn: string;
  /** allowed sts:AssumeRole (moto matches resources as "*"), nothing else: it mints only as the role */
  assumer: AwsKeys & { userName: string };
  /** allowed ecr:* but not sts:AssumeRole */
  noAssume: AwsKeys & { userName: string };
};

const allow = (action: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

/**
 * For keyless ECR: a user that may only assume a role, a user that may use ECR but not assume it, and the role
 * (allowed ecr:*). moto 5.2 checks AssumeRole against the role's trust policy, principal and sts:ExternalId
 * condition included; AssumeRoleWithWebIdentity it does not check. Turns moto's auth on, like setupEcrIdentities.
 */
export async function setupKeylessIdentities(
  url: string,
  opts: { externalId?: string } = {},
): Promise<KeylessIdentities> {
  const iam = iamFor(url, await adminKeys(url));
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const user = async (userName: string, document: string) => {
    const { User } = await iam.send(new CreateUserCommand({ UserName: userName }));
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "only", PolicyDocument: document }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    return {
      userName,
      arn: User!.Arn!,
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
    };
  };
  const { arn, ...assumer } = await user(`regcred-assumer-${suffix}`, allow("sts:AssumeRole"));
  const { arn: _, ...noAssume } = await user(`regcred-noassume-${suffix}`, allow("ecr:*"));
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/kube.test" },
        Action: "sts:AssumeRoleWithWebIdentity",
      },
      {
        Effect: "Allow",
        Principal: { AWS: arn },
        Action: "sts:AssumeRole",
        ...(opts.externalId ? { Condition: { StringEquals: { "sts:ExternalId": opts.externalId } } } : {}),
      },
    ],
  });
  const roleName = `regcred-ecr-role-${suffix}`;
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
  await iam.send(
    new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "ecr-all", PolicyDocument: allow("ecr:*") }),
  );
  await resetAuth(url, 0);
  return { roleArn: Role!.Arn!, assumer, noAssume };
}

export type StsCall = {
  action: string;
  /** the form parameters of the call (RoleArn, RoleSessionName, ExternalId, WebIdentityToken, …) */
  params: Record<string, string>;
  /** the access key id that signed it; null for an unsigned call (AssumeRoleWithWebIdentity) */
  signedBy: string | null;
  status: number;
};
export type StsRecorder = { url: string; calls: () => StsCall[]; reset: () => void; close: () => Promise<void> };

/**
 * A recording proxy in front of moto's STS: every call with its parameters, who signed it and moto's answer.
 * moto 5.2 with auth on answers an unsigned call (AssumeRoleWithWebIdentity, which AWS takes unsigned) with a 500
 * (it reads a missing Authorization header): for such a call the proxy grants a budget of one unauthenticated call
 * (POST /moto-api/reset-auth 1), which that call spends, so auth is on again for the next.
 */
export async function startStsRecorder(target: string): Promise<StsRecorder> {
  let calls: StsCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const params = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
      const signedBy = /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? null;
      // The Host header stays the proxy's: it is signed.
      const forward = () =>
        http
          .request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
            const answer: Buffer[] = [];
            up.on("data", (c: Buffer) => answer.push(c));
            up.on("end", () => {
              calls.push({ action: params.Action ?? "", params, signedBy, status: up.statusCode ?? 0 });
              res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(answer));
            });
          })
          .on("error", () => res.destroy())
          .end(body);
      if (req.headers.authorization) forward();
      else resetAuth(target, 1).then(forward, () => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => [...calls],
    reset: () => {
      calls = [];
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
