import { describe, expect, it } from "vitest";
import { DEFAULT_LANDING, safeNextPath, signInUrlFor } from "./sign-in-redirect";

describe("safeNextPath", () => {
  it.each<[string, string | string[] | null | undefined, string]>([
    ["a page", "/secrets", "/secrets"],
    ["a page with its filters", "/secrets?status=expired&cluster=prod", "/secrets?status=expired&cluster=prod"],
    ["a page with a fragment", "/sync#prod", "/sync#prod"],
    ["a dot segment stays on the site", "/a/../clusters", "/clusters"],
    ["nothing asked for", undefined, DEFAULT_LANDING],
    ["an empty value", "", DEFAULT_LANDING],
    ["a repeated parameter", ["/secrets", "/sync"], DEFAULT_LANDING],
    ["another origin", "https://evil.example/secrets", DEFAULT_LANDING],
    ["a scheme-relative URL", "//evil.example/secrets", DEFAULT_LANDING],
    ["a backslash that browsers read as a slash", "/\\evil.example", DEFAULT_LANDING],
    ["a tab that browsers drop", "/\t/evil.example", DEFAULT_LANDING],
    ["a newline", "/secrets\n", DEFAULT_LANDING],
    ["a relative path", "secrets", DEFAULT_LANDING],
    ["javascript:", "javascript:alert(1)", DEFAULT_LANDING],
    ["the sign-in page itself", "/login?next=/secrets", DEFAULT_LANDING],
    ["an API path", "/api/orgs", DEFAULT_LANDING],
    ["an encoded double slash stays a path on this site", "/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["an overlong value", `/${"a".repeat(3000)}`, DEFAULT_LANDING],
  ])("%s", (_name, next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe("signInUrlFor", () => {
  it.each([
    ["/secrets?status=expired", "/login?next=%2Fsecrets%3Fstatus%3Dexpired"],
    [DEFAULT_LANDING, "/login"],
    ["/", "/login"],
    ["//evil.example", "/login"],
  ])("%s → %s", (path, url) => {
    expect(signInUrlFor(path)).toBe(url);
  });
});
