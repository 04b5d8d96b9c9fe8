import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { registerHooks } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// Packages load natively (vitest transforms only the project's own files), so a load hook sees every one.
const loaded: string[] = [];
registerHooks({
  load(url, context, nextLoad) {
    const name = /\/node_modules\/(@[^/]+\/[^/]+|[^@/][^/]*)\//.exec(url)?.[1];
    if (name && !loaded.includes(name)) loaded.push(name);
    return nextLoad(url, context);
  },
});

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-idle-modules-"));
Object.assign(process.env, {
  REGCRED_DATA_DIR: dataDir,
  REGCRED_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  REGCRED_ADMIN_PASSWORD: "idle-modules-password",
  REGCRED_WEBHOOK_PORT: "0",
});
// No cluster: none from a kubeconfig or a service account either.
for (const name of ["DATABASE_URL", "KUBECONFIG", "KUBERNETES_SERVICE_HOST"]) delete process.env[name];

afterAll(async () => {
  await (await import("@/lib/controller/runtime")).stopController();
  await (await (await import("@/lib/runtime")).runtime()).database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("memory", () => {
  it("[memory] a start with no cluster does not load the Kubernetes client library; the first use of the Kubernetes layer does", async () => {
    const { start } = await import("@/lib/start");
    await start();
    expect(loaded).toContain("@electric-sql/pglite");
    expect(loaded).not.toContain("@kubernetes/client-node");

    const { parseYamlText } = await import("@/lib/integrations/kube");
    expect(parseYamlText("apiVersion: v1\nkind: Config\n").ok).toBe(true);
    expect(loaded).toContain("@kubernetes/client-node");
  });
});
