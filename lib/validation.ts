import type { z } from "zod";
import { AppError, type FieldErrors } from "./errors";

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * zod's `error` for a field's own check: "<Label> is required" when the field is missing, otherwise
 * "<Label> must be <expected>". Every message names its field, so it reads alone in a toast or a log.
 */
export function typeError(label: string, expected: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${label} is required` : `${label} must be ${expected}`;
}

/** zod's own messages ("Invalid input: expected string…") name no field; a schema without its own message gets this. */
function fallbackMessage(path: string, missing: boolean): string {
  return missing ? `${path} is required` : `${path} is not valid`;
}

const zodDefault = /^(Invalid|Too (small|big)|Unrecognized)/;

/** Turns zod issues into field errors keyed by dotted path; each message names its field. */
export function fieldErrorsOf(error: z.ZodError, input?: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const names = issue.keys.map((k) => (base ? `${base}.${k}` : k));
      fields[base || "body"] = `Unknown field${names.length > 1 ? "s" : ""}: ${names.join(", ")}`;
      continue;
    }
    const key = base || "body";
    if (fields[key]) continue;
    const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
    fields[key] = zodDefault.test(issue.message) ? fallbackMessage(key, missing) : issue.message;
  }
  return fields;
}

/** One line for a toast or an API message: the field messages, which name their fields. */
export function describeFieldErrors(fields: FieldErrors): string {
  return Object.values(fields).join("; ");
}

export function validationError(fields: FieldErrors): AppError {
  return new AppError("VALIDATION_FAILED", describeFieldErrors(fields), { fields });
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new AppError("VALIDATION_FAILED", "The request body must be a JSON object.", {
      fields: { body: "The request body must be a JSON object" },
    });
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(fieldErrorsOf(parsed.error, input));
  return parsed.data;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path or query value can be a UUID column's value (PostgreSQL rejects anything else with an error, not a miss). */
export function isUuid(text: string): boolean {
  return uuidPattern.test(text);
}

/**
 * The errors after an edit: those of the edited fields (`edited(key)`) are checked again against `fresh`
 * (kept with its message while still wrong, dropped once fixed); errors of other fields stay as they are,
 * so a server's answer about another field is not lost. Fields without an error get none while typing.
 */
export function recheckErrors(current: FieldErrors, fresh: FieldErrors, edited: (key: string) => boolean): FieldErrors {
  const next: FieldErrors = {};
  for (const [key, message] of Object.entries(current)) {
    if (!edited(key)) next[key] = message;
    else if (fresh[key]) next[key] = fresh[key];
  }
  return next;
}
