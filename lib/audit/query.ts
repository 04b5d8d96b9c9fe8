import { z } from "zod";
import type { FieldErrors } from "../errors";

/** A page request over the audit log: newest first, every filter applied in the SQL query. */
export type AuditQuery = {
  limit: number;
  /** Entries older than this id (decoded from the opaque cursor). */
  beforeId: number | null;
  action: string | null;
  actor: string | null;
  target: string | null;
  /** Inclusive lower bound of created_at. */
  since: Date | null;
  /** Exclusive upper bound of created_at. */
  until: Date | null;
};

export const AUDIT_DEFAULT_LIMIT = 200;
export const AUDIT_MAX_LIMIT = 500;
const param = z.string({ error: "must be a string" }).optional();
/** GET /audit's query parameters, as strings; the audit screen's server action sends the same. */
export const AuditParams = z.strictObject({
  limit: param,
  cursor: param,
  action: param,
  actor: param,
  target: param,
  since: param,
  until: param,
});
export type AuditParams = z.infer<typeof AuditParams>;
export const auditQueryParams = AuditParams.keyof().options;

const cursorPrefix = "a1:";
const isoDateTime = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const maxFilterLength = 500;

/** The opaque cursor for "entries older than this one". */
export function encodeAuditCursor(id: number): string {
  return Buffer.from(`${cursorPrefix}${id}`).toString("base64url");
}

export function decodeAuditCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith(cursorPrefix) || !/^[1-9]\d{0,15}$/.test(text.slice(cursorPrefix.length))) return null;
  const id = Number(text.slice(cursorPrefix.length));
  return Number.isSafeInteger(id) ? id : null;
}

const capitalized = (field: string) => field.charAt(0).toUpperCase() + field.slice(1);

// A parameter sent empty is invalid (not absent) for numbers and times; the UI leaves unset ones out.
function parseTime(value: string | undefined, field: string, fields: FieldErrors): Date | null {
  if (value === undefined) return null;
  const time = isoDateTime.test(value) ? new Date(value.toUpperCase()) : null;
  if (!time || Number.isNaN(time.getTime())) {
    fields[field] =
      `${capitalized(field)} must be an ISO 8601 date-time with a time zone, such as 2026-05-01T12:00:00Z`;
    return null;
  }
  return time;
}

function parseText(value: string | undefined, field: string, fields: FieldErrors): string | null {
  if (value === undefined || value === "") return null;
  if (value.length > maxFilterLength)
    fields[field] = `${capitalized(field)} must be at most ${maxFilterLength} characters`;
  return value;
}

function parseLimit(value: string | undefined, fields: FieldErrors): number {
  if (value === undefined) return AUDIT_DEFAULT_LIMIT;
  const limit = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= AUDIT_MAX_LIMIT))
    fields.limit = `Limit must be a whole number from 1 to ${AUDIT_MAX_LIMIT}`;
  return limit;
}

/** Parses the query string of GET /audit; every bad value is named in `fields`. */
export function parseAuditQuery(
  params: AuditParams,
): { ok: true; query: AuditQuery } | { ok: false; fields: FieldErrors } {
  const fields: FieldErrors = {};
  const limit = parseLimit(params.limit, fields);
  const beforeId = params.cursor ? decodeAuditCursor(params.cursor) : null;
  if (params.cursor && beforeId === null)
    fields.cursor = "Cursor is not a cursor this API returned: use the one from the Link header or next_cursor";
  const since = parseTime(params.since, "since", fields);
  const until = parseTime(params.until, "until", fields);
  if (since && until && since.getTime() >= until.getTime()) fields.until = "Until must be later than since";
  const query: AuditQuery = {
    limit,
    beforeId,
    action: parseText(params.action, "action", fields),
    actor: parseText(params.actor, "actor", fields),
    target: parseText(params.target, "target", fields),
    since,
    until,
  };
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, query };
}

/** The query string of the next page: the same filters and limit, with the new cursor. */
export function nextPageSearch(params: AuditParams, nextCursor: string): string {
  const search = new URLSearchParams();
  for (const name of auditQueryParams) {
    const value = name === "cursor" ? nextCursor : params[name];
    if (value) search.set(name, value);
  }
  return search.toString();
}
