import { describe, expect, it } from "vitest";
import { checkRegistryCredentials, registryHost } from "./check";
import type { CheckInput } from "./types";

const opts = { timeoutMs: 1000, now: () => new Date("2026-05-01T10:00:00Z") };
const base: CheckInput = { type: "basic", registry: "registry.example.com", creds: null, cacheKey: "org/reg" };

describe("registryHost", () => {
  it.each([
    ["registry.example.com", "registry.example.com"],
    ["registry.example.com/team/app", "registry.example.com"],
    ["127.0.0.1:5000", "127.0.0.1:5000"],
    ["Registry.Example.com", "registry.example.com"],
    ["quay.io:443", "quay.io"],
    ["[::1]:5000", "[::1]:5000"],
    ["docker.io/library/nginx", "registry-1.docker.io"],
    ["index.docker.io", "registry-1.docker.io"],
    ["https://quay.io/org", "quay.io"],
    // numeric IPv4 spellings are IPv4 addresses: the egress policy and the summary see the dotted form
    ["1572395042", "93.184.216.34"],
    ["2130706433:5000/team", "127.0.0.1:5000"],
    ["0x7f000001:5000", "127.0.0.1:5000"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0x7f.0.0.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["0xa9fea9fe", "169.254.169.254"],
    ["user:pw@host", null],
    ["", null],
    ["a b", null],
  ])("%s → %s", (registry, host) => expect(registryHost(registry)).toBe(host));
});

describe("checkRegistryCredentials without the network", () => {
  it("secret_ref is not checked here (checkSecretRef reads the clusters)", async () => {
    const r = await checkRegistryCredentials({ ...base, type: "secret_ref" }, opts);
    expect(r).toEqual({
      status: "unsupported",
      summary: "secret_ref credentials live in the clusters: they are checked per cluster by checkSecretRef, not here",
      failedStep: null,
      steps: [],
      proven: null,
      expiresAt: null,
      checkedAt: "2026-05-01T10:00:00.000Z",
    });
  });

  it.each([
    ["basic without creds", { ...base, creds: null }, "invalid", "auth"],
    ["basic without password", { ...base, creds: { username: "u" } }, "invalid", "auth"],
    [
      "ECR without a region",
      { ...base, type: "amazon_ecr" as const, creds: { username: "AKIA", password: "secret-canary-1" } },
      "invalid",
      "aws",
    ],
    ["ECR without keys", { ...base, type: "amazon_ecr" as const, region: "eu-west-1", creds: null }, "invalid", "aws"],
    [
      "ECR: a role to assume from the server's identity, which the org may not use",
      {
        ...base,
        type: "amazon_ecr" as const,
        region: "eu-west-1",
        creds: null,
        aws: { roleArn: "arn:aws:iam::123456789012:role/pull", defaultChain: false },
      },
      "invalid",
      "sts",
    ],
    ["not a host", { ...base, registry: "user:pw@host" }, "invalid", null],
  ])("%s", async (_name, input, status, failedStep) => {
    const r = await checkRegistryCredentials(input, opts);
    expect(r.status).toBe(status);
    expect(r.failedStep).toBe(failedStep);
    expect(JSON.stringify(r)).not.toContain("secret-canary");
  });

  it("a numeric host spelling is checked, refused and named as the IPv4 address it is", async () => {
    const r = await checkRegistryCredentials(
      { ...base, type: "public", registry: "0x7f000001:5000/team" },
      { ...opts, egress: { allowLoopback: false, deny: [] } },
    );
    expect(r).toMatchObject({ status: "unreachable", failedStep: "policy" });
    expect(r.summary).toBe(
      "policy: 127.0.0.1 is a loopback address, refused unless REGCRED_EGRESS_ALLOW_LOOPBACK=true (0x7f000001 is the IPv4 address 127.0.0.1)",
    );
    const metadata = await checkRegistryCredentials(
      { ...base, registry: "2852039166", creds: { username: "u", password: "secret-canary-2" } },
      { ...opts, egress: { allowLoopback: true, deny: [] } },
    );
    expect(metadata.summary).toBe(
      "policy: 169.254.169.254 is a cloud metadata address, always refused (2852039166 is the IPv4 address 169.254.169.254)",
    );
  });

  it("never throws, even for input it does not understand", async () => {
    const r = await checkRegistryCredentials(
      { ...base, type: "nonsense" as never },
      { ...opts, now: () => new Date(NaN) },
    );
    expect(r.status).toBe("unsupported");
    expect(r.checkedAt).toMatch(/^\d{4}-/);
  });
});
