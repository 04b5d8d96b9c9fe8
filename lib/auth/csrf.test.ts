import { describe, expect, it } from "vitest";
import { crossSiteProblem, isJsonContentType } from "./csrf";

const base = {
  method: "POST",
  contentType: "application/json",
  origin: "http://regcred.test:3000",
  secFetchSite: null,
  host: "regcred.test:3000",
};

describe("isJsonContentType", () => {
  it.each([
    ["application/json", true],
    ["Application/JSON; charset=utf-8", true],
    ["application/merge-patch+json", true],
    ["text/plain", false],
    ["application/x-www-form-urlencoded", false],
    ["multipart/form-data; boundary=x", false],
    ["text/json", false],
    ["application/jsonp", false],
    [null, false],
  ])("%j → %s", (value, expected) => {
    expect(isJsonContentType(value)).toBe(expected);
  });
});

describe("crossSiteProblem", () => {
  it.each([
    ["same-origin JSON POST", {}, null],
    ["GET from anywhere", { method: "GET", contentType: null, origin: "http://evil.example" }, null],
    ["text/plain", { contentType: "text/plain" }, /Content-Type: application\/json/],
    ["no Content-Type on DELETE", { method: "DELETE", contentType: null }, /Content-Type/],
    ["another origin", { origin: "http://evil.example" }, /Origin/],
    ["same host, other port", { origin: "http://regcred.test:3001" }, /Origin/],
    ["Origin: null", { origin: "null" }, /Origin/],
    ["no Origin, no Sec-Fetch-Site", { origin: null }, /Origin or Sec-Fetch-Site/],
    ["no Origin, same-origin fetch", { origin: null, secFetchSite: "same-origin" }, null],
    ["same-site is not same-origin", { secFetchSite: "same-site" }, /Sec-Fetch-Site/],
    ["cross-site with a matching Origin", { secFetchSite: "cross-site" }, /Sec-Fetch-Site/],
    ["default port spelled out", { origin: "https://regcred.test", host: "regcred.test:443" }, null],
    ["no Host header", { host: null }, /Origin/],
  ])("%s", (_name, patch, expected) => {
    const problem = crossSiteProblem({ ...base, ...patch });
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
