import type { AuditFilters } from "./filters";

export const auditKeys = {
  all: (orgId: string) => ["audit", orgId] as const,
  list: (orgId: string, filters: AuditFilters) => [...auditKeys.all(orgId), "list", filters] as const,
};

export { ActionFailure, unwrap } from "../result";
