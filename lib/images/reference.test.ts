import { describe, expect, it } from "vitest";
import { parseImageReference, type ImageReference } from "./reference";

const sha256 = "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
const sha512 = `sha512:${"f".repeat(128)}`;
const hex64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
const redisDigest = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

function parsed(input: string): ImageReference {
  const result = parseImageReference(input);
  if (!result.ok) throw new Error(`${input}: ${result.reason}`);
  return result.value;
}

function reason(input: string): string {
  const result = parseImageReference(input);
  if (result.ok) throw new Error(`${input} parsed as ${result.value.normalized}`);
  return result.reason;
}

// normalize_test.go TestParseRepositoryInfo: every spelling yields the same familiar, full, domain and path.
const repositoryInfo = [
  {
    path: "fooo/bar",
    familiar: "fooo/bar",
    full: "docker.io/fooo/bar",
    ambiguous: "index.docker.io/fooo/bar",
    domain: "docker.io",
  },
  {
    path: "library/ubuntu",
    familiar: "ubuntu",
    full: "docker.io/library/ubuntu",
    ambiguous: "library/ubuntu",
    domain: "docker.io",
  },
  {
    path: "nonlibrary/ubuntu",
    familiar: "nonlibrary/ubuntu",
    full: "docker.io/nonlibrary/ubuntu",
    ambiguous: "",
    domain: "docker.io",
  },
  {
    path: "other/library",
    familiar: "other/library",
    full: "docker.io/other/library",
    ambiguous: "",
    domain: "docker.io",
  },
  {
    path: "private/moonbase",
    familiar: "127.0.0.1:8000/private/moonbase",
    full: "127.0.0.1:8000/private/moonbase",
    ambiguous: "",
    domain: "127.0.0.1:8000",
  },
  {
    path: "privatebase",
    familiar: "127.0.0.1:8000/privatebase",
    full: "127.0.0.1:8000/privatebase",
    ambiguous: "",
    domain: "127.0.0.1:8000",
  },
  {
    path: "private/moonbase",
    familiar: "example.com/private/moonbase",
    full: "example.com/private/moonbase",
    ambiguous: "",
    domain: "example.com",
  },
  {
    path: "privatebase",
    familiar: "example.com/privatebase",
    full: "example.com/privatebase",
    ambiguous: "",
    domain: "example.com",
  },
  {
    path: "private/moonbase",
    familiar: "example.com:8000/private/moonbase",
    full: "example.com:8000/private/moonbase",
    ambiguous: "",
    domain: "example.com:8000",
  },
  {
    path: "privatebasee",
    familiar: "example.com:8000/privatebasee",
    full: "example.com:8000/privatebasee",
    ambiguous: "",
    domain: "example.com:8000",
  },
  {
    path: "library/ubuntu-12.04-base",
    familiar: "ubuntu-12.04-base",
    full: "docker.io/library/ubuntu-12.04-base",
    ambiguous: "index.docker.io/library/ubuntu-12.04-base",
    domain: "docker.io",
  },
  {
    path: "library/foo",
    familiar: "foo",
    full: "docker.io/library/foo",
    ambiguous: "docker.io/foo",
    domain: "docker.io",
  },
  {
    path: "library/foo/bar",
    familiar: "library/foo/bar",
    full: "docker.io/library/foo/bar",
    ambiguous: "",
    domain: "docker.io",
  },
  {
    path: "store/foo/bar",
    familiar: "store/foo/bar",
    full: "docker.io/store/foo/bar",
    ambiguous: "",
    domain: "docker.io",
  },
  { path: "bar", familiar: "Foo/bar", full: "Foo/bar", ambiguous: "", domain: "Foo" },
  { path: "bar", familiar: "FOO/bar", full: "FOO/bar", ambiguous: "", domain: "FOO" },
].flatMap((info) => [info.familiar, info.full, info.ambiguous].filter(Boolean).map((input) => ({ input, ...info })));

// reference_test.go TestReferenceParse plus normalize_test.go TestNormalizedSplitHostname, read through normalisation.
const parses: Array<[string, string, string, string | null, string | null]> = [
  ["test_com", "docker.io", "library/test_com", null, null],
  ["test.com:tag", "docker.io", "library/test.com", "tag", null],
  ["test.com:5000", "docker.io", "library/test.com", "5000", null],
  ["test.com/repo:tag", "test.com", "repo", "tag", null],
  ["test:5000/repo", "test:5000", "repo", null, null],
  ["test:5000/repo:tag", "test:5000", "repo", "tag", null],
  [`test:5000/repo@${sha256}`, "test:5000", "repo", null, sha256],
  [`test:5000/repo:tag@${sha256}`, "test:5000", "repo", "tag", sha256],
  ["Uppercase/lowercase:tag", "Uppercase", "lowercase", "tag", null],
  ["lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", null],
  [`${"a/".repeat(127)}a:tag-puts-this-over-max`, "docker.io", `${"a/".repeat(127)}a`, "tag-puts-this-over-max", null],
  [`example.com/${"a".repeat(255)}:tag`, "example.com", "a".repeat(255), "tag", null],
  ["sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux", null, null],
  ["sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", null],
  [
    "b.gcr.io/test.example.com/my-app:test.example.com",
    "b.gcr.io",
    "test.example.com/my-app",
    "test.example.com",
    null,
  ],
  ["xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null],
  [`xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`, "xn--7o8h.com", "myimage", "xn--7o8h.com", sha512],
  ["foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", null],
  ["foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", null],
  ["192.168.1.1", "docker.io", "library/192.168.1.1", null, null],
  ["192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag", null],
  ["192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000", null],
  ["192.168.1.1/repo", "192.168.1.1", "repo", null, null],
  ["192.168.1.1:5000/repo", "192.168.1.1:5000", "repo", null, null],
  ["192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", null],
  ["[2001:db8::1]/repo", "[2001:db8::1]", "repo", null, null],
  ["[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", null],
  ["[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", null, null],
  ["[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag", null],
  [`[2001:db8::1]:5000/repo@${sha256}`, "[2001:db8::1]:5000", "repo", null, sha256],
  [`[2001:db8::1]:5000/repo:tag@${sha256}`, "[2001:db8::1]:5000", "repo", "tag", sha256],
  ["[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", null, null],
  ["[::1]:5000/repo", "[::1]:5000", "repo", null, null],
  ["test_com/foo", "docker.io", "test_com/foo", null, null],
  ["docker/migrator", "docker.io", "docker/migrator", null, null],
  ["test-com:8080/foo", "test-com:8080", "foo", null, null],
  ["xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", null, null],
  ["docker.io/library/foo/bar", "docker.io", "library/foo/bar", null, null],
  ["localhost/foo", "localhost", "foo", null, null],
  ["localhost:5000/team/app:1.2", "localhost:5000", "team/app", "1.2", null],
  ["localhost", "docker.io", "library/localhost", null, null],
  ["localhost:5000", "docker.io", "library/localhost", "5000", null],
  ["index.docker.io/debian", "docker.io", "library/debian", null, null],
  ["192.168.0.1:8/debian", "192.168.0.1:8", "debian", null, null],
  [`docker.io/${hex64}`, "docker.io", `library/${hex64}`, null, null],
  [`${hex64.slice(1)}`, "docker.io", `library/${hex64.slice(1)}`, null, null],
  [redisDigest, "docker.io", "library/sha256", redisDigest.slice(7), null],
  [
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v3",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
    "team/api",
    "v3",
    null,
  ],
  // A dotted first component is split off as a domain, but when it is no valid host upstream keeps it in the path.
  ["docker.io__localhost/app", "", "docker.io__localhost/app", null, null],
  [`nginx@sha384:${"a".repeat(96)}`, "docker.io", "library/nginx", null, `sha384:${"a".repeat(96)}`],
];

// normalize_test.go TestParseAnyReference (named cases) and TestParseReferenceWithTagAndDigest.
const normalized: Array<[string, string, string]> = [
  ["redis", "docker.io/library/redis", "redis"],
  ["redis:latest", "docker.io/library/redis:latest", "redis:latest"],
  ["docker.io/library/redis:latest", "docker.io/library/redis:latest", "redis:latest"],
  [`redis@${redisDigest}`, `docker.io/library/redis@${redisDigest}`, `redis@${redisDigest}`],
  [`docker.io/library/redis@${redisDigest}`, `docker.io/library/redis@${redisDigest}`, `redis@${redisDigest}`],
  ["dmcgowan/myapp", "docker.io/dmcgowan/myapp", "dmcgowan/myapp"],
  ["dmcgowan/myapp:latest", "docker.io/dmcgowan/myapp:latest", "dmcgowan/myapp:latest"],
  ["docker.io/mcgowan/myapp:latest", "docker.io/mcgowan/myapp:latest", "mcgowan/myapp:latest"],
  [`dmcgowan/myapp@${redisDigest}`, `docker.io/dmcgowan/myapp@${redisDigest}`, `dmcgowan/myapp@${redisDigest}`],
  ["dbcc1", "docker.io/library/dbcc1", "dbcc1"],
  [`busybox:latest@${redisDigest}`, `docker.io/library/busybox:latest@${redisDigest}`, `busybox:latest@${redisDigest}`],
  ["foo_bar.io/app:1", "foo_bar.io/app:1", "foo_bar.io/app:1"],
  ["quay.io/coreos/etcd:v3.5", "quay.io/coreos/etcd:v3.5", "quay.io/coreos/etcd:v3.5"],
];

// normalize_test.go TestValidateReferenceName / TestValidateRemoteName valid names.
const valid = [
  "docker/docker",
  "library/debian",
  "debian",
  "docker.io/docker/docker",
  "docker.io/library/debian",
  "docker.io/debian",
  "index.docker.io/docker/docker",
  "index.docker.io/library/debian",
  "127.0.0.1:5000/docker/docker",
  "127.0.0.1:5000/library/debian",
  "127.0.0.1:5000/debian",
  "192.168.0.1",
  "192.168.0.1:80",
  "192.168.0.2:25000/debian",
  "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
  "[fc00::1]:5000/docker",
  "[fc00::1]:5000/docker/docker",
  "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
  "Docker/docker",
  "DOCKER/docker",
  "docker-rules/docker",
  "docker---rules/docker",
  "doc/docker",
  "d/docker",
  "jess/t",
  "dock__er/docker",
];

const rejected: Array<[string, string]> = [
  [hex64, "64-character hexadecimal"],
  ["https://github.com/docker/docker", "remove the scheme"],
  ["docker/Docker", "must be lowercase"],
  ["docker.io/docker/Docker", "must be lowercase"],
  ["Uppercase:tag", "must be lowercase"],
  ["test:5000/Uppercase/lowercase:tag", "must be lowercase"],
  [`nginx@SHA256:${"a".repeat(64)}`, "must be lowercase"],
  ["-docker", "invalid reference format"],
  ["-docker/docker", "invalid reference format"],
  ["-docker.io/docker/docker", "invalid reference format"],
  ["docker-/docker", "invalid reference format"],
  ["-docker-/docker", "invalid reference format"],
  ["____/____", "invalid reference format"],
  ["_docker/_docker", "invalid reference format"],
  ["dock..er/docker", "invalid reference format"],
  ["dock_.er/docker", "invalid reference format"],
  ["dock-.er/docker", "invalid reference format"],
  ["aa/asdf$$^/aa", "invalid reference format"],
  ["docker///docker", "empty path component"],
  ["docker.io/docker///docker", "empty path component"],
  ["docker/", "empty path component"],
  ["", "empty"],
  [" nginx", "whitespace"],
  [":justtag", "no repository name"],
  [`@${sha256}`, "no repository name"],
  ["[fc00::1]", "invalid reference format"],
  ["[fc00::1]:5000", "invalid reference format"],
  ["[2001:db8::1]:tag", "invalid reference format"],
  ["fc00::1:5000/debian", "invalid reference format"],
  ["[fe80::1%eth0]:5000/debian", "invalid reference format"],
  ["[fe80::1%@invalidzone]:5000/repo", "invalid reference format"],
  ["[2001:db8:3:4::192.0.2.33]:5000/debian", "invalid reference format"],
  [`${"a/".repeat(128)}a:tag`, "must not be more than 255 characters"],
  [`domain/${"a".repeat(256)}:tag`, "must not be more than 255 characters"],
  [
    `${"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_".repeat(4)}x/docker`,
    "must not be more than 255",
  ],
  ["nginx:-bad", "invalid tag"],
  ["nginx:.hidden", "invalid tag"],
  [`nginx:${"a".repeat(129)}`, "invalid tag"],
  ["nginx@sha256:xyz", "invalid digest format"],
  [`repo@sha256:${"f".repeat(34)}`, "sha256 needs 64 hex characters"],
  [`nginx@sha512:${"a".repeat(64)}`, "sha512 needs 128 hex characters"],
  [`nginx@sha256:${"A".repeat(64)}`, "hex must be lowercase"],
  [`validname@invaliddigest:${"f".repeat(64)}`, "unsupported digest algorithm"],
  [`nginx@md5:${"a".repeat(32)}`, "unsupported digest algorithm"],
];

describe("parseImageReference", () => {
  it.each(repositoryInfo)("reads $input as $full", ({ input, familiar, full, domain, path }) => {
    expect(parsed(input)).toMatchObject({
      familiar,
      normalized: full,
      name: full,
      domain,
      path,
      tag: null,
      digest: null,
    });
  });

  it.each(parses)("splits %s", (input, domain, path, tag, digest) => {
    expect(parsed(input)).toMatchObject({ domain, path, tag, digest });
  });

  it.each(normalized)("normalises %s", (input, normalizedName, familiar) => {
    expect(parsed(input)).toMatchObject({ normalized: normalizedName, familiar });
  });

  it.each(valid)("accepts %s", (input) => {
    expect(parseImageReference(input).ok).toBe(true);
  });

  it.each(rejected)("rejects %j", (input, expected) => {
    expect(reason(input)).toContain(expected);
  });

  it("never adds a default tag", () => {
    expect(parsed("nginx")).toEqual({
      domain: "docker.io",
      path: "library/nginx",
      name: "docker.io/library/nginx",
      tag: null,
      digest: null,
      normalized: "docker.io/library/nginx",
      familiar: "nginx",
    });
  });

  it("rejects long hostile input without catastrophic backtracking", () => {
    expect(parseImageReference(`${"a.".repeat(5000)}!/x`).ok).toBe(false);
    expect(parseImageReference(`${"a-".repeat(5000)}/x!`).ok).toBe(false);
    expect(parseImageReference(`${"a".repeat(5000)}:${"b".repeat(5000)}`).ok).toBe(false);
  });
});
