import { describe, expect, it } from "vitest";
import { buildDockerConfigJson, dockerConfigServerKey, hostsOf, parseDockerConfigJson } from "./dockerconfig";
import { kubeletKey, urlsMatch } from "./matching";

// kubectl create secret docker-registry: {"auths":{server:{username,password,auth}}}, email omitted when empty.
function kubectlDockerConfig(server: string, username: string, password: string) {
  const auth = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
  return JSON.parse(JSON.stringify({ auths: { [server]: { username, password, auth } } })) as unknown;
}

function entry(config: object) {
  return JSON.stringify({ auths: { "quay.io": config } });
}

const serverKeys: Array<[string, string]> = [
  ["docker.io", "https://index.docker.io/v1/"],
  ["index.docker.io", "https://index.docker.io/v1/"],
  ["registry-1.docker.io", "https://index.docker.io/v1/"],
  ["https://index.docker.io/v1/", "https://index.docker.io/v1/"],
  ["docker.io/", "https://index.docker.io/v1/"],
  ["Docker.IO", "https://index.docker.io/v1/"],
  ["docker.io/acme", "docker.io/acme"],
  ["index.docker.io/acme", "docker.io/acme"],
  ["https://index.docker.io/v1/acme", "docker.io/acme"],
  ["quay.io", "quay.io"],
  ["quay.io/team", "quay.io/team"],
  ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"],
  ["localhost:5000", "localhost:5000"],
  ["docker.io:443", "docker.io:443"],
  ["mydocker.io", "mydocker.io"],
  // Globs and IPv6 literals are keys the kubelet reads as they are: written as given.
  ["*.docker.io", "*.docker.io"],
  ["prefix.docker.c*", "prefix.docker.c*"],
  ["*.*.example.com:5000/team", "*.*.example.com:5000/team"],
  ["[::1]:5000", "[::1]:5000"],
  ["[2001:db8::1]:443/ns", "[2001:db8::1]:443/ns"],
];

const credentials: Array<[string, string, string]> = [
  ["quay.io", "robot+ci", "s3cr3t"],
  ["docker.io", "alice", "dckr_pat_123"],
  ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", `eyJwYXlsb2FkIjoi${"x".repeat(3000)}`],
  ["europe-docker.pkg.dev/project", "_json_key", '{"type":"service_account","private_key":"-----BEGIN\\nKEY"}'],
  ["localhost:5000", "ünï", "pa:ss:wörd 😀"],
  ["registry.example.com", "<&>", '"quoted"'],
];

const rejected: Array<[string, string]> = [
  ["not json", "not valid JSON"],
  ["[]", "must be a JSON object"],
  ["null", "must be a JSON object"],
  ['"auths"', "must be a JSON object"],
  ["{}", `"auths" object`],
  ['{"auths":null}', `"auths" object`],
  ['{"auths":[]}', `"auths" object`],
  ['{"auths":{"quay.io":"user:pass"}}', `auths["quay.io"] must be an object`],
  ['{"auths":{},"HttpHeaders":{"X-Meta":1}}', "HttpHeaders"],
  [entry({ username: 42 }), `auths["quay.io"].username must be a string`],
  [entry({ password: true }), `auths["quay.io"].password must be a string`],
  [entry({ auth: ["dXNlcjpwYXNz"] }), `auths["quay.io"].auth must be a string`],
  [entry({ auth: "!!!" }), "must be base64"],
  [entry({ auth: btoa("nocolon") }), "must be base64"],
  [entry({ auth: "YWI6Yw=" }), "must be base64"],
  [entry({ auth: " YWI6Yw==" }), "must be base64"],
  [entry({ auth: "YWI6Yw== " }), "must be base64"],
  [entry({ auth: "Y" }), "must be base64"],
];

const accepted: Array<[string, string, { username: string; password: string; email: string }]> = [
  ["padded auth", entry({ auth: "YWI6Yw==" }), { username: "ab", password: "c", email: "" }],
  ["unpadded auth", entry({ auth: "YWI6Yw" }), { username: "ab", password: "c", email: "" }],
  ["auth with line breaks", entry({ auth: "YWI6\r\nYw==\n" }), { username: "ab", password: "c", email: "" }],
  [
    "auth overriding fields",
    entry({ username: "x", password: "y", auth: btoa("u:p") }),
    { username: "u", password: "p", email: "" },
  ],
  ["colons in the password", entry({ auth: btoa("u:p:q") }), { username: "u", password: "p:q", email: "" }],
  ["empty username", entry({ auth: btoa(":p") }), { username: "", password: "p", email: "" }],
  [
    "fields without auth",
    entry({ username: "u", password: "p", email: "e@x" }),
    { username: "u", password: "p", email: "e@x" },
  ],
  ["empty auth", entry({ username: "u", auth: "" }), { username: "u", password: "", email: "" }],
  ["null fields", entry({ username: null, auth: null }), { username: "", password: "", email: "" }],
  ["case-insensitive fields", entry({ Username: "u", PASSWORD: "p" }), { username: "u", password: "p", email: "" }],
  ["extra token fields", entry({ auth: btoa("u:p"), identitytoken: "t" }), { username: "u", password: "p", email: "" }],
  [
    "UTF-8 credentials",
    entry({ auth: Buffer.from("ü:ß€", "utf8").toString("base64") }),
    { username: "ü", password: "ß€", email: "" },
  ],
];

describe("dockerConfigServerKey", () => {
  it.each(serverKeys)("writes %s as %s", (registry, key) => {
    expect(dockerConfigServerKey(registry)).toBe(key);
  });
});

describe("buildDockerConfigJson", () => {
  it.each(credentials)("matches kubectl for %s", (registry, username, password) => {
    const built = buildDockerConfigJson([{ registry, username, password }]);
    expect(JSON.parse(JSON.stringify(built))).toEqual(
      kubectlDockerConfig(dockerConfigServerKey(registry), username, password),
    );
  });

  it("uses kubectl's default server for Docker Hub", () => {
    expect(buildDockerConfigJson([{ registry: "docker.io", username: "user", password: "pass" }])).toEqual({
      auths: { "https://index.docker.io/v1/": { username: "user", password: "pass", auth: "dXNlcjpwYXNz" } },
    });
  });

  it("writes one auths entry per registry", () => {
    const built = buildDockerConfigJson(
      credentials.map(([registry, username, password]) => ({ registry, username, password })),
    );
    expect(hostsOf(built)).toEqual(credentials.map(([registry]) => dockerConfigServerKey(registry)));
  });

  it.each(credentials)("round-trips through the kubelet-style parser for %s", (registry, username, password) => {
    const parsed = parseDockerConfigJson(JSON.stringify(buildDockerConfigJson([{ registry, username, password }])));
    expect(parsed).toEqual({
      ok: true,
      value: { auths: { [dockerConfigServerKey(registry)]: { username, password, email: "" } } },
    });
  });
});

describe("parseDockerConfigJson", () => {
  it.each(rejected)("rejects %s", (text, reason) => {
    const result = parseDockerConfigJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it.each(accepted)("accepts %s", (_, text, credential) => {
    expect(parseDockerConfigJson(text)).toEqual({ ok: true, value: { auths: { "quay.io": credential } } });
  });

  it("reads the auths key case-insensitively like encoding/json and keeps null entries", () => {
    const result = parseDockerConfigJson(
      '{"Auths":{"quay.io":null,"ghcr.io":{"auth":"dTpw"}},"HttpHeaders":{"User-Agent":"x"}}',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        auths: {
          "quay.io": { username: "", password: "", email: "" },
          "ghcr.io": { username: "u", password: "p", email: "" },
        },
      },
    });
    if (result.ok) expect(hostsOf(result.value)).toEqual(["quay.io", "ghcr.io"]);
  });

  it("keeps a __proto__ server as data", () => {
    const result = parseDockerConfigJson('{"auths":{"__proto__":{"auth":"dTpw"}}}');
    expect(result.ok && hostsOf(result.value)).toEqual(["__proto__"]);
  });

  it("never echoes credentials in its reasons", () => {
    const result = parseDockerConfigJson(entry({ auth: btoa("secret-user-without-colon") }));
    expect(result.ok ? "" : result.reason).not.toContain("secret");
  });
});

describe("a secret for a registry with a glob or an IPv6 literal", () => {
  it.each([
    ["*.docker.io", "mirror.docker.io/library/nginx", "docker.io/library/nginx"],
    ["prefix.docker.c*", "prefix.docker.com/app", "prefix.docker.io/app"],
    ["*.*.example.com:5000/team", "a.b.example.com:5000/team/app", "a.b.example.com:5000/other/app"],
    ["[::1]:5000", "[::1]:5000/app", "[::1]:5001/app"],
  ])("%s: the kubelet reads the key from the secret and matches %s, not %s", (registry, hit, miss) => {
    const config = buildDockerConfigJson([{ registry, username: "u", password: "p" }]);
    const parsed = parseDockerConfigJson(JSON.stringify(config));
    expect(parsed.ok && Object.keys(parsed.value.auths)).toEqual([registry]);
    const key = kubeletKey(registry);
    expect(key).toBe(registry);
    expect(urlsMatch(key!, hit)).toBe(true);
    expect(urlsMatch(key!, miss)).toBe(false);
  });
});
