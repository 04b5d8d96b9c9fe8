import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { type OwnServer, startOwnServer, tempDataDir } from "../own-server";

const token = "key-rotation-test-token-0123456789abcdef";
const keyA = randomBytes(32).toString("hex");
const keyB = randomBytes(32).toString("hex");
const password = `rotation-canary-${randomBytes(6).toString("hex")}`;
const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };

function kubeconfig(): string {
  const file = process.env.KUBECONFIG_ADMIN;
  if (!file)
    throw new Error("KUBECONFIG_ADMIN is not set: start the peers with scripts/peers/up.sh and source their env file.");
  return fs.readFileSync(file, "utf8");
}

async function call(
  server: OwnServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/api/orgs/default/${path}`, {
    method,
    headers: auth,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Every sealed value opens: the registry's stored password comes back and the cluster's kubeconfig connects. */
async function expectEverythingDecrypts(server: OwnServer, clusterId: string): Promise<void> {
  const creds = await call(server, "GET", "registries/rotated/creds");
  expect(creds.status).toBe(200);
  expect(creds.json.password).toBe(password);
  const tested = await call(server, "POST", `clusters/${clusterId}/test`);
  expect(tested.status).toBe(200);
  expect(tested.json.status).toBe("ok");
}

async function withServer<T>(env: Record<string, string>, fn: (server: OwnServer) => Promise<T>): Promise<T> {
  const server = await startOwnServer({ REGCRED_BOOTSTRAP_TOKEN: token, ...env });
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

function reseal(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync("scripts/reseal.sh", [], {
    env: { ...process.env, DATABASE_URL: "", REGCRED_ENCRYPTION_KEYS: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("[keys] rotate the encryption key: old keys decrypt, scripts/reseal.sh re-seals everything, the old key alone then fails clearly", async () => {
  test.setTimeout(300_000);
  const dir = tempDataDir("rotation");
  const clusterId = await withServer({ REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: keyA }, async (server) => {
    const registry = {
      id: "rotated",
      registry: "rotated.example.com",
      type: "basic",
      enable_ci: true,
      creds: { username: "robot", password },
    };
    expect((await call(server, "POST", "registries", registry)).status).toBe(201);
    const cluster = await call(server, "POST", "clusters", { name: "rotated", kubeconfig: kubeconfig() });
    expect(cluster.status).toBe(201);
    await expectEverythingDecrypts(server, String(cluster.json.id));
    return String(cluster.json.id);
  });

  await withServer({ REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: keyB, REGCRED_ENCRYPTION_KEYS: keyA }, (server) =>
    expectEverythingDecrypts(server, clusterId),
  );

  const first = reseal({ REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: keyB, REGCRED_ENCRYPTION_KEYS: keyA });
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toContain("registries.creds_sealed: 1 re-sealed, 0 already current");
  expect(first.stdout).toContain("clusters.kubeconfig_sealed: 1 re-sealed, 0 already current");
  const again = reseal({ REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: keyB, REGCRED_ENCRYPTION_KEYS: keyA });
  expect(again.status, again.stderr).toBe(0);
  expect(again.stdout).toContain("registries.creds_sealed: 0 re-sealed, 1 already current");
  for (const output of [first.stdout, first.stderr, again.stdout, again.stderr]) {
    for (const secret of [password, keyA, keyB, "client-key-data"]) expect(output).not.toContain(secret);
  }

  await withServer({ REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: keyB }, (server) =>
    expectEverythingDecrypts(server, clusterId),
  );

  const oldOnly = reseal({ REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: keyA });
  expect(oldOnly.status).toBe(1);
  expect(oldOnly.stderr).toMatch(/registries\.creds_sealed sealed with key id [0-9a-f]{12}.*Nothing was re-sealed/s);
  await expect(
    startOwnServer({ REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: keyA, REGCRED_BOOTSTRAP_TOKEN: token }),
  ).rejects.toThrow(
    /Sealed values cannot be decrypted with the configured keys: 1 in registries\.creds_sealed sealed with key id [0-9a-f]{12}; 1 in clusters\.kubeconfig_sealed/,
  );
});
