import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRegistryCredentials } from "@/lib/credential-checks/check";
import type { CheckInput, CheckOptions } from "@/lib/credential-checks/types";
import { parseCidrList } from "@/lib/net/cidr";
import { createTestPki, type Recorder, startRecorder, type TestPki } from "@/test/peers";

// Only 127.0.0.0/8 is used: 127.0.0.2 stands for a range the operator denies (REGCRED_EGRESS_DENY_CIDRS).
const denied = "127.0.0.2";
const policy = { allowLoopback: true, deny: parseCidrList(`${denied}/32`) };
const canary = `canary-egress-${process.pid}`;

let pki: TestPki;
let realm: Recorder;
let registry: Recorder;
let deniedRegistry: Recorder;

beforeAll(async () => {
  pki = await createTestPki();
  realm = await startRecorder({
    tls: pki.server,
    address: denied,
    reply: () => ({ status: 200, body: { token: "t" } }),
  });
  registry = await startRecorder({
    tls: pki.server,
    reply: () => ({
      status: 401,
      headers: { "www-authenticate": `Bearer realm="https://${denied}:${realm.port}/token",service="svc"` },
    }),
  });
  deniedRegistry = await startRecorder({ tls: pki.server, address: denied });
}, 60_000);

afterAll(async () => {
  await Promise.all([realm?.stop(), registry?.stop(), deniedRegistry?.stop()]);
  await pki?.remove();
});

async function check(input: Omit<CheckInput, "cacheKey">): Promise<ReturnType<typeof checkRegistryCredentials>> {
  const opts = { timeoutMs: 5000, egress: policy } as CheckOptions;
  const r = await checkRegistryCredentials(
    { cacheKey: `org/egress-${process.pid}`, caCert: pki.ca.cert, ...input },
    opts,
  );
  expect(JSON.stringify(r)).not.toContain(canary);
  return r;
}

describe("the egress policy on every connection of a check", () => {
  it("a token realm in a denied range is refused at the token step; the realm gets no connection", async () => {
    const r = await check({ type: "basic", registry: registry.host, creds: { username: "alice", password: canary } });
    expect(realm.connections()).toBe(0);
    expect(r).toMatchObject({ status: "unreachable", failedStep: "token" });
    expect(r.summary).toContain(denied);
    expect(r.summary).toContain("REGCRED_EGRESS_DENY_CIDRS");
    expect(registry.requests().map((q) => q.authorization)).toEqual([null]);
  });

  it("a registry in a denied range is refused before connecting, as a result naming the policy", async () => {
    const r = await check({
      type: "basic",
      registry: deniedRegistry.host,
      creds: { username: "alice", password: canary },
    });
    expect(deniedRegistry.connections()).toBe(0);
    expect(r).toMatchObject({ status: "unreachable", failedStep: "policy" });
    expect(r.summary).toBe(`policy: ${denied} is in REGCRED_EGRESS_DENY_CIDRS (${denied}/32), refused`);
  });
});
