// Entry point of the container image (no shell in the image): `dashboard` (the default) starts the web server, with the
// controller in-process unless REGCRED_CONTROLLER=off; `controller` starts the standalone controller, which needs
// DATABASE_URL. Both run from /app, where db/migrations and node_modules are found relative to the working directory.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const roles = {
  dashboard: "server.js",
  controller: "dist/controller/controller.mjs",
};

const args = process.argv.slice(2);
const role = args[0] ?? "dashboard";
if (args.length > 1 || !Object.hasOwn(roles, role)) {
  process.stderr.write(
    `regcred: unknown arguments "${args.join(" ")}". Usage: regcred [dashboard|controller]\n` +
      "  dashboard   the web UI and API on PORT (default 3000), with the controller in-process (default)\n" +
      "  controller  the controller alone; needs DATABASE_URL (PostgreSQL)\n",
  );
  process.exit(64);
}

const appDir = import.meta.dirname;
process.chdir(appDir);
// The root filesystem is read-only: Next.js's cache directory (.next/cache) is a link to this folder on /tmp.
fs.mkdirSync("/tmp/next-cache", { recursive: true, mode: 0o700 });
if (role === "dashboard") {
  // Next's standalone server binds to $HOSTNAME, which Kubernetes sets to the pod's name; listen on every interface.
  // eslint-disable-next-line no-restricted-syntax -- sets the bind address of server.js, which reads no lib/env.ts
  process.env.HOSTNAME = "0.0.0.0";
}

await import(pathToFileURL(path.join(appDir, roles[role])).href);
