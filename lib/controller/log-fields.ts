/** Error name, code and stack frames only: driver messages (first stack lines) can carry query parameters. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { errorName: typeof err };
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 5);
  return { errorName: err.name, errorCode: typeof code === "string" ? code : undefined, stack: frames.join("\n") };
}
