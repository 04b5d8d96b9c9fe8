import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type KubernetesObject, loadAllYaml } from "@kubernetes/client-node";

export const root = path.resolve(import.meta.dirname, "../..");
export const CHART = path.join(root, "deploy/helm/regcred");

/** HELM_BIN (scripts/peers/up.sh writes it into the peers' env), else where scripts/peers/install.sh builds it. */
export function helmBin(): string {
  const lib = fs.readFileSync(path.join(root, "scripts/peers/lib.sh"), "utf8");
  const version = /HELM_VERSION=\$\{HELM_VERSION:-([^}]+)\}/.exec(lib)?.[1];
  const cache = process.env.REGCRED_CACHE ?? path.join(os.homedir(), ".cache/regcred");
  const bin = process.env.HELM_BIN ?? path.join(cache, "helm", version ?? "", "helm");
  if (!fs.existsSync(bin))
    throw new Error(
      `helm not found at ${bin}: run REGCRED_INSTALL_STEPS=helm scripts/peers/install.sh (or set HELM_BIN)`,
    );
  return bin;
}

export type HelmRun = { code: number; stdout: string; stderr: string };
export type Helm = (args: string[], opts?: { allowFail?: boolean }) => HelmRun;

/** Runs helm against `kubeconfig` with its config, cache and data homes in a temp dir of its own. */
export function helmFor(kubeconfig: string): Helm {
  const bin = helmBin();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-helm-"));
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    KUBECONFIG: kubeconfig,
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_DATA_HOME: path.join(home, "data"),
  };
  return (args, opts = {}) => {
    const r = spawnSync(bin, args, { env, encoding: "utf8", timeout: 120_000 });
    const run = { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    if (run.code !== 0 && !opts.allowFail)
      throw new Error(`helm ${args.join(" ")} failed (${run.code}):\n${run.stderr}`);
    return run;
  };
}

/** `--set` arguments from a flat map (`a.b=1`); lists as `{x,y}`. */
export function setArgs(values: Record<string, string | number | boolean | string[]>): string[] {
  return Object.entries(values).flatMap(([k, v]) => ["--set", `${k}=${Array.isArray(v) ? `{${v.join(",")}}` : v}`]);
}

export type Rendered = KubernetesObject & Record<string, unknown>;

export function parseManifests(text: string): Rendered[] {
  return (loadAllYaml(text) as Array<Rendered | null>).filter((o): o is Rendered => Boolean(o?.kind));
}

export function find(objects: Rendered[], kind: string, name?: string): Rendered {
  const hit = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!hit) throw new Error(`no ${kind}${name ? ` ${name}` : ""} in the rendered chart`);
  return hit;
}

/** A kubeconfig (JSON) for a bearer token, its context's namespace set. */
export function tokenKubeconfig(server: string, caData: string, token: string | undefined, namespace: string): string {
  if (!token) throw new Error("the TokenRequest answered without a token");
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server, "certificate-authority-data": caData } }],
    users: [{ name: "u", user: { token } }],
    contexts: [{ name: "c", context: { cluster: "c", user: "u", namespace } }],
    "current-context": "c",
  });
}
