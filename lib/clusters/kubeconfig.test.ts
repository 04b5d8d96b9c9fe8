import { describe, expect, it } from "vitest";
import { parseYamlText } from "../integrations/kube/yaml";
import { embedFileReferences, extractContext, mergeKubeconfigDocs, summarizeKubeconfig } from "./kubeconfig";

const pem = (kind: string) => btoa(`-----BEGIN ${kind}-----\nMIIB\n-----END ${kind}-----\n`);
const CA = pem("CERTIFICATE");
const CERT = pem("CERTIFICATE");
const KEY = pem("PRIVATE KEY");
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-token-value";

function yaml(text: string): unknown {
  const parsed = parseYamlText(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const multi = yaml(`
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://prod.example.com:6443
    certificate-authority-data: ${CA}
- name: dev-cluster
  cluster:
    server: https://dev.example.com
    insecure-skip-tls-verify: true
users:
- name: prod-admin
  user:
    client-certificate-data: ${CERT}
    client-key-data: ${KEY}
- name: dev-token
  user:
    token: ${TOKEN}
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: /usr/local/bin/aws
      args: [eks, get-token]
- name: gke
  user:
    auth-provider:
      name: gcp
- name: basic
  user:
    username: alice
    password: s3cret
contexts:
- name: prod
  context: { cluster: prod-cluster, user: prod-admin, namespace: regcred }
- name: dev
  context: { cluster: dev-cluster, user: dev-token }
- name: eks
  context: { cluster: prod-cluster, user: eks }
- name: gke
  context: { cluster: prod-cluster, user: gke }
- name: basic
  context: { cluster: dev-cluster, user: basic }
- name: dangling
  context: { cluster: nowhere, user: dev-token }
`);

describe("summarizeKubeconfig", () => {
  it("lists every context with its server, auth kind and problem, and no credential values", () => {
    const summary = summarizeKubeconfig(multi);
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    expect(summary.value.currentContext).toBe("prod");
    const byName = Object.fromEntries(summary.value.contexts.map((c) => [c.name, c]));
    expect(byName.prod).toMatchObject({
      server: "https://prod.example.com:6443",
      authKind: "client-certificate",
      namespace: "regcred",
      problem: null,
    });
    expect(byName.dev).toMatchObject({ authKind: "token", insecureSkipTlsVerify: true, problem: null });
    expect(byName.basic).toMatchObject({ authKind: "basic", problem: null });
    expect(byName.eks!.problem).toMatch(/exec credential plugin \("aws"\).*cannot run plugins/);
    expect(byName.gke!.problem).toMatch(/auth-provider "gcp"/);
    expect(byName.dangling!.problem).toMatch(/cluster "nowhere", which is not in the kubeconfig/);
    expect(JSON.stringify(summary.value)).not.toMatch(new RegExp(`${TOKEN}|s3cret|${KEY}`));
  });

  it.each([
    ["a YAML scalar", "just text", "is not a YAML or JSON map"],
    ["a list", "[1, 2]", "is not a YAML or JSON map"],
    ["another kind", "kind: Pod\ncontexts: []", 'has kind "Pod"'],
    ["no contexts", "apiVersion: v1\nkind: Config\nclusters: []", "has no contexts"],
    ["contexts that is not a list", "contexts: {a: 1}", '"contexts" must be a list'],
    [
      "a nameless cluster",
      "clusters: [{cluster: {server: x}}]\ncontexts: [{name: a, context: {}}]",
      "clusters[0] has no name",
    ],
  ])("rejects %s", (_, text, message) => {
    const summary = summarizeKubeconfig(yaml(text));
    expect(summary).toMatchObject({ ok: false, field: "kubeconfig" });
    if (!summary.ok) expect(summary.message).toContain(message);
  });
});

describe("extractContext", () => {
  it("keeps only the chosen context, its cluster and its user", () => {
    const result = extractContext(multi, "dev");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.kubeconfig).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "dev-cluster", cluster: { server: "https://dev.example.com", "insecure-skip-tls-verify": true } },
      ],
      users: [{ name: "dev-token", user: { token: TOKEN } }],
      contexts: [{ name: "dev", context: { cluster: "dev-cluster", user: "dev-token" } }],
      "current-context": "dev",
    });
  });

  it("defaults to current-context", () => {
    const result = extractContext(multi);
    expect(result.ok && result.value.context.name).toBe("prod");
    expect(result.ok && result.value.kubeconfig.users[0].user).toEqual({
      "client-certificate-data": CERT,
      "client-key-data": KEY,
    });
  });

  it.each([
    ["an unknown context", "staging", "context", 'Context "staging" is not in the kubeconfig; it has "prod", "dev"'],
    ["an exec plugin", "eks", "kubeconfig", "exec credential plugin"],
    ["an auth provider", "gke", "kubeconfig", "auth-provider"],
    ["a dangling cluster", "dangling", "kubeconfig", 'refers to cluster "nowhere"'],
  ])("refuses %s", (_, context, field, message) => {
    const result = extractContext(multi, context);
    expect(result).toMatchObject({ ok: false, field });
    if (!result.ok) expect(result.message).toContain(message);
  });

  const single = (user: string, cluster = `server: https://k.example.com\n    certificate-authority-data: ${CA}`) =>
    yaml(
      `clusters:\n- name: c\n  cluster:\n    ${cluster}\nusers:\n- name: u\n  user:\n${user}\ncontexts:\n- name: only\n  context: {cluster: c, user: u}\n`,
    );

  it("uses the only context when there is no current-context", () => {
    expect(extractContext(single(`    token: abc`)).ok).toBe(true);
  });

  it.each([
    ["no credentials", "    {}", "has no credentials"],
    [
      "a certificate without its key",
      `    client-certificate-data: ${CERT}`,
      "needs both client-certificate-data and client-key-data",
    ],
    [
      "a certificate that is not PEM",
      `    client-certificate-data: bm90IHBlbQ==\n    client-key-data: ${KEY}`,
      "not a base64-encoded PEM certificate",
    ],
    [
      "a client certificate file",
      "    client-certificate: /home/me/.kube/cert.pem\n    client-key: /home/me/.kube/key.pem",
      "refers to a file (client-certificate)",
    ],
    ["a token file", "    tokenFile: /var/run/token", "refers to a file (tokenFile)"],
    ["a username without password", "    username: alice", "needs both username and password"],
    ["impersonation", "    token: abc\n    as: admin", "impersonation (as)"],
  ])("refuses a user with %s", (_, user, message) => {
    const result = extractContext(single(user));
    expect(result).toMatchObject({ ok: false, field: "kubeconfig" });
    if (!result.ok) expect(result.message).toContain(message);
  });

  it.each([
    ["no server", "insecure-skip-tls-verify: true", "has no server URL"],
    ["a server that is not a URL", "server: k.example.com", "server must be an http(s) URL"],
    [
      "a CA file",
      "server: https://k\n    certificate-authority: /etc/ca.crt",
      "refers to a file (certificate-authority)",
    ],
  ])("refuses a cluster with %s", (_, cluster, message) => {
    const result = extractContext(single("    token: abc", cluster));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it("reads JSON kubeconfigs too", () => {
    const json = JSON.stringify({
      clusters: [{ name: "c", cluster: { server: "https://k" } }],
      users: [{ name: "u", user: { token: "t" } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    });
    expect(extractContext(yaml(json), "x")).toMatchObject({
      ok: true,
      value: { context: { authKind: "token", server: "https://k" } },
    });
  });
});

describe("embedFileReferences and mergeKubeconfigDocs", () => {
  const files: Record<string, string> = {
    "/k/ca.crt": CA,
    "/k/cert.pem": CERT,
    "/k/key.pem": KEY,
    "/k/token": btoa(`${TOKEN}\n`),
  };
  const read = (p: string) => files[p] ?? null;

  it("embeds referenced files so the context becomes usable", () => {
    const doc = yaml(`
clusters: [{name: c, cluster: {server: "https://k", certificate-authority: /k/ca.crt}}]
users: [{name: u, user: {client-certificate: /k/cert.pem, client-key: /k/key.pem}}, {name: t, user: {tokenFile: /k/token}}]
contexts: [{name: cert, context: {cluster: c, user: u}}, {name: tok, context: {cluster: c, user: t}}]
`);
    const embedded = embedFileReferences(doc, read);
    const cert = extractContext(embedded, "cert");
    expect(cert.ok && cert.value.kubeconfig.users[0].user).toEqual({
      "client-certificate-data": CERT,
      "client-key-data": KEY,
    });
    expect(cert.ok && cert.value.kubeconfig.clusters[0].cluster["certificate-authority-data"]).toBe(CA);
    const tok = extractContext(embedded, "tok");
    expect(tok.ok && tok.value.kubeconfig.users[0].user).toEqual({ token: TOKEN });
  });

  it("leaves unreadable references in place, so they are reported", () => {
    const doc = yaml(
      `clusters: [{name: c, cluster: {server: "https://k"}}]\nusers: [{name: u, user: {tokenFile: /missing}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]`,
    );
    const result = extractContext(embedFileReferences(doc, read), "a");
    expect(result.ok).toBe(false);
  });

  it("merges like kubectl: the first file wins on a name and on current-context", () => {
    const a = yaml(
      `current-context: one\nclusters: [{name: c, cluster: {server: "https://first"}}]\nusers: [{name: u, user: {token: a}}]\ncontexts: [{name: one, context: {cluster: c, user: u}}]`,
    );
    const b = yaml(
      `current-context: two\nclusters: [{name: c, cluster: {server: "https://second"}}]\nusers: []\ncontexts: [{name: two, context: {cluster: c, user: u}}]`,
    );
    const summary = summarizeKubeconfig(mergeKubeconfigDocs([a, b]));
    expect(summary.ok && summary.value).toMatchObject({
      currentContext: "one",
      contexts: [
        { name: "one", server: "https://first" },
        { name: "two", server: "https://first" },
      ],
    });
  });
});

describe("parseYamlText", () => {
  it("names the position of a syntax error without quoting the text", () => {
    const parsed = parseYamlText(`users:\n- name: u\n  user:\n    token: ${TOKEN}\n  bad: [unclosed\n`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.message).toMatch(/line \d+, column \d+/);
      expect(parsed.error.message).not.toContain(TOKEN);
    }
  });
});
