import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { clientForCluster } from "@/lib/clusters/client";
import { type ClusterRow, listAllClusterRows } from "@/lib/clusters/repo";
import type { KubeClient } from "@/lib/integrations/kube";
import { ensureInstallation } from "@/lib/installation/repo";
import { describeError, log } from "@/lib/log";
import { ClusterManager, type ManagerOptions } from "./manager";
import * as repo from "@/lib/sync/repo";

export type ControllerOptions = Omit<ManagerOptions, "cluster" | "client" | "installation"> & {
  /** How a cluster is reached (default: its stored connection); benches inject request counters here. */
  clientFor?: (row: ClusterRow) => KubeClient;
  /** Which clusters this controller manages (default: all); tests restrict it to their own. */
  clusterFilter?: (row: ClusterRow) => boolean;
  /** How often the cluster list is re-read (added, changed, removed clusters). */
  scanMs?: number;
  /** How often queued "Sync now" runs are looked for (runs queued by other processes). */
  pollMs?: number;
};

export function defaultInstanceId(): string {
  return `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

const QUEUED_TIMEOUT_MS = 30_000;

/** Runs one ClusterManager per cluster, keeps the set in step with the database, and routes requests to them. */
export class Controller {
  private readonly managers = new Map<string, { manager: ClusterManager; version: string }>();
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private scanning: Promise<void> | null = null;
  private stopped = false;
  private installation: string | null = null;

  constructor(readonly o: ControllerOptions) {}

  get instanceId(): string {
    return this.o.instanceId;
  }

  async start(): Promise<void> {
    this.installation = await ensureInstallation(this.o.db);
    await this.scan();
    // Unref'd: the controller never keeps a process alive on its own (the server or scripts/controller.ts does).
    this.timers.push(setInterval(() => void this.scan(), this.o.scanMs ?? 10_000).unref());
    this.timers.push(setInterval(() => void this.pollQueued(), this.o.pollMs ?? 2_000).unref());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.scanning;
    await Promise.all([...this.managers.values()].map((m) => m.manager.stop()));
    this.managers.clear();
  }

  manager(clusterId: string): ClusterManager | null {
    return this.managers.get(clusterId)?.manager ?? null;
  }

  managersOf(): ClusterManager[] {
    return [...this.managers.values()].map((m) => m.manager);
  }

  /** A "Sync now" request or a registry change: the cluster's manager picks its queued runs up at once (a cluster added since the last scan is picked up first). */
  async kick(clusterId: string, trigger: repo.SyncTrigger = "manual"): Promise<void> {
    if (!this.manager(clusterId)) await this.scan();
    this.manager(clusterId)?.request(trigger);
  }

  kickOrg(orgId: string, trigger: repo.SyncTrigger): void {
    for (const { manager } of this.managers.values()) if (manager.orgId === orgId) manager.request(trigger);
  }

  async scan(): Promise<void> {
    if (this.scanning || this.stopped) return this.scanning ?? undefined;
    this.scanning = this.rescan()
      .catch((err) => log.error("controller: could not read clusters", describeError(err)))
      .finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async rescan(): Promise<void> {
    const installation = this.installation ?? (this.installation = await ensureInstallation(this.o.db));
    const rows = (await listAllClusterRows(this.o.db)).filter((r) => this.o.clusterFilter?.(r) ?? true);
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      const version = `${row.updatedAt.getTime()}`;
      const current = this.managers.get(row.id);
      if (current?.version === version) continue;
      if (current) await current.manager.stop();
      if (this.stopped) return;
      const client = this.o.clientFor
        ? this.o.clientFor(row)
        : clientForCluster(this.o.keyring, row, { timeoutMs: this.o.timeoutMs });
      const manager = new ClusterManager({ ...this.o, installation, cluster: row, client });
      this.managers.set(row.id, { manager, version });
      manager.start();
    }
    for (const [id, m] of this.managers) {
      if (seen.has(id)) continue;
      this.managers.delete(id);
      await m.manager.stop();
    }
  }

  private async pollQueued(): Promise<void> {
    try {
      for (const clusterId of await repo.clustersWithQueuedRuns(this.o.db)) {
        const m = this.manager(clusterId);
        if (m?.isLeader()) m.request("manual");
        else if (m?.leaseError())
          await repo.failQueuedRuns(this.o.db, clusterId, new Date(Date.now() - QUEUED_TIMEOUT_MS), m.leaseError()!);
      }
    } catch (err) {
      log.error("controller: could not poll queued syncs", describeError(err));
    }
  }
}
