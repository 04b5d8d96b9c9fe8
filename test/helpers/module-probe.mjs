// Preloaded with `node --import` into a process under test: prints one line to stderr the first time a module of a
// watched package loads (REGCRED_PROBE_PACKAGES, comma-separated), through require or import alike.
import { registerHooks } from "node:module";

const watched = (process.env.REGCRED_PROBE_PACKAGES ?? "").split(",").filter(Boolean);
const seen = new Set();

registerHooks({
  load(url, context, nextLoad) {
    for (const name of watched) {
      if (!seen.has(name) && url.includes(`/node_modules/${name}/`)) {
        seen.add(name);
        process.stderr.write(`module-probe: loaded ${name}\n`);
      }
    }
    return nextLoad(url, context);
  },
});
