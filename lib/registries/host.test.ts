import { describe, expect, it } from "vitest";
import { numericHostSpelling, registryDestinationHost, registryHost, testHostProblem } from "./host";

describe("numericHostSpelling", () => {
  it.each([
    ["1572395042", { spelled: "1572395042", address: "93.184.216.34" }],
    ["0x7f000001:5000/team", { spelled: "0x7f000001", address: "127.0.0.1" }],
    ["0177.0.0.1", { spelled: "0177.0.0.1", address: "127.0.0.1" }],
    ["127.1", { spelled: "127.1", address: "127.0.0.1" }],
    ["127.0.0.1:5000", null],
    ["registry.example.com", null],
    ["[::1]:5000", null],
    ["", null],
  ])("%s", (registry, want) => expect(numericHostSpelling(registry)).toEqual(want));
});

describe("a registry whose host has a glob names no single host", () => {
  it.each([
    ["*.example.com", null, "*.example.com"],
    ["prefix.docker.c*:5000/team", null, "prefix.docker.c*:5000"],
    ["[::1]:5000/team", "[::1]:5000", "[::1]:5000"],
    ["Registry.Example.com/team", "registry.example.com", "registry.example.com"],
  ])("%s: host %s, destination %s", (registry, host, destination) => {
    expect(registryHost(registry)).toBe(host);
    expect(registryDestinationHost(registry)).toBe(destination);
  });
});

// [registry, test_host, the problem or null]
const testHosts: Array<[string, string | undefined, RegExp | null]> = [
  ["*.example.com", "a.example.com", null],
  ["*.example.com/team", "registry.example.com", null],
  ["prefix.docker.c*", "prefix.docker.com", null],
  ["prefix.docker.c*", "prefix.docker.co", null],
  ["127.0.0.*:5000", "127.0.0.1:5000", null],
  ["*.*.example.com:5000/team", "a.b.example.com:5000", null],
  ["*", "localhost", null],
  ["*.example.com", undefined, /is required: \*\.example\.com has a wildcard/],
  ["*.example.com", "", /is required/],
  ["registry.example.com", undefined, null],
  ["registry.example.com", "registry.example.com", /only applies to a registry whose host has a wildcard/],
  ["*.example.com", "example.com", /example\.com is not matched by \*\.example\.com/],
  ["*.example.com", "a.b.example.com", /not matched/],
  ["*.example.com", "a.example.org", /not matched/],
  ["prefix.docker.c*", "prefix.docker.io", /not matched/],
  ["127.0.0.*:5000", "127.0.0.1:5001", /not matched/],
  ["127.0.0.*:5000", "127.0.0.1", /not matched/],
  // The kubelet splits [::1]:5000 into the one label "::1" and port 5000: a lone * matches it.
  ["*:5000", "[::1]:5000", null],
  ["*.*:5000", "[::1]:5000", /not matched/],
  ["*.example.com", "a.example.com/team", /without a path/],
  ["*.example.com", "*.example.com", /without the wildcard/],
  ["*.example.com", "a .example.com", /spaces/],
  ["*.example.com", "user@a.example.com", /user name or password/],
  ["*", "myhost", /names no image host/],
];

describe("testHostProblem", () => {
  it.each(testHosts)("%s tested at %j", (registry, testHost, problem) => {
    const got = testHostProblem(registry, testHost);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toMatch(problem);
  });
});
