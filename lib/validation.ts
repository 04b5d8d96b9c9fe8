import type { z } from "zod";
import { AppError, type FieldErrors } from "./errors";

/** Turns zod issues into field errors keyed by dotted path, naming unknown fields. */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function fieldErrorsOf(error: z.ZodError, input?: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const names = issue.keys.map((k) => (base ? `${base}.${k}` : k));
      fields[base || "body"] = `unknown field${names.length > 1 ? "s" : ""}: ${names.join(", ")}`;
      continue;
    }
    const key = base || "body";
    if (!fields[key])
      fields[key] =
        issue.code === "invalid_type" && valueAt(input, issue.path) === undefined ? "is required" : issue.message;
  }
  return fields;
}

export function describeFieldErrors(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([field, problem]) => (field === "body" ? problem : `${field}: ${problem}`))
    .join("; ");
}

export function validationError(fields: FieldErrors): AppError {
  return new AppError("VALIDATION_FAILED", describeFieldErrors(fields), { fields });
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new AppError("VALIDATION_FAILED", "The request body must be a JSON object.", {
      fields: { body: "must be a JSON object" },
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
