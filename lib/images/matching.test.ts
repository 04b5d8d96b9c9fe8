import { describe, expect, it } from "vitest";
import {
  isDefaultRegistryMatch,
  kubeletKey,
  matchRegistry,
  rankRegistries,
  registryKubeletKey,
  resolveRegistry,
  urlsMatch,
  type RegistryMatch,
} from "./matching";
import { parseImageReference, type ImageReference } from "./reference";

function image(input: string): ImageReference {
  const result = parseImageReference(input);
  if (!result.ok) throw new Error(`${input}: ${result.reason}`);
  return result.value;
}

function registry(id: string, pattern: string, type = "basic") {
  return { id, registry: pattern, type };
}

// keyring.go BasicDockerKeyring.Add: scheme added then dropped, /v1/ and /v2/ stripped, host+path kept.
const keys: Array<[string, string | null]> = [
  ["https://index.docker.io/v1/", "index.docker.io"],
  ["index.docker.io", "index.docker.io"],
  ["docker.io", "docker.io"],
  ["quay.io/foo", "quay.io/foo"],
  ["quay.io/foo/", "quay.io/foo/"],
  ["https://quay.io/v1/", "quay.io"],
  ["https://quay.io/v2/team", "quay.io/team"],
  ["http://registry.local:5000", "registry.local:5000"],
  ["https://*.docker.io/v2/", "*.docker.io"],
  ["user:secret@quay.io/x", "quay.io/x"],
  ["quay.io?tab=tags", "quay.io"],
  ["[::1]:5000/repo", "[::1]:5000/repo"],
  ["registry.local:http", null],
  ["bad host.io", null],
  ["quay.io/%zz", null],
];

// keyring_test.go TestUrlsMatch, plus TestDockerKeyringForGlob / TestKeyringMiss read through kubeletKey.
const urls: Array<[string, string, boolean]> = [
  ["*.kubernetes.io", "prefix.kubernetes.io", true],
  ["prefix.*.io", "prefix.kubernetes.io", true],
  ["prefix.kubernetes.*", "prefix.kubernetes.io", true],
  ["*-good.kubernetes.io", "prefix-good.kubernetes.io", true],
  ["*.kubernetes.io/blah", "prefix.kubernetes.io/blah", true],
  ["prefix.*.io/foo", "prefix.kubernetes.io/foo/bar", true],
  ["*.kubernetes.io:1111/blah", "prefix.kubernetes.io:1111/blah", true],
  ["prefix.*.io:1111/foo", "prefix.kubernetes.io:1111/foo/bar", true],
  ["*.kubernetes.io", "kubernetes.io", false],
  ["*.*.kubernetes.io", "prefix.kubernetes.io", false],
  ["*.*.kubernetes.io", "kubernetes.io", false],
  ["kubernetes.io", "kubernetes.com", false],
  ["k*.io", "quay.io", false],
  ["*.kubernetes.io:1234/blah", "prefix.kubernetes.io:1111/blah", false],
  ["prefix.*.io/foo", "prefix.kubernetes.io:1111/foo/bar", false],
  ["bar.example.com/pong", "bar.example.com/pongz", true],
  // Only "*" survives url.Parse: "?" starts a query, "[" is refused inside a host and "\\" is no host character.
  ["reg?.io", "reg1.io", false],
  ["reg[0-9].io", "reg7.io", false],
  ["reg\\*.io", "reg*.io", false],
  // A bracketed IPv6 host without a port reaches filepath.Match whole, which reads the brackets as a class.
  ["[::1]", "[::1]/repo", false],
  ["[::1]:5000", "[::1]:5000/repo", true],
];

const keyringGlobs: Array<[string, string, boolean]> = [
  ["https://hello.kubernetes.io", "hello.kubernetes.io", true],
  ["https://*.docker.io", "prefix.docker.io", true],
  ["https://prefix.*.io", "prefix.docker.io", true],
  ["https://prefix.docker.*", "prefix.docker.io", true],
  ["https://*.docker.io/path", "prefix.docker.io/path", true],
  ["https://prefix.*.io/path", "prefix.docker.io/path/subpath", true],
  ["https://prefix.docker.*/path", "prefix.docker.io/path", true],
  ["https://*.docker.io:8888", "prefix.docker.io:8888", true],
  ["https://prefix.*.io:8888", "prefix.docker.io:8888", true],
  ["https://prefix.docker.*:8888", "prefix.docker.io:8888", true],
  ["https://*.docker.io/v1/", "prefix.docker.io/path", true],
  ["https://*.docker.io/v2/", "prefix.docker.io/path", true],
  ["prefix.docker.io:1111", "prefix.docker.io:1111/path", true],
  ["*.docker.io:1111", "prefix.docker.io:1111/path", true],
  ["https://hello.kubernetes.io", "world.mesos.org/foo/bar", false],
  ["https://*.docker.com", "prefix.docker.io", false],
  ["https://suffix.*.io", "prefix.docker.io", false],
  ["https://prefix.docker.c*", "prefix.docker.io", false],
  ["suffix.*.io", "prefix.docker.io", false],
];

// keyring_test.go TestIsDefaultRegistryMatch.
const defaultMatches: Array<[string, boolean]> = [
  ["foo/bar", true],
  ["docker.io/foo/bar", true],
  ["index.docker.io/foo/bar", true],
  ["foo", true],
  ["", false],
  ["registry.tld/foo/bar", false],
  ["registry:5000/foo/bar", false],
  ["myhostdocker.io/foo/bar", false],
];

const matches: Array<[string, string, RegistryMatch | null]> = [
  ["*.kubernetes.io", "prefix.kubernetes.io/foo", "direct"],
  ["*.kubernetes.io", "prefix.k8s.io/foo", null],
  ["*.kubernetes.io", "a.b.kubernetes.io/foo", null],
  ["registry.local:5000", "registry.local:5000/app", "direct"],
  ["registry.local:5000", "registry.local/app", null],
  ["registry.local", "registry.local:5000/app", null],
  ["quay.io/foo", "quay.io/foo/bar", "direct"],
  ["quay.io/foo", "quay.io/foo", "direct"],
  // The kubelet compares paths as strings, so a registry path also claims sibling repositories that extend it.
  ["quay.io/foo", "quay.io/foobar", "direct"],
  ["quay.io/foo/", "quay.io/foobar", null],
  ["quay.io/foo", "quay.io/bar/foo", null],
  ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v1", "direct"],
  ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1", null],
  ["*.dkr.ecr.*.amazonaws.com", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api", "direct"],
  ["*.dkr.ecr.*.amazonaws.com", "123456789012.dkr.ecr.us-east-1.amazonaws.com.cn/api", null],
  ["localhost:5000", "localhost:5000/app", "direct"],
  ["localhost:5000", "localhost/app", null],
  ["localhost", "localhost/app", "direct"],
  ["docker.io", "nginx", "docker-hub-default"],
  ["docker.io", "myorg/app:1", "docker-hub-default"],
  ["index.docker.io", "docker.io/library/nginx", "docker-hub-default"],
  ["registry-1.docker.io", "index.docker.io/myorg/app", "docker-hub-default"],
  ["https://index.docker.io/v1/", "nginx@sha256:" + "a".repeat(64), "docker-hub-default"],
  ["docker.io", "quay.io/nginx", null],
  ["docker.io", "registry-1.docker.io/library/nginx", null],
  // isDefaultRegistryMatch only looks for "." or ":", so the kubelet offers Docker Hub credentials to localhost and uppercase hosts.
  ["docker.io", "localhost/app", "docker-hub-default"],
  ["docker.io", "Registry/app", "docker-hub-default"],
  ["docker.io/myorg", "myorg/app", "direct"],
  ["index.docker.io/myorg", "myorg/app", "direct"],
  ["docker.io/myorg", "otherorg/app", null],
  ["docker.io/library", "nginx", "direct"],
  ["*.io", "quay.io/x", "direct"],
  ["[::1]:5000", "[::1]:5000/repo", "direct"],
];

describe("kubeletKey", () => {
  it.each(keys)("indexes %s as %s", (server, key) => {
    expect(kubeletKey(server)).toBe(key);
  });

  it("indexes Docker Hub registries under the kubelet's default key", () => {
    expect(
      ["docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/"].map(registryKubeletKey),
    ).toEqual(Array(4).fill("index.docker.io"));
  });
});

describe("urlsMatch", () => {
  it.each(urls)("%s against %s is %s", (glob, target, expected) => {
    expect(urlsMatch(glob, target)).toBe(expected);
  });

  it.each(keyringGlobs)("keyring entry %s finds %s/foo/bar: %s", (server, target, expected) => {
    const key = kubeletKey(server);
    expect(key !== null && urlsMatch(key, `${target}/foo/bar`)).toBe(expected);
  });
});

describe("isDefaultRegistryMatch", () => {
  it.each(defaultMatches)("%j is %s", (name, expected) => {
    expect(isDefaultRegistryMatch(name)).toBe(expected);
  });
});

describe("matchRegistry", () => {
  it.each(matches)("%s for %s: %s", (pattern, reference, expected) => {
    expect(matchRegistry(pattern, image(reference))).toBe(expected);
  });
});

describe("rankRegistries and resolveRegistry", () => {
  // keyring_test.go TestDockerKeyringLookup: grace has bar.example.com/pong, ada has bar.example.com.
  const ada = registry("ada", "bar.example.com");
  const grace = registry("grace", "bar.example.com/pong");
  const lookups: Array<[string, string[]]> = [
    ["bar.example.com/pong", ["grace", "ada"]],
    ["bar.example.com/ping", ["ada"]],
    ["bar.example.com/pongz", ["grace", "ada"]],
    ["bar.example.com/pong/pang", ["grace", "ada"]],
    ["example.com/pong", []],
    ["foo.example.com/pong", []],
  ];

  it.each(lookups)("tries the keys for %s in kubelet order", (reference, ids) => {
    expect(rankRegistries([ada, grace], image(reference)).map(({ id }) => id)).toEqual(ids);
  });

  const fleet = [
    registry("hub", "docker.io"),
    registry("hub-org", "docker.io/acme"),
    registry("quay", "quay.io"),
    registry("quay-foo", "quay.io/foo"),
    registry("quay-foo-bar", "quay.io/foo/bar"),
    registry("any-pkg-dev", "*.pkg.dev", "public"),
    registry("ecr", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
    registry("ecr-team", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team"),
    registry("ecr-glob", "*.dkr.ecr.*.amazonaws.com"),
    registry("local", "localhost:5000"),
  ];
  const resolutions: Array<[string, string | null]> = [
    ["quay.io/foo/bar/baz", "quay-foo-bar"],
    ["quay.io/foo/baz", "quay-foo"],
    ["quay.io/other", "quay"],
    ["europe-docker.pkg.dev/project/repo/app", "any-pkg-dev"],
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api", "ecr-team"],
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/api", "ecr"],
    ["999999999999.dkr.ecr.us-east-1.amazonaws.com/api", "ecr-glob"],
    ["localhost:5000/app", "local"],
    ["localhost:5001/app", null],
    ["acme/api", "hub-org"],
    ["nginx", "hub"],
    ["ghcr.io.example.com/x", null],
  ];

  it.each(resolutions)("resolves %s to %s", (reference, id) => {
    expect(resolveRegistry(fleet, image(reference))?.id ?? null).toBe(id);
  });

  it("puts every direct match before the Docker Hub fallback, which is used only when nothing matched", () => {
    const withLibrary = [...fleet, registry("hub-library", "docker.io/library")];
    expect(rankRegistries(withLibrary, image("nginx")).map(({ id }) => id)).toEqual(["hub-library"]);
    expect(rankRegistries(withLibrary, image("busybox/extra")).map(({ id }) => id)).toEqual(["hub"]);
  });

  it("lets a wildcard key that matches docker.io shadow the Docker Hub fallback", () => {
    const withGlob = [...fleet, registry("any-io", "*.io")];
    expect(resolveRegistry(withGlob, image("nginx"))?.id).toBe("any-io");
  });

  it("orders non-wildcard keys before wildcard keys with the same suffix", () => {
    const ids = rankRegistries(fleet, image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api")).map(
      ({ id }) => id,
    );
    expect(ids).toEqual(["ecr-team", "ecr", "ecr-glob"]);
  });

  it("breaks ties between registries with the same kubelet key by id", () => {
    const twins = [registry("b-quay", "https://quay.io/v1/"), registry("a-quay", "quay.io")];
    expect(rankRegistries(twins, image("quay.io/x")).map(({ id }) => id)).toEqual(["a-quay", "b-quay"]);
    expect(resolveRegistry([...twins].reverse(), image("quay.io/x"))?.id).toBe("a-quay");
  });

  it("ignores registries the kubelet could not index", () => {
    expect(resolveRegistry([registry("broken", "quay.io:abc")], image("quay.io/x"))).toBeNull();
  });
});
