import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { createTestPki, freePort, type Recorder, startRecorder, type TestPki } from "../../test/peers";

type Check = {
  status: string;
  summary: string;
  failedStep: string | null;
  steps: Array<{ step: string; ok: boolean; detail: string }>;
};

const ORG = "egress-org";
const TOKEN = "egress-bootstrap-token-0123456789abcdef";

let dir: string;
let child: ChildProcess;
let exited: Promise<number | null>;
let api: APIRequestContext;
let pki: TestPki;
let target: Recorder;

async function waitForServer(base: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null)
      throw new Error(
        `server exited with ${child.exitCode}: ${fs.readFileSync(path.join(dir, "server.log"), "utf8").slice(-2000)}`,
      );
    if (
      await fetch(`${base}/login`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("server did not start");
}

// A second server at production egress settings: REGCRED_EGRESS_ALLOW_LOOPBACK is not set.
test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-egress-"));
  pki = await createTestPki();
  target = await startRecorder({ tls: pki.server });
  const port = await freePort();
  const log = fs.openSync(path.join(dir, "server.log"), "w");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: "",
    REGCRED_DATA_DIR: path.join(dir, "data"),
    REGCRED_DEFAULT_ORG: ORG,
    REGCRED_BOOTSTRAP_TOKEN: TOKEN,
    REGCRED_ADMIN_PASSWORD: "egress-admin-password-123",
    REGCRED_CONTROLLER: "off",
    REGCRED_PASSWORD_SCRYPT_LOG_N: "12",
    LOG_LEVEL: "debug",
  };
  delete env.REGCRED_EGRESS_ALLOW_LOOPBACK;
  delete env.REGCRED_EGRESS_DENY_CIDRS;
  child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    stdio: ["ignore", log, log],
  });
  exited = new Promise((r) => child.on("exit", (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  await waitForServer(base);
  api = await playwright.request.newContext({
    baseURL: `${base}/api/orgs/${ORG}/`,
    extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
  });
});

test.afterAll(async () => {
  await api?.dispose();
  child?.kill("SIGTERM");
  await exited;
  await target?.stop();
  await pki?.remove();
});

async function checkOf(res: Awaited<ReturnType<APIRequestContext["post"]>>): Promise<Check> {
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Check;
}

// Every spelling of 127.0.0.1 a registry string allows; WHATWG URL parsing turns them all into 127.0.0.1.
const spellings = (port: number) => [
  `127.0.0.1:${port}`,
  `0x7f000001:${port}`,
  `2130706433:${port}`,
  `0177.0.0.1:${port}`,
  `127.1:${port}`,
  `0x7f.0.0.1:${port}`,
];

test("[egress] without REGCRED_EGRESS_ALLOW_LOOPBACK a loopback registry is refused by the policy, in every numeric spelling, before any connection", async () => {
  const canary = `canary-egress-${Date.now()}`;
  for (const [i, registry] of spellings(target.port).entries()) {
    await test.step(registry, async () => {
      target.reset();
      const unsaved = await checkOf(
        await api.post("registries/test", { data: { registry, type: "public", ca_cert: pki.ca.cert } }),
      );
      const id = `loop-${i}`;
      const res = await api.post("registries", {
        data: { id, registry, type: "basic", creds: { username: "alice", password: canary }, ca_cert: pki.ca.cert },
      });
      expect(res.status(), await res.text()).toBe(201);
      const stored = await checkOf(await api.post(`registries/${id}/test`));
      expect(target.connections(), `a check connected to ${registry}`).toBe(0);
      for (const r of [unsaved, stored]) {
        expect(r).toMatchObject({ status: "unreachable", failedStep: "policy" });
        expect(r.summary).toContain("127.0.0.1");
        expect(r.summary).toMatch(/loopback/);
        expect(r.summary).toContain("REGCRED_EGRESS_ALLOW_LOOPBACK");
        expect(r.steps.at(-1)).toMatchObject({ step: "policy", ok: false });
        const spelled = registry.replace(/:\d+$/, "");
        if (spelled !== "127.0.0.1") expect(r.summary).toContain(`(${spelled} is the IPv4 address 127.0.0.1)`);
      }
    });
  }
  expect(fs.readFileSync(path.join(dir, "server.log"), "utf8")).not.toContain(canary);
});

test("[egress] a name resolving only to loopback addresses is refused, naming each address", async () => {
  target.reset();
  const r = await checkOf(
    await api.post("registries/test", {
      data: { registry: `localhost:${target.port}`, type: "public", ca_cert: pki.ca.cert },
    }),
  );
  expect(target.connections()).toBe(0);
  expect(r).toMatchObject({ status: "unreachable", failedStep: "policy" });
  expect(r.summary).toContain("localhost");
  expect(r.summary).toContain("127.0.0.1");
  expect(r.steps.map((s) => `${s.step}:${s.ok ? "ok" : "fail"}`)).toEqual(["dns:ok", "policy:fail"]);
});
