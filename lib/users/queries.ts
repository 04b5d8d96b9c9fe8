export const memberKeys = {
  all: (orgId: string) => ["members", orgId] as const,
  list: (orgId: string) => [...memberKeys.all(orgId), "list"] as const,
};
