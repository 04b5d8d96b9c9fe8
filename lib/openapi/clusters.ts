import {
  ClusterCreate,
  ClusterImport,
  ClusterName,
  ClusterPatch,
  ClusterResponse,
  ClusterTestResult,
  ImportableContexts,
  KubeconfigInspect,
  KubeconfigSummary,
  ScopedNamespaces,
} from "../clusters/schema";
import { SecretsQuery, SecretsView } from "../secrets/schema";
import {
  type ApiPart,
  arrayOf,
  errors,
  jsonSchema,
  type JsonSchema,
  links,
  noContent,
  ok,
  operation,
  pathParam,
  queryParam,
  ref,
  secretStatusListSchema,
} from "./common";

export const clusterId = pathParam("clusterId", "Cluster id (a UUID) or name.", jsonSchema(ClusterName, "input"));
const clusterLinks = links(
  {
    GetCluster: ["getCluster", "Read the created cluster."],
    UpdateCluster: ["updateCluster", "Update it."],
    DeleteCluster: ["deleteCluster", "Delete it."],
  },
  "clusterId",
);
const nameTaken = { 409: "A cluster with that name already exists in the org." };
const kubeconfigRules =
  "The kubeconfig must be YAML or JSON with a usable context: credentials embedded (no file references, exec plugins or auth providers).";

function secretsQueryParams() {
  const props = jsonSchema(SecretsQuery, "input").properties as Record<string, JsonSchema>;
  const text: Record<string, string> = {
    cluster: "Only this cluster (id or name).",
    namespace: "Only this namespace.",
    registry: "Only secrets of this registry id.",
    status: "Only these statuses (repeat the parameter or separate with commas).",
    q: "Words that must all appear in a row's visible text (cluster, namespace, name, registry, hosts…).",
    sort: "name (default), expires, -expires or age.",
  };
  return Object.entries(props).map(([name, schema]) =>
    queryParam(name, text[name] ?? name, name === "status" ? secretStatusListSchema : schema),
  );
}

function paths() {
  const tag = "Cluster";
  return {
    "/api/orgs/{orgId}/clusters": {
      get: operation({
        tag,
        id: "listClusters",
        summary: "List the org's clusters",
        responses: {
          200: ok("The clusters, by name; never their credentials.", arrayOf("ClusterResponse")),
          ...errors([401, 404]),
        },
      }),
      post: operation({
        tag,
        id: "createCluster",
        summary: "Add a cluster from a kubeconfig (admin)",
        description: kubeconfigRules,
        body: ref("ClusterCreate"),
        responses: {
          201: ok("Added.", ref("ClusterResponse"), { links: clusterLinks }),
          ...errors([400, 401, 403, 404, 409, 413], nameTaken),
        },
      }),
    },
    "/api/orgs/{orgId}/clusters/inspect": {
      post: operation({
        tag,
        id: "inspectKubeconfig",
        summary: "List a pasted kubeconfig's contexts and what is wrong with each (admin); nothing is stored",
        body: ref("KubeconfigInspect"),
        responses: { 200: ok("The contexts.", ref("KubeconfigSummary")), ...errors([400, 401, 403, 404, 413]) },
      }),
    },
    "/api/orgs/{orgId}/clusters/importable": {
      get: operation({
        tag,
        id: "listImportableContexts",
        summary: "Contexts of the KUBECONFIG the server started with (admin)",
        responses: {
          200: ok("The files read and their contexts; empty when there is none.", ref("ImportableContexts")),
          ...errors([401, 403, 404]),
        },
      }),
    },
    "/api/orgs/{orgId}/clusters/import": {
      post: operation({
        tag,
        id: "importCluster",
        summary: "Add a cluster from a context of the server's KUBECONFIG (admin)",
        body: ref("ClusterImport"),
        responses: {
          201: ok("Added.", ref("ClusterResponse"), { links: clusterLinks }),
          ...errors([400, 401, 403, 404, 409, 413], {
            ...nameTaken,
            404: "Unknown organization, or the server was started without a readable KUBECONFIG.",
          }),
        },
      }),
    },
    "/api/orgs/{orgId}/clusters/{clusterId}": {
      get: operation({
        tag,
        id: "getCluster",
        summary: "Get one cluster",
        params: [clusterId],
        responses: { 200: ok("The cluster.", ref("ClusterResponse")), ...errors([401, 404]) },
      }),
      patch: operation({
        tag,
        id: "updateCluster",
        summary: "Rename, rescope, reconnect or rewire a cluster (admin)",
        description: `A new kubeconfig replaces the stored one and clears the last test; \`context\` only together with it. ${kubeconfigRules} Changing \`wiring\`, \`environment_label\`, \`restart_stuck_pods\` or \`secret_ref_namespaces\` queues a sync of the cluster: the old mode's references are removed and the new mode applied. Switching to \`webhook\` wiring without \`webhook_auth\` selects \`token\`; a generated webhook token is in \`webhook_token\` of that one response only.`,
        params: [clusterId],
        body: ref("ClusterPatch"),
        responses: {
          200: ok("Updated.", ref("ClusterResponse")),
          ...errors([400, 401, 403, 404, 409, 413], nameTaken),
        },
      }),
      delete: operation({
        tag,
        id: "deleteCluster",
        summary: "Forget a cluster (admin); nothing in the cluster is removed",
        params: [clusterId],
        responses: { 204: noContent, ...errors([401, 403, 404]) },
      }),
    },
    "/api/orgs/{orgId}/clusters/{clusterId}/test": {
      post: operation({
        tag,
        id: "testCluster",
        summary: "Test the connection and Regcred's permissions, and record the outcome (admin)",
        params: [clusterId],
        responses: {
          200: ok(
            "The test ran; an unreachable or unauthorized cluster is a result (`status`), not an error status.",
            ref("ClusterTestResult"),
          ),
          ...errors([401, 403, 404]),
        },
      }),
    },
    "/api/orgs/{orgId}/clusters/{clusterId}/namespaces": {
      get: operation({
        tag,
        id: "listClusterNamespaces",
        summary: "The namespaces Regcred manages in a cluster (selector, exclusions and the opt-out label applied)",
        params: [clusterId],
        responses: {
          200: ok("Included and excluded namespaces.", ref("ScopedNamespaces")),
          ...errors([401, 404, 502], { 502: "The cluster's API server could not be reached or refused the LIST." }),
        },
      }),
    },
    "/api/orgs/{orgId}/secrets": {
      get: operation({
        tag: "Secret",
        id: "listSecrets",
        summary: "Every regcred secret in every cluster of the org, with status and references",
        description:
          "Clusters are read in parallel; one that fails is reported in `clusters` and never hides the others. Unknown query parameters are a 400.",
        params: secretsQueryParams(),
        responses: {
          200: ok("The secrets view (not cached: Cache-Control no-store).", ref("SecretsView")),
          ...errors([400, 401, 404]),
        },
      }),
    },
  };
}

export function clustersPart(): ApiPart {
  return {
    paths: paths(),
    schemas: {
      ClusterCreate: jsonSchema(ClusterCreate, "input"),
      ClusterPatch: jsonSchema(ClusterPatch, "input"),
      ClusterImport: jsonSchema(ClusterImport, "input"),
      KubeconfigInspect: jsonSchema(KubeconfigInspect, "input"),
      ClusterResponse: jsonSchema(ClusterResponse, "output"),
      ClusterTestResult: jsonSchema(ClusterTestResult, "output"),
      KubeconfigSummary: jsonSchema(KubeconfigSummary, "output"),
      ImportableContexts: jsonSchema(ImportableContexts, "output"),
      ScopedNamespaces: jsonSchema(ScopedNamespaces, "output"),
      SecretsView: jsonSchema(SecretsView, "output"),
    },
  };
}
