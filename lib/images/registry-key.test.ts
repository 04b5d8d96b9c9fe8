import { describe, expect, it } from "vitest";
import { parseGoUrl } from "./kubelet-url";
import { kubeletKey, matchRegistry } from "./matching";
import { parseImageReference } from "./reference";
import { hasHostGlob, registryKeyPattern, registryKeyProblem } from "./registry-key";

/** An image name the kubelet would match the key against: `*` as "A", the path completed to a repository name. */
function witness(registry: string): string {
  const slash = registry.indexOf("/");
  const hostPort = (slash < 0 ? registry : registry.slice(0, slash)).replace(/:$/, "");
  const rawPath = slash < 0 ? "" : registry.slice(slash);
  const path = (/^\/v[12]\//.test(rawPath) ? rawPath.slice(3) : rawPath).slice(1);
  const repository = path === "" || /[/._-]$/.test(path) ? `${path}x` : path;
  return `${hostPort.replace(/\*/g, "A")}/${repository}`;
}

function kubeletMatches(registry: string, image: string): boolean {
  const ref = parseImageReference(image);
  return ref.ok && matchRegistry(registry, ref.value) !== null;
}

// Every key form the kubelet's keyring parses (url.Parse) and matches (URLsMatchStr) against some image name.
const accepted: Array<[string, string]> = [
  ["registry.example.com", "a plain host"],
  ["registry.example.com:5000", "a port"],
  ["registry.example.com:5000/team", "a port and a path prefix"],
  ["registry.example.com/team/app", "a two-component path"],
  ["registry.example.com/team/", "a path ending in / (matches team/… only)"],
  ["registry.example.com/tea", "a path that is a string prefix (tea matches team)"],
  ["registry.example.com/team-", "a path ending in a separator"],
  ["registry.example.com/v2/team", "/v2/ dropped by the kubelet: the key is registry.example.com/team"],
  ["registry.example.com/v1/", "/v1/ alone: the key is the host"],
  ["registry.example.com/", "a lone /: the key is the host"],
  ["registry.example.com:", "an empty port: net.SplitHostPort reads none"],
  ["Registry.Example.COM", "uppercase host (image hosts keep their case)"],
  ["127.0.0.1:5000", "an IPv4 address with a port"],
  ["0x7f000001:5000", "a numeric spelling with a port"],
  ["localhost", "localhost alone"],
  ["localhost:5000/team", "localhost with a port"],
  ["myregistry:5000", "a single label with a port"],
  ["MyRegistry", "a single label with an uppercase letter names an image host"],
  ["[::1]:5000", "an IPv6 literal with a port"],
  ["[2001:db8::1]:443/ns", "an IPv6 literal, port and path"],
  ["[::]:5000", "the unspecified IPv6 address (the egress policy, not the key form, refuses it)"],
  ["[2001:DB8:0:0:0:0:0:1]:5000", "a full, uppercase IPv6 literal"],
  ["[1:2:3:4:5:6:7::]:5000", "seven groups and ::"],
  ["*.docker.io", "a glob label"],
  ["prefix.docker.c*", "a glob inside a label"],
  ["*-good.kubernetes.io", "a glob before a literal"],
  ["*.*.example.com:5000/team", "two glob labels, a port and a path"],
  ["reg*try.example.com", "a glob between letters"],
  ["*", "a lone glob: matches localhost and uppercase hosts"],
  ["*:5000", "a lone glob with a port"],
  ["**.example.com", "two stars in a label"],
  ["123456789012.dkr-ecr.eu-west-1.on.aws", "a dual-stack ECR host"],
  ["docker.io", "Docker Hub (written as https://index.docker.io/v1/)"],
  ["index.docker.io/library", "Docker Hub with a path (written as docker.io/library)"],
];

// What url.Parse refuses, or what it parses but no image name can match; each with the reason the user sees.
const refused: Array<[string, RegExp, string?]> = [
  ["", /is required/],
  ["http://x.example.com", /scheme/],
  ["https://registry.example.com/team", /scheme/],
  ["registry example.com", /spaces/],
  [" registry.example.com", /spaces/],
  ["registry.example.com\t", /spaces/],
  ["user:pw@registry.example.com", /user name or password/],
  ["registry.example.com?tab=tags", /\?, #, %/],
  ["registry.example.com#x", /\?, #, %/],
  ["registry.example.com/%61pp", /\?, #, %/],
  ["registry..example.com", /empty label/],
  [".example.com", /empty label/],
  ["example.com.", /empty label/],
  ["/team", /must start with a host/],
  ["-registry.example.com", /start or end with -/],
  ["registry-.example.com", /start or end with -/],
  ["*-.example.com", /start or end with -/],
  ["reg_istry.example.com", /letters, digits, - and the wildcard \*/],
  ["bücher.example.com", /letters, digits, - and the wildcard \*/],
  ["reg?stry.example.com", /\?, #, %/],
  ["myregistry", /names no image host/, "myregistry/app"],
  ["2130706433", /names no image host/, "2130706433/app"],
  ["myregistry:", /names no image host/, "myregistry/app"],
  ["myregistry/team", /names no image host/, "myregistry/team/app"],
  ["registry.example.com:http", /port of digits/],
  ["registry.example.com:*", /port of digits/],
  ["registry.example.com:65536", /0 to 65535/],
  ["registry.example.com:000005000", /0 to 65535/],
  ["::1", /IPv6 address in brackets/],
  ["2001:db8::1:5000", /IPv6 address in brackets/],
  ["[::1]", /needs a port/, "[::1]/app"],
  ["[::1]:", /needs a port/, "[::1]/app"],
  ["[2001:db8::1]/ns", /needs a port/, "[2001:db8::1]/ns/app"],
  ["[::1", /does not close/],
  ["[::1]5000", /only a port/],
  ["[::g]:5000", /not an IPv6 address/],
  ["[1:2:3:4:5:6:7:8:9]:5000", /not an IPv6 address/],
  ["[1:2:3:4:5:6:7::8]:5000", /not an IPv6 address/],
  ["[::ffff:127.0.0.1]:5000", /IPv4 part/],
  ["[::1]:5000:5000", /port of digits/],
  ["reg[a]stry.example.com", /brackets only around an IPv6 address/],
  ["registry.example.com/Team", /lowercase path/],
  ["registry.example.com//team", /empty path component/],
  ["registry.example.com/v2//team", /empty path component/],
  ["registry.example.com/team..app", /starts an image path/],
  ["registry.example.com/team___app", /starts an image path/],
  ["registry.example.com/-team", /starts an image path/],
];

describe("registry key forms the kubelet parses and matches", () => {
  it.each(accepted)("accepts %s (%s)", (registry) => {
    expect(registryKeyProblem(registry)).toBeNull();
    expect(registryKeyPattern.test(registry)).toBe(true);
    const image = witness(registry);
    expect(kubeletKey(registry), "url.Parse refuses it").not.toBeNull();
    expect(kubeletMatches(registry, image), `the kubelet would not use ${registry} for ${image}`).toBe(true);
  });

  it.each(refused)("refuses %j: %s", (registry, reason, expected) => {
    expect(registryKeyProblem(registry)).toMatch(reason);
    expect(registryKeyPattern.test(registry)).toBe(false);
    // The image a user would expect the key to cover, which the kubelet's keyring does not match.
    if (expected) expect(kubeletMatches(registry, expected)).toBe(false);
  });

  it("a glob is a host glob only when the host holds *", () => {
    expect(["*.docker.io", "prefix.docker.c*", "*:5000/team"].map(hasHostGlob)).toEqual([true, true, true]);
    expect(["docker.io", "[::1]:5000", "registry.example.com/te*"].map(hasHostGlob)).toEqual([false, false, false]);
  });
});

// Deterministic pseudo-random strings built as host, port and path from the pieces that matter, plus some noise,
// so that the two definitions meet far beyond the tables: the pattern (the OpenAPI contract) and the explained
// check agree, and every accepted string parses as a kubelet key and matches an image built from it.
function* generated(count: number): Generator<string> {
  let seed = 20261130;
  // mulberry32
  const next = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const pick = (items: readonly string[]) => items[next(items.length)]!;
  const some = (items: readonly string[], max: number) => Array.from({ length: 1 + next(max) }, () => pick(items));
  const labelPieces = ["a", "Z", "0", "9", "-", "*", "_", "localhost", "example", "ü"];
  const ipv6Pieces = ["::", ":", "1", "f", "ffff", "db8", "0", "g", ".", "12345"];
  const ports = ["", "", "", ":", ":5000", ":0", ":65535", ":65536", ":05000", ":x", ":*", "::1"];
  const pathPieces = ["team", "v1", "v2", "/", "-", "_", "__", ".", "a", "A", "0", "--"];
  const noise = [" ", "@", "%", "?", "#", "\\", "[", "]", "https://", "."];
  for (let i = 0; i < count; i++) {
    const labels = Array.from({ length: 1 + next(3) }, () => (next(30) === 0 ? "" : some(labelPieces, 3).join("")));
    const ipv6 = `[${some(ipv6Pieces, 6).join("")}${next(8) === 0 ? "" : "]"}`;
    const host = next(3) === 0 ? ipv6 : labels.join(".");
    const path = next(2) === 0 ? "" : `/${next(10) === 0 ? "" : some(pathPieces, 5).join("")}`;
    const port = host.startsWith("[") && next(2) === 0 ? ":5000" : pick(ports);
    let candidate = `${host}${port}${path}`;
    if (next(10) === 0) {
      const at = next(candidate.length + 1);
      candidate = candidate.slice(0, at) + pick(noise) + candidate.slice(at);
    }
    yield candidate;
  }
}

describe("registryKeyPattern and registryKeyProblem", () => {
  it("agree on 20000 generated strings, and every accepted one is a kubelet key that matches an image", () => {
    const accepted: string[] = [];
    for (const candidate of generated(20_000)) {
      const problem = registryKeyProblem(candidate);
      expect(registryKeyPattern.test(candidate), `${JSON.stringify(candidate)}: ${problem}`).toBe(problem === null);
      if (problem !== null) continue;
      accepted.push(candidate);
      expect(parseGoUrl(`https://${candidate}`), candidate).not.toBeNull();
      expect(kubeletMatches(candidate, witness(candidate)), `${candidate} vs ${witness(candidate)}`).toBe(true);
    }
    // Enough of each kind to mean something: globs, IPv6 literals, ports, paths.
    const kinds = [/\*/, /^\[/, /^[^/]*:[0-9]/, /\/./].map((kind) => accepted.filter((a) => kind.test(a)).length);
    expect(accepted.length).toBeGreaterThan(1000);
    for (const count of kinds) expect(count).toBeGreaterThan(50);
  });
});
