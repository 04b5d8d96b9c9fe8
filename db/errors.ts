/** PostgreSQL's SQLSTATE for unique_violation. */
const UNIQUE_VIOLATION = "23505";

/** A unique constraint refused the write, as postgres-js and PGlite report it (drizzle wraps it as the cause). */
export function isUniqueViolation(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
