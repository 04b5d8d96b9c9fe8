import { describe, expect, it } from "vitest";
import { type Challenge, describeChallenge, parseWwwAuthenticate, pickChallenge } from "./challenge";

const cases: Array<[string, string | string[] | undefined, Challenge[]]> = [
  ["empty", "", []],
  ["undefined", undefined, []],
  ["distribution htpasswd", 'Basic realm="regcred-test"', [{ scheme: "basic", params: { realm: "regcred-test" } }]],
  [
    "Docker Hub",
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"',
    [{ scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io" } }],
  ],
  [
    "GHCR with scope",
    'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"',
    [
      {
        scheme: "bearer",
        params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:user/image:pull" },
      },
    ],
  ],
  [
    "scope with several actions and a comma inside quotes",
    'Bearer realm="https://r.example/token",scope="repository:a/b:pull,push"',
    [{ scheme: "bearer", params: { realm: "https://r.example/token", scope: "repository:a/b:pull,push" } }],
  ],
  [
    "case-insensitive scheme and names, spaces around = and commas",
    'BEARER  Realm = "https://x/token" ,  SERVICE=x.example',
    [{ scheme: "bearer", params: { realm: "https://x/token", service: "x.example" } }],
  ],
  ["escaped quote", 'Basic realm="say \\"hi\\""', [{ scheme: "basic", params: { realm: 'say "hi"' } }]],
  [
    "two challenges joined by a comma",
    'Basic realm="a", Bearer realm="https://b/token",service="b"',
    [
      { scheme: "basic", params: { realm: "a" } },
      { scheme: "bearer", params: { realm: "https://b/token", service: "b" } },
    ],
  ],
  [
    "two header lines",
    ['Basic realm="a"', 'Bearer realm="https://b/token"'],
    [
      { scheme: "basic", params: { realm: "a" } },
      { scheme: "bearer", params: { realm: "https://b/token" } },
    ],
  ],
  [
    "scheme without parameters, then another",
    "Negotiate, Basic realm=x",
    [
      { scheme: "negotiate", params: {} },
      { scheme: "basic", params: { realm: "x" } },
    ],
  ],
  [
    "token68",
    "Negotiate YIIB3gYGKwYBBQUCoIIB0jCCAc6g==",
    [{ scheme: "negotiate", params: {}, token68: "YIIB3gYGKwYBBQUCoIIB0jCCAc6g==" }],
  ],
  ["unterminated quote", 'Basic realm="open', [{ scheme: "basic", params: { realm: "open" } }]],
  ["garbage does not throw", '=,,"" ; Basic', [{ scheme: "basic", params: {} }]],
  [
    "extra parameters kept",
    'Basic realm="r", charset="UTF-8"',
    [{ scheme: "basic", params: { realm: "r", charset: "UTF-8" } }],
  ],
];

describe("parseWwwAuthenticate", () => {
  it.each(cases)("%s", (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe("pickChallenge", () => {
  it.each([
    ['Basic realm="a", Bearer realm="b"', "bearer"],
    ['Basic realm="a"', "basic"],
    ["Negotiate abc", null],
    ["", null],
  ])("%s → %s", (header, scheme) => {
    expect(pickChallenge(parseWwwAuthenticate(header))?.scheme ?? null).toBe(scheme);
  });
});

describe("describeChallenge", () => {
  it("names the scheme and the useful parameters", () => {
    const [c] = parseWwwAuthenticate('bearer realm="https://r/token",service="s",foo="bar"');
    expect(describeChallenge(c!)).toBe('Bearer realm="https://r/token" service="s"');
  });
});
