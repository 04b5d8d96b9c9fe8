export const tokenKeys = {
  all: (orgId: string) => ["tokens", orgId] as const,
  list: (orgId: string) => [...tokenKeys.all(orgId), "list"] as const,
};
