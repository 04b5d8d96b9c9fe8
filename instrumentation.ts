export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, so that as few requests as possible reach Next.js before their socket address is stamped.
    (await import("./lib/net/peer")).installPeerStamp();
    const { start } = await import("./lib/start");
    await start();
  }
}
