import { ReadinessQuery, ReadinessView, RecheckResult } from "../readiness/schema";
import { type ApiPart, errors, jsonSchema, type JsonSchema, ok, operation, queryParam, ref } from "./common";

function readinessQueryParams() {
  const props = jsonSchema(ReadinessQuery, "input").properties as Record<string, JsonSchema>;
  const text: Record<string, string> = {
    cluster: "Only this cluster (id or name).",
    namespace: "Only this namespace.",
    verdict: "Only workloads with this verdict: ready, will_fail or unknown.",
  };
  return Object.entries(props).map(([name, schema]) => queryParam(name, text[name] ?? name, schema));
}

export function readinessPart(): ApiPart {
  return {
    paths: {
      "/api/orgs/{orgId}/readiness": {
        get: operation({
          tag: "Readiness",
          id: "getReadiness",
          summary: "Whether each workload's pods will be able to pull their images, with the reasons",
          description:
            "A verdict (ready, will_fail, unknown) per workload and image, from the clusters (the controller's cache when it runs here) and the cached repository checks. Reading never triggers a check. `counts` ignore the verdict filter.",
          params: readinessQueryParams(),
          responses: {
            200: ok("The readiness view (not cached: Cache-Control no-store).", ref("ReadinessView")),
            ...errors([400, 401, 404]),
          },
        }),
      },
      "/api/orgs/{orgId}/readiness/checks": {
        post: operation({
          tag: "Readiness",
          id: "recheckReadiness",
          summary: "Re-check now every repository the org's workloads pull (manager)",
          description:
            "Runs a token exchange with repository:<path>:pull scope and a manifest HEAD per repository and tag, ignoring the cache's TTL; rate limited and bounded in concurrency per registry host.",
          responses: {
            200: ok("What was checked.", ref("RecheckResult")),
            ...errors([401, 403, 404, 429]),
          },
        }),
      },
    },
    schemas: {
      ReadinessView: jsonSchema(ReadinessView, "output"),
      RecheckResult: jsonSchema(RecheckResult, "output"),
    },
  };
}
