import { describe, expect, it } from "vitest";
import { GCR_JSON_KEY_USER, loginUsername, type RegistryType } from "./schema";

describe("loginUsername", () => {
  it.each<[RegistryType, string | null | undefined, string | undefined]>([
    ["google_gcr", undefined, GCR_JSON_KEY_USER],
    ["google_gcr", "", GCR_JSON_KEY_USER],
    ["google_gcr", "oauth2accesstoken", "oauth2accesstoken"],
    ["basic", "alice", "alice"],
    ["basic", undefined, undefined],
    ["azure_acr", null, undefined],
    ["amazon_ecr", "AKIAEXAMPLE", "AKIAEXAMPLE"],
  ])("%s with %j logs in as %j", (type, given, expected) => expect(loginUsername(type, given)).toBe(expected));
});
