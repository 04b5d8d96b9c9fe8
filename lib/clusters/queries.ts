export const clusterKeys = {
  all: (orgId: string) => ["clusters", orgId] as const,
  list: (orgId: string) => [...clusterKeys.all(orgId), "list"] as const,
  importable: (orgId: string) => [...clusterKeys.all(orgId), "importable"] as const,
};

export { ActionFailure, unwrap } from "../result";
