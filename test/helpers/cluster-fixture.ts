import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import type { Database, Db } from "@/db/client";
import { createKeyring, type Keyring } from "@/lib/crypto/secret-box";
import { backends } from "./db";
import { ensureKube, type KubeEnv } from "./kube";

export type ClusterFixture = {
  kube: KubeEnv;
  adminText: string;
  kc: KubeConfig;
  database: Database;
  db: Db;
  keyring: Keyring;
  close: () => Promise<void>;
};

/** The run's kube-apiserver (admin kubeconfig loaded), an in-memory PGlite and a fresh keyring; `close` undoes what it started. */
export async function openClusterFixture(): Promise<ClusterFixture> {
  const started = ensureKube();
  const kc = new KubeConfig();
  kc.loadFromFile(started.env.KUBECONFIG_ADMIN);
  const database = await backends[0]!.open();
  return {
    kube: started.env,
    adminText: fs.readFileSync(started.env.KUBECONFIG_ADMIN, "utf8"),
    kc,
    database,
    db: database.db,
    keyring: createKeyring(randomBytes(32)),
    close: async () => {
      await database.close();
      started.stop();
    },
  };
}
