import type { AuditParams } from "./query";

/** The Audit screen's filters as typed; times are ISO 8601 strings or "". */
export type AuditFilters = { action: string; actor: string; target: string; since: string; until: string };

export const noAuditFilters: AuditFilters = { action: "", actor: "", target: "", since: "", until: "" };

export const AUDIT_PAGE_SIZE = 50;

/** The parameters of one page request: trimmed filters, the page size and the cursor. */
export function auditParamsOf(filters: AuditFilters, cursor: string | null): AuditParams {
  const params: AuditParams = { limit: String(AUDIT_PAGE_SIZE) };
  for (const name of ["action", "actor", "target", "since", "until"] as const) {
    const value = filters[name].trim();
    if (value) params[name] = value;
  }
  if (cursor) params.cursor = cursor;
  return params;
}

/** A `datetime-local` value (local wall time) as an ISO instant, or "" when empty or invalid. */
export function localInputToIso(value: string): string {
  if (!value) return "";
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? "" : time.toISOString();
}
