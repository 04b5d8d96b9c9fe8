export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { EnvError, env } = await import("./lib/env");
  try {
    env();
    const { runtime } = await import("./lib/runtime");
    await runtime();
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\nRegcred did not start: fix the variables above.\n`);
      process.exit(1);
    }
    throw err;
  }
}
