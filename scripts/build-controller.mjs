// Builds the standalone controller (scripts/controller.ts and the lib code it imports) into one JavaScript file,
// dist/controller/controller.mjs, so the controller process runs compiled code with no TypeScript loader and no UI
// (no next, no react). Idempotent: rebuilds only when an input the last build read is newer than the output or is
// gone, or when package-lock.json or this script changed. `scripts/controller.sh` runs it before every start.
// Usage: node scripts/build-controller.mjs [--force]
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const outDir = path.join(root, "dist", "controller");
const outFile = path.join(outDir, "controller.mjs");
const stampFile = path.join(outDir, "inputs.json");

// PGlite finds its .wasm and .data files next to its own module (import.meta.url), so it stays in node_modules.
const external = ["@electric-sql/pglite"];

function fingerprint() {
  const h = createHash("sha256");
  for (const f of ["package-lock.json", "tsconfig.json", "scripts/build-controller.mjs"]) {
    h.update(fs.readFileSync(path.join(root, f)));
  }
  return h.digest("hex");
}

function isFresh(print) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    return false;
  }
  if (stamp.fingerprint !== print || !fs.existsSync(outFile)) return false;
  const built = fs.statSync(outFile).mtimeMs;
  return stamp.inputs.every((f) => {
    try {
      return fs.statSync(path.join(root, f)).mtimeMs <= built;
    } catch {
      return false;
    }
  });
}

// `server-only` throws outside a React server bundle; the controller is server code by definition.
const serverOnly = {
  name: "server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

async function main() {
  const print = fingerprint();
  if (!process.argv.includes("--force") && isFresh(print)) return;
  const started = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  // Written beside the output and renamed into place, so replicas starting together never run half a file.
  const tmp = `${outFile}.${process.pid}.tmp`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["scripts/controller.ts"],
    outfile: tmp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    tsconfig: "tsconfig.json",
    external,
    plugins: [serverOnly],
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: {
      js: "import { createRequire as __regcredRequire } from 'node:module'; const require = __regcredRequire(import.meta.url);",
    },
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
    minify: true,
    keepNames: true,
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("empty:"));
  fs.renameSync(`${tmp}.map`, `${outFile}.map`);
  fs.writeFileSync(tmp, fs.readFileSync(tmp, "utf8").replace(/controller\.mjs\.\d+\.tmp\.map/, "controller.mjs.map"));
  fs.renameSync(tmp, outFile);
  fs.writeFileSync(`${stampFile}.${process.pid}`, JSON.stringify({ fingerprint: print, inputs }));
  fs.renameSync(`${stampFile}.${process.pid}`, stampFile);
  process.stderr.write(`regcred: built the controller (${inputs.length} inputs) in ${Date.now() - started} ms\n`);
}

await main();
