export const registryKeys = {
  all: (orgId: string) => ["registries", orgId] as const,
  list: (orgId: string) => [...registryKeys.all(orgId), "list"] as const,
};
