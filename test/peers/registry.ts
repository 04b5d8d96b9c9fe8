import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rename, rm, utimes, writeFile } from "node:fs/promises";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { freePort, type Peer, startProcess } from "./process";

export type RegistryAuth =
  | { htpasswd: Record<string, string> }
  | { token: { realm: string; service: string; issuer: string; rootCertBundlePath: string } };

export type RegistryPeer = Peer & {
  host: string;
  port: number;
  url: string;
  /** htpasswd registries: replaces the users (the registry re-reads its htpasswd file when it changes). */
  setUsers: (users: Record<string, string>) => Promise<void>;
};

/** Debian's docker-registry (distribution 2.8): REGISTRY_BIN, else the path scripts/peers/install.sh uses. */
export function registryBin(): string {
  const bin =
    process.env.REGISTRY_BIN || path.join(os.homedir(), ".cache/regcred/docker-registry/root/usr/bin/docker-registry");
  if (!existsSync(bin))
    throw new Error(
      `docker-registry not found at ${bin}: run REGCRED_INSTALL_STEPS=registry scripts/peers/install.sh or set REGISTRY_BIN`,
    );
  return bin;
}

/** bcrypt-only htpasswd, as distribution requires. */
export function htpasswd(users: Record<string, string>): string {
  return Object.entries(users)
    .map(([user, password]) => `${user}:${bcrypt.hashSync(password, 5)}\n`)
    .join("");
}

function answers(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get({ host: address, port, path: "/v2/", rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once("error", () => resolve(false));
    req.once("timeout", () => req.destroy());
  });
}

let lastWrite = 0;

/**
 * Written beside and renamed into place, so the registry never reads half a file. The registry re-reads the
 * file when its modification time changes: each write gets a later one, even two writes in one clock tick.
 */
async function writeHtpasswd(dir: string, users: Record<string, string>): Promise<void> {
  const tmp = path.join(dir, `htpasswd.${randomBytes(4).toString("hex")}`);
  await writeFile(tmp, htpasswd(users));
  lastWrite = Math.max(Date.now(), lastWrite + 1000);
  await utimes(tmp, lastWrite / 1000, lastWrite / 1000);
  await rename(tmp, path.join(dir, "htpasswd"));
}

async function writeConfig(
  dir: string,
  hostPort: string,
  tls: { certPath: string; keyPath: string },
  auth: RegistryAuth,
): Promise<string> {
  let authConfig: Record<string, unknown>;
  if ("htpasswd" in auth) {
    const file = path.join(dir, "htpasswd");
    await writeHtpasswd(dir, auth.htpasswd);
    authConfig = { htpasswd: { realm: "regcred-test", path: file } };
  } else {
    const t = auth.token;
    authConfig = {
      token: { realm: t.realm, service: t.service, issuer: t.issuer, rootcertbundle: t.rootCertBundlePath },
    };
  }
  const config = {
    version: "0.1",
    log: { level: "warn", accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: path.join(dir, "data") }, delete: { enabled: true } },
    http: {
      addr: hostPort,
      secret: randomBytes(16).toString("hex"),
      tls: { certificate: tls.certPath, key: tls.keyPath },
    },
    auth: authConfig,
  };
  const file = path.join(dir, "config.yml");
  // YAML is a superset of JSON.
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * Starts a registry on a free port of 127.0.0.1 (or `address`, such as "::1") serving TLS with the given certificate;
 * retries on a port clash. `host` is "127.0.0.1:<port>" or "[::1]:<port>".
 */
export async function startRegistry(opts: {
  name?: string;
  tls: { certPath: string; keyPath: string };
  auth: RegistryAuth;
  address?: string;
}): Promise<RegistryPeer> {
  const address = opts.address ?? "127.0.0.1";
  const literal = address.includes(":") ? `[${address}]` : address;
  const bin = registryBin();
  const dir = await mkdtemp(path.join(os.tmpdir(), "regcred-registry-"));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = await writeConfig(dir, `${literal}:${port}`, opts.tls, opts.auth);
    try {
      const peer = await startProcess({
        name: `docker-registry ${opts.name ?? ""}`.trim(),
        cmd: bin,
        args: ["serve", config],
        logFile: path.join(dir, "registry.log"),
        env: { PATH: process.env.PATH, HOME: dir },
        ready: () => answers(address, port),
        timeoutMs: 20_000,
      });
      const stop = async () => {
        await peer.stop();
        await rm(dir, { recursive: true, force: true });
      };
      const setUsers = async (users: Record<string, string>) => {
        if (!("htpasswd" in opts.auth)) throw new Error("setUsers needs an htpasswd registry");
        await writeHtpasswd(dir, users);
      };
      return { ...peer, stop, setUsers, host: `${literal}:${port}`, port, url: `https://${literal}:${port}` };
    } catch (err) {
      lastError = err;
      if (!String(err).includes("address already in use")) break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

type Pushed = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function request(
  url: URL,
  opts: { method: string; ca: string; headers?: Record<string, string>; body?: Buffer },
): Promise<Pushed> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: opts.method, ca: opts.ca, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.once("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.once("error", reject);
    req.end(opts.body);
  });
}

const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

async function pushBlob(base: string, repository: string, blob: Buffer, ca: string, authorization: string) {
  const started = await request(new URL(`${base}/v2/${repository}/blobs/uploads/`), {
    method: "POST",
    ca,
    headers: { authorization, "content-length": "0" },
  });
  if (started.status !== 202)
    throw new Error(`blob upload to ${repository} answered ${started.status}: ${started.body}`);
  const location = new URL(String(started.headers.location), base);
  location.searchParams.set("digest", sha256(blob));
  const put = await request(location, {
    method: "PUT",
    ca,
    headers: { authorization, "content-type": "application/octet-stream", "content-length": String(blob.length) },
    body: blob,
  });
  if (put.status !== 201) throw new Error(`blob PUT to ${repository} answered ${put.status}: ${put.body}`);
}

/**
 * Pushes a minimal OCI image (a config and one layer of random bytes) as `repository:tag` over the v2 API, with the
 * given Authorization (Basic for htpasswd registries, a Bearer token with push for token ones). Returns its digest.
 */
export async function pushImage(
  registry: { url: string },
  repository: string,
  tag: string,
  opts: { ca: string; authorization: string },
): Promise<string> {
  const config = Buffer.from(
    JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }),
  );
  const layer = randomBytes(64);
  for (const blob of [config, layer]) await pushBlob(registry.url, repository, blob, opts.ca, opts.authorization);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha256(layer), size: layer.length }],
    }),
  );
  const put = await request(new URL(`${registry.url}/v2/${repository}/manifests/${tag}`), {
    method: "PUT",
    ca: opts.ca,
    headers: {
      authorization: opts.authorization,
      "content-type": "application/vnd.oci.image.manifest.v1+json",
      "content-length": String(manifest.length),
    },
    body: manifest,
  });
  if (put.status !== 201) throw new Error(`manifest PUT to ${repository}:${tag} answered ${put.status}: ${put.body}`);
  return sha256(manifest);
}

/** The status of `GET /v2/` with Basic credentials, as a kubelet pulling with them logs in (200: accepted). */
export function loginStatus(registry: { url: string }, ca: string, user: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(
        `${registry.url}/v2/`,
        { ca, headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
      .on("error", reject);
  });
}
