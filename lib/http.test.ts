import { describe, expect, it } from "vitest";
import { routePattern } from "./http";

describe("routePattern (the route label of regcred_http_request_duration_seconds)", () => {
  it("puts each parameter's name where its value was, so no org, registry or cluster name reaches a label", () => {
    expect(routePattern("/api/orgs/acme/registries/ecr-main/creds", { orgId: "acme", regId: "ecr-main" })).toBe(
      "/api/orgs/[orgId]/registries/[regId]/creds",
    );
    expect(routePattern("/api/orgs/acme/registries", { orgId: "acme" })).toBe("/api/orgs/[orgId]/registries");
  });

  it("matches percent-encoded segments by their decoded value", () => {
    expect(routePattern("/api/orgs/acme/clusters/a%20b", { orgId: "acme", clusterId: "a b" })).toBe(
      "/api/orgs/[orgId]/clusters/[clusterId]",
    );
  });
});
