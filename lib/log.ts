import "server-only";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info") as Level;
  return order[level] ?? order.info;
}

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (order[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

/** Structured logger. Callers pass ids and codes only; never credentials. Errors go through describeError. */
export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};

const maxMessage = 300;
const maxCauses = 3;

type Scrubber = [RegExp, (match: string, ...groups: string[]) => string];

const scrubbers: Scrubber[] = [
  [/-----BEGIN [A-Z ]+-----[\s\S]*?(?:-----END [A-Z ]+-----|$)/g, () => "[redacted PEM]"],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, (_m, scheme) => `${scheme}[redacted]@`],
  [
    /\b(Basic|Bearer) +([A-Za-z0-9+/=._~-]{8,})/gi,
    (m, scheme, value) => (/^[a-z]+$/.test(value) ? m : `${scheme} [redacted]`),
  ],
  [
    /\b(password|passwd|secret|token|api[_-]?key)(\s*=\s*|"\s*:\s*")[^\s"',;&}]+/gi,
    (_m, key, sep) => `${key}${sep}[redacted]`,
  ],
  // Keys, tokens and base64 blobs: long runs mixing letters and digits (UUIDs, which name rows, are kept).
  [/[A-Za-z0-9+/_=-]{24,}/g, (m) => (isUuid(m) || !/[0-9]/.test(m) || !/[A-Za-z]/.test(m) ? m : "[redacted]")],
];

function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/**
 * An error message fit for a log line: its first line only (drivers put query parameters on later lines), with
 * anything shaped like a credential (userinfo, Basic/Bearer values, key=value secrets, PEM, long tokens) removed.
 */
export function scrubMessage(message: string): string {
  let out = message.split("\n")[0]!.trim();
  for (const [pattern, replace] of scrubbers) out = out.replace(pattern, replace);
  return out.length > maxMessage ? `${out.slice(0, maxMessage - 3)}...` : out;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" || typeof code === "number" ? String(code) : undefined;
}

function summarize(err: unknown): string {
  if (!(err instanceof Error)) {
    const message = (err as { message?: unknown } | null)?.message;
    return typeof message === "string" ? scrubMessage(message) : typeof err;
  }
  const code = codeOf(err);
  return `${err.name}${code ? ` (${code})` : ""}: ${scrubMessage(err.message)}`;
}

function causesOf(err: unknown): string[] {
  const out: string[] = [];
  let current = (err as { cause?: unknown } | null)?.cause;
  while (current !== undefined && current !== null && out.length < maxCauses) {
    out.push(summarize(current));
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

// drizzle wraps driver errors as "Failed query: <sql>\nparams: <values>"; the driver's error is the cause.
const queryWrapper = /^Failed query: /;

/** Log fields for an error: its scrubbed message, name, code, the same for its causes, and the top stack frames. */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: summarize(err), errorName: typeof err };
  const wrapped = queryWrapper.test(err.message) && err.cause instanceof Error ? err.cause : null;
  const shown = wrapped ?? err;
  const causes = causesOf(shown);
  return {
    error: scrubMessage(shown.message),
    errorName: shown.name,
    errorCode: codeOf(shown),
    ...(wrapped ? { query: scrubMessage(err.message.replace(queryWrapper, "")).slice(0, 120) } : {}),
    ...(causes.length > 0 ? { cause: causes.join(" <- ") } : {}),
    stack: err.stack
      ?.split("\n")
      .filter((l) => l.startsWith("    at "))
      .slice(0, 5)
      .join("\n"),
  };
}
