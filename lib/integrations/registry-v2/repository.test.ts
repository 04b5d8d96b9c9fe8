import { describe, expect, it } from "vitest";
import { describeReference, notFoundPart, repositoryTarget, scrubSecrets } from "./repository-target";
import { readToken, tokenGrantsPull, tokenRequestUrl } from "./token";

const jwt = (claims: unknown) =>
  ["{}", JSON.stringify(claims), "sig"].map((p) => Buffer.from(p).toString("base64url")).join(".");
const digest = `sha256:${"a".repeat(64)}`;

describe("repositoryTarget", () => {
  it.each([
    ["registry.example:5000", "team/app", "1.0", { apiHost: "registry.example:5000", repository: "team/app" }],
    ["[::1]:5000", "a/b/c", digest, { apiHost: "[::1]:5000", repository: "a/b/c", reference: digest }],
    [
      "docker.io",
      "nginx",
      "latest",
      { apiHost: "registry-1.docker.io", repository: "library/nginx", isDockerHub: true },
    ],
    ["index.docker.io", "bitnami/redis", "7", { apiHost: "registry-1.docker.io", repository: "bitnami/redis" }],
  ])("%s %s:%s is asked as %o", (host, repository, reference, expected) => {
    expect(repositoryTarget(host, repository, reference)).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    ["registry.example/path", "team/app", "1.0", "is not a registry host"],
    ["user@evil.example", "team/app", "1.0", "is not a registry host"],
    ["registry.example", "../v2/other", "1.0", "is not a valid repository name"],
    ["registry.example", "Team/App", "1.0", "is not a valid repository name"],
    ["registry.example", "team/app", "1.0?x=1", "is neither a tag nor a digest"],
    ["registry.example", "team/app", "sha256:abc", "is neither a tag nor a digest"],
    ["registry.example", "team/app", ".hidden", "is neither a tag nor a digest"],
  ])("%s %s:%s is refused (%s)", (host, repository, reference, reason) => {
    const got = repositoryTarget(host, repository, reference);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.reason).toContain(reason);
  });
});

describe("tokenGrantsPull reads the access claim without verifying", () => {
  it.each([
    [[{ type: "repository", name: "team/app", actions: ["pull"] }], true],
    [[{ type: "repository", name: "team/app", actions: ["*"] }], true],
    [[{ type: "repository", name: "team/app", actions: ["push"] }], false],
    [[{ type: "repository", name: "team/other", actions: ["pull"] }], false],
    [[{ type: "registry", name: "catalog", actions: ["*"] }], false],
    [[], false],
  ])("%o → %s", (access, expected) => {
    expect(tokenGrantsPull(jwt({ access }), "team/app")).toBe(expected);
  });

  it.each([["an opaque token"], [jwt({ sub: "bob" })], ["a.b.c"]])("%s: cannot tell (null)", (token) => {
    expect(tokenGrantsPull(token, "team/app")).toBeNull();
  });
});

describe("tokenRequestUrl and readToken", () => {
  const challenge = { scheme: "bearer", params: { realm: "https://auth.example/token", service: "reg" } };

  it("asks the realm for the service, each scope and the account", () => {
    const url = tokenRequestUrl(challenge, "repository:team/app:pull", "bob");
    expect(url?.href).toBe("https://auth.example/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull&account=bob");
  });

  it.each([["ftp://auth.example/token"], ["not a url"], [""]])("realm %j: none", (realm) => {
    expect(tokenRequestUrl({ scheme: "bearer", params: { realm } }, undefined, null)).toBeNull();
  });

  it.each([
    ['{"token":"t","expires_in":300}', { token: "t", expiresIn: 300 }],
    ['{"access_token":"t","expires_in":5}', { token: "t", expiresIn: 60 }],
    ['{"token":""}', null],
    ["not json", null],
  ])("%s → %o", (body, expected) => {
    expect(readToken(body)).toEqual(expected);
  });
});

describe("notFoundPart, describeReference, scrubSecrets", () => {
  it.each([
    [200, '{"name":"team/app","tags":["1.0"]}', "reference"],
    [404, '{"errors":[{"code":"NAME_UNKNOWN"}]}', "repository"],
    [404, "", null],
    [401, '{"errors":[{"code":"UNAUTHORIZED"}]}', null],
  ])("tags/list %i %s → %s", (status, body, expected) => {
    expect(notFoundPart(status, body)).toBe(expected);
  });

  it("names tags with : and digests with @", () => {
    expect(describeReference("team/app", "1.0")).toBe("team/app:1.0");
    expect(describeReference("team/app", digest)).toBe(`team/app@${digest}`);
  });

  it("replaces every secret of four characters or more", () => {
    expect(scrubSecrets("pw hunter2 and hunter2, abc", ["hunter2", "abc"])).toBe("pw [redacted] and [redacted], abc");
  });
});
