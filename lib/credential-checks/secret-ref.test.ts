import { describe, expect, it } from "vitest";
import { coverClusters, pickAuthEntry } from "./secret-ref";

const ref = (secret: string) => ({ namespace: "regcred", secret });
const cred = (username: string) => ({ username, password: "p", email: "" });

describe("coverClusters", () => {
  it.each<[string, Record<string, ReturnType<typeof ref>> | null, string[], Array<[string, string, string]>, string[]]>(
    [
      [
        "* covers every cluster",
        { "*": ref("all") },
        ["prod", "dev"],
        [
          ["prod", "all", "*"],
          ["dev", "all", "*"],
        ],
        [],
      ],
      [
        "a cluster key beats *",
        { "*": ref("all"), prod: ref("prod-only") },
        ["prod", "dev"],
        [
          ["prod", "prod-only", "prod"],
          ["dev", "all", "*"],
        ],
        [],
      ],
      ["without *, only named clusters", { prod: ref("p") }, ["prod", "dev"], [["prod", "p", "prod"]], []],
      [
        "keys naming no cluster are listed",
        { prod: ref("p"), gone: ref("g"), "*": ref("a") },
        ["prod"],
        [["prod", "p", "prod"]],
        ["gone"],
      ],
      ["no map", null, ["prod"], [], []],
      ["no clusters", { "*": ref("a") }, [], [], []],
    ],
  )("%s", (_name, secrets, clusters, covered, unknown) => {
    const r = coverClusters(secrets, clusters);
    expect(r.covered.map((c) => [c.cluster, c.ref.secret, c.via])).toEqual(covered);
    expect(r.unknownKeys).toEqual(unknown);
  });
});

describe("pickAuthEntry", () => {
  it.each<[string, string[], string, string | null]>([
    ["exact host", ["registry.example.com"], "registry.example.com", "registry.example.com"],
    ["host covers a project registry", ["registry.example.com"], "registry.example.com/team", "registry.example.com"],
    [
      "scheme and /v2/ path are ignored like the kubelet does",
      ["https://registry.example.com/v2/"],
      "registry.example.com",
      "https://registry.example.com/v2/",
    ],
    [
      "most specific key first",
      ["registry.example.com", "registry.example.com/team"],
      "registry.example.com/team",
      "registry.example.com/team",
    ],
    [
      "a deeper key does not cover the whole registry",
      ["registry.example.com/team/app"],
      "registry.example.com/team",
      null,
    ],
    ["ports must be equal", ["127.0.0.1:5000"], "127.0.0.1:5001", null],
    ["port matches", ["127.0.0.1:5000"], "127.0.0.1:5000", "127.0.0.1:5000"],
    ["glob key", ["*.example.com"], "registry.example.com", "*.example.com"],
    ["Docker Hub default key", ["https://index.docker.io/v1/"], "docker.io/acme", "https://index.docker.io/v1/"],
    ["other host", ["ghcr.io"], "registry.example.com", null],
    ["an all-digit registry is not Docker Hub", ["https://index.docker.io/v1/", "docker.io"], "1572395042", null],
    ["a dot-less name is not Docker Hub", ["https://index.docker.io/v1/"], "intranet", null],
    [
      "an all-digit registry with a port is its own host",
      ["https://index.docker.io/v1/", "2130706433:5000"],
      "2130706433:5000",
      "2130706433:5000",
    ],
    ["Docker Hub by its index name", ["https://index.docker.io/v1/"], "index.docker.io", "https://index.docker.io/v1/"],
    ["nothing", [], "registry.example.com", null],
  ])("%s", (_name, servers, registry, expected) => {
    const auths = Object.fromEntries(servers.map((s) => [s, cred(s)]));
    expect(pickAuthEntry(auths, registry)?.server ?? null).toBe(expected);
  });
});
