import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type KubeEnv = {
  KUBE_API_URL: string;
  KUBECONFIG_ADMIN: string;
  KUBECONFIG_LIMITED: string;
  KUBE_ADMIN_TOKEN: string;
  KUBE_CA_FILE: string;
  KUBE_ADMIN_CERT_FILE: string;
  KUBE_ADMIN_KEY_FILE: string;
  KUBE_VERSION: string;
};

const root = path.resolve(import.meta.dirname, "../..");

function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/**
 * The kube-apiserver for this test run: the one named by KUBECONFIG_ADMIN (its env file sits beside it),
 * else one started here with scripts/peers/kube-up.sh; `stop` only stops what this call started.
 */
export function ensureKube(): { env: KubeEnv; stop: () => void } {
  const given = process.env.KUBECONFIG_ADMIN;
  if (given) {
    const file = path.join(path.dirname(given), "env");
    const values = { ...(fs.existsSync(file) ? readEnvFile(file) : {}), ...process.env } as unknown as KubeEnv;
    return { env: values, stop: () => {} };
  }
  const own = startOwnKube();
  return { env: own.env, stop: own.stop };
}

/**
 * A kube-apiserver of this test's own (scripts/peers/kube-up.sh in a temp dir, free ports), e.g. with
 * KUBE_ADMISSION_CONFIG_FILE; `restart` restarts it with the same flags (it re-reads its files); `stop` purges it.
 */
export function startOwnKube(extraEnv: Record<string, string> = {}): {
  env: KubeEnv;
  dir: string;
  restart: () => void;
  stop: () => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-clusters-test-"));
  const { KUBE_PORT: _port, ETCD_PORT: _etcd, ...inherited } = process.env;
  execFileSync(path.join(root, "scripts/peers/kube-up.sh"), [dir], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...inherited, REGCRED_PEERS_QUIET: "1", ...extraEnv },
    timeout: 180_000,
  });
  const values = readEnvFile(path.join(dir, "kube", "env")) as unknown as KubeEnv;
  return {
    env: values,
    dir,
    restart: () =>
      void execFileSync(path.join(root, "scripts/peers/kube-restart-apiserver.sh"), [dir], {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...inherited, REGCRED_PEERS_QUIET: "1" },
        timeout: 180_000,
      }),
    stop: () => {
      execFileSync(path.join(root, "scripts/peers/kube-down.sh"), [dir, "--purge"], {
        stdio: "ignore",
        timeout: 60_000,
      });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
