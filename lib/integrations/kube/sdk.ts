import "server-only";
import { createRequire } from "node:module";
import path from "node:path";

type Sdk = typeof import("@kubernetes/client-node");

let loaded: Sdk | undefined;

/**
 * @kubernetes/client-node, loaded on first use (about 75 MB resident: every generated model comes with KubeConfig),
 * so a process with no cluster never holds it. Synchronous (Node's require of an ES module), so connect() stays so.
 */
export function sdk(): Sdk {
  loaded ??= createRequire(path.join(process.cwd(), "package.json"))("@kubernetes/client-node") as Sdk;
  return loaded;
}

/** Whether sdk() has loaded the library in this process (for the test that an idle start does not). */
export function sdkLoaded(): boolean {
  return loaded !== undefined;
}
