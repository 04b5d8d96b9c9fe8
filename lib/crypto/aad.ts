// The additional authenticated data each sealed column binds its value to (a value copied to another row fails to open).

export const registryCredsAad = (orgId: string, registryId: string) => `registry:${orgId}/${registryId}`;
export const kubeconfigAad = (orgId: string, clusterId: string) => `cluster:${orgId}/${clusterId}`;
export const webhookTokenAad = (orgId: string, clusterId: string) => `webhook-token:${orgId}/${clusterId}`;
