// Assembles /app of the container image from the repo's build outputs (called by scripts/build-image.sh):
//   OUT/app/      .next/standalone (server.js, .next, package.json) + .next/static + public/ + db/migrations +
//                 dist/controller/controller.mjs + entrypoint.mjs
//   OUT/modules/  node_modules: the standalone trace merged with a trace (@vercel/nft, shipped inside next) of
//                 @kubernetes/client-node (loaded with a computed require, so no bundler sees it) and
//                 @electric-sql/pglite (kept external: it finds its .wasm and .data files next to itself), the
//                 compiled controller's only external imports besides Node's own modules.
// Fails when a dev dependency would land in the image, a PGlite runtime file is missing, or the controller imports a
// package the image lacks.
// Usage: node deploy/image/assemble-app.mjs OUT TRACE_CACHE_DIR
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const [out, traceCache] = process.argv.slice(2).map((p) => path.resolve(p));
if (!out || !traceCache) fail("usage: node deploy/image/assemble-app.mjs OUT TRACE_CACHE_DIR");

const standalone = path.join(root, ".next/standalone");
const controller = "dist/controller/controller.mjs";
// The standalone output also carries what its trace found beside the code (lib/ TypeScript sources); only these run.
const standaloneKeep = ["server.js", "package.json", ".next"];
// next/image is not used: sharp, its libvips binaries (about 20 MB) and the two packages only sharp needs stay out.
const dropModules = ["sharp", "@img", "detect-libc", "semver"];
const pgliteFiles = ["pglite.wasm", "pglite.data", "initdb.wasm"];
// The AWS SDK's optional signers, required inside a try/catch; not installed.
const optionalImports = ["@aws-sdk/signature-v4-crt", "@aws-sdk/signature-v4a"];

function fail(message) {
  process.stderr.write(`assemble-app: ${message}\n`);
  process.exit(1);
}

/** Recreates a tree with hard links (copies across filesystems); symbolic links stay links. */
function copy(from, to, filter = () => true) {
  if (!filter(from)) return;
  const st = fs.lstatSync(from);
  if (st.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from)) copy(path.join(from, name), path.join(to, name), filter);
  } else if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

function sha256(file) {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Files under node_modules the lazily loaded libraries need; traced once per package-lock.json (about 10 s). */
async function traceModules() {
  const key = createHash("sha256")
    .update(sha256(path.join(root, "package-lock.json")))
    .update(sha256(import.meta.filename))
    .digest("hex")
    .slice(0, 16);
  const cached = path.join(traceCache, `trace-${key}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, "utf8"));
  const require = createRequire(path.join(root, "package.json"));
  const { nodeFileTrace } = require("next/dist/compiled/@vercel/nft");
  const entries = [require.resolve("@kubernetes/client-node"), require.resolve("@electric-sql/pglite")];
  const { fileList } = await nodeFileTrace(entries, { base: root, processCwd: root });
  const files = [...fileList].filter((f) => f.startsWith("node_modules/")).sort();
  fs.mkdirSync(traceCache, { recursive: true });
  fs.writeFileSync(`${cached}.tmp`, JSON.stringify(files));
  fs.renameSync(`${cached}.tmp`, cached);
  return files;
}

const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")).packages;

/** Whether the package a node_modules path belongs to (the innermost one) is one `npm ci --omit=dev` would skip. */
function isDevOnly(rel) {
  const key = rel.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)/)?.[1];
  return !key || !lock[key] || lock[key].dev === true;
}

/** The bundle's external imports (esbuild's metafile, a build-time tool) that are not Node's own, each in the image. */
async function checkControllerImports(modulesDir) {
  const { build } = createRequire(path.join(root, "package.json"))("esbuild");
  const { metafile } = await build({
    entryPoints: [path.join(root, controller)],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
  });
  const imports = Object.values(metafile.outputs).flatMap((o) => o.imports);
  const names = new Set(
    imports
      .filter((i) => i.external && !isBuiltin(i.path))
      .map((i) => i.path.match(/^(?:@[^/]+\/)?[^/]+/)[0])
      .filter((name) => !optionalImports.includes(name)),
  );
  const missing = [...names].filter((name) => !fs.existsSync(path.join(modulesDir, name, "package.json")));
  if (missing.length) fail(`${controller} imports packages missing from the image: ${missing.join(", ")}`);
  return [...names];
}

function checkNoDevDependencies(modulesDir) {
  const found = new Set();
  const walk = (dir, rel) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const r = `${rel}/${entry.name}`;
      if (entry.name.startsWith("@") || entry.name === "node_modules") walk(path.join(dir, entry.name), r);
      else {
        found.add(r);
        if (fs.existsSync(path.join(dir, entry.name, "node_modules")))
          walk(path.join(dir, entry.name, "node_modules"), `${r}/node_modules`);
      }
    }
  };
  walk(modulesDir, "node_modules");
  const bad = [...found].filter(isDevOnly);
  if (bad.length) fail(`packages that are not production dependencies would land in the image: ${bad.join(", ")}`);
  return found.size;
}

async function main() {
  for (const f of [".next/standalone/server.js", ".next/static", controller]) {
    if (!fs.existsSync(path.join(root, f))) fail(`${f} is missing: run \`npm run build\` and build the controller`);
  }
  const app = path.join(out, "app");
  const modules = path.join(out, "modules");
  for (const dir of [app, modules]) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(app, { recursive: true });

  for (const name of standaloneKeep) copy(path.join(standalone, name), path.join(app, name));
  copy(path.join(root, ".next/static"), path.join(app, ".next/static"));
  if (fs.existsSync(path.join(root, "public"))) copy(path.join(root, "public"), path.join(app, "public"));
  copy(path.join(root, "db/migrations"), path.join(app, "db/migrations"));
  copy(path.join(root, controller), path.join(app, controller));
  copy(path.join(import.meta.dirname, "entrypoint.mjs"), path.join(app, "entrypoint.mjs"));
  fs.rmSync(path.join(app, ".next/cache"), { recursive: true, force: true });
  fs.symlinkSync("/tmp/next-cache", path.join(app, ".next/cache"));

  const dropped = (src) =>
    dropModules.some((m) => {
      const dir = path.join(standalone, "node_modules", m);
      return src === dir || src.startsWith(`${dir}/`);
    });
  copy(path.join(standalone, "node_modules"), modules, (src) => !dropped(src));
  // The trace also follows optional requires (debug -> supports-color) that a production install does not satisfy.
  const traced = (await traceModules()).filter((rel) => !isDevOnly(rel));
  for (const rel of traced) {
    const to = path.join(modules, rel.slice("node_modules/".length));
    if (!fs.existsSync(to)) copy(path.join(root, rel), to);
  }

  const pglite = path.join(modules, "@electric-sql/pglite/dist");
  const missing = pgliteFiles.filter((f) => !fs.existsSync(path.join(pglite, f)));
  if (missing.length) fail(`PGlite runtime files missing from the image: ${missing.join(", ")}`);
  if (!fs.existsSync(path.join(modules, "@kubernetes/client-node/package.json")))
    fail("@kubernetes/client-node is missing from the image's node_modules");
  const controllerImports = await checkControllerImports(modules);
  const packages = checkNoDevDependencies(modules);
  process.stderr.write(
    `assemble-app: /app assembled (${packages} production packages, ${traced.length} traced files; ` +
      `the controller imports ${controllerImports.join(", ")})\n`,
  );
}

await main();
