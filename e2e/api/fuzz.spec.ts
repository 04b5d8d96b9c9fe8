import { spawn } from "node:child_process";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../fixtures";
import { BASE_URL, BOOTSTRAP_TOKEN, ORG } from "../env";

type Listed = { id?: string; userId?: string; revokedAt?: string | null };
type Snapshot = Record<"registries" | "clusters" | "tokens" | "users", Set<string>>;

const keyOf = (item: Listed) => item.id ?? item.userId ?? "";

async function ids(api: APIRequestContext, path: string): Promise<Set<string>> {
  const res = await api.get(path);
  expect(res.status(), `GET ${path}`).toBe(200);
  return new Set(((await res.json()) as Listed[]).filter((item) => !item.revokedAt).map(keyOf));
}

async function snapshot(api: APIRequestContext): Promise<Snapshot> {
  return {
    registries: await ids(api, "registries"),
    clusters: await ids(api, "clusters"),
    tokens: await ids(api, "tokens"),
    users: await ids(api, "users"),
  };
}

/** Removes what the fuzzer created in the shared e2e org, so later specs start from what they expect. */
async function removeCreated(api: APIRequestContext, before: Snapshot): Promise<void> {
  const after = await snapshot(api);
  const remove: Array<[keyof Snapshot, string]> = [
    ["registries", "registries"],
    ["clusters", "clusters"],
    ["tokens", "tokens"],
    ["users", "users"],
  ];
  for (const [kind, path] of remove) {
    for (const id of after[kind]) {
      if (before[kind].has(id)) continue;
      const res = await api.delete(`${path}/${encodeURIComponent(id)}`);
      expect([204, 404], `DELETE ${path}/${id}`).toContain(res.status());
    }
  }
}

function runFuzzer(seed: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("scripts/fuzz-api.sh", [BASE_URL, BOOTSTRAP_TOKEN, ORG], {
      env: { ...process.env, FUZZ_SEED: seed },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

test("[api-fuzz] schemathesis finds no failure in the operations /api/openapi.json describes", async ({ api }) => {
  test.setTimeout(120_000);
  const before = await snapshot(api);
  // A fixed seed keeps the suite deterministic; run scripts/fuzz-api.sh by hand (random seed) to explore.
  const { code, output, ms } = await runFuzzer("20261128");
  await removeCreated(api, before);
  test.info().annotations.push({ type: "fuzz", description: `${Math.round(ms / 1000)} s` });
  expect(code, output.slice(-12_000)).toBe(0);
});
