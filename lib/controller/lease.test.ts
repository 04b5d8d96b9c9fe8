import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubClient } from "@/lib/integrations/kube/stub";
import type { KubeClient, KubeLease, LeaseWrite } from "@/lib/integrations/kube/types";
import { LeaseElector } from "./lease";

/** One Lease object with resourceVersion checks, as the API server keeps it. */
function leaseStore(): { client: KubeClient; read: () => KubeLease | null; down: (v: boolean) => void } {
  let lease: KubeLease | null = null;
  let rv = 0;
  let unreachable = false;
  const save = (l: LeaseWrite): KubeLease =>
    (lease = { ...l, holderIdentity: l.holderIdentity ?? null, resourceVersion: String(++rv) });
  const outage = { ok: false as const, error: { kind: "unreachable" as const, message: "connection refused" } };
  const client: KubeClient = {
    ...stubClient("https://k"),
    getLease: async () =>
      unreachable
        ? outage
        : lease
          ? { ok: true, value: { ...lease } }
          : { ok: false, error: { kind: "not-found", message: "HTTP 404" } },
    createLease: async (l) =>
      unreachable
        ? outage
        : lease
          ? { ok: false, error: { kind: "conflict", message: "exists" } }
          : { ok: true, value: save(l) },
    updateLease: async (l) =>
      unreachable
        ? outage
        : l.resourceVersion !== lease?.resourceVersion
          ? { ok: false, error: { kind: "conflict", message: "changed" } }
          : { ok: true, value: save(l) },
  };
  return { client, read: () => lease, down: (v) => (unreachable = v) };
}

describe("LeaseElector", () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  const elector = (client: KubeClient, identity: string, events: string[]) =>
    new LeaseElector({
      client,
      namespace: "home",
      name: "regcred-inst-cluster",
      identity,
      durationMs: 15_000,
      onStartedLeading: () => events.push(`${identity} leads`),
      onStoppedLeading: () => events.push(`${identity} stops`),
    });

  it("one instance leads and renews; the other takes over only after a full lease duration without renewal", async () => {
    const store = leaseStore();
    const events: string[] = [];
    const a = elector(store.client, "a", events);
    const b = elector(store.client, "b", events);
    a.start();
    await vi.advanceTimersByTimeAsync(10);
    b.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events).toEqual(["a leads"]);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    expect(store.read()).toMatchObject({ holderIdentity: "a", leaseDurationSeconds: 15, leaseTransitions: 0 });

    await a.stop({ release: false });
    await vi.advanceTimersByTimeAsync(14_000);
    expect(b.isLeader()).toBe(false);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(b.isLeader()).toBe(true);
    expect(store.read()).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    await b.stop();
  });

  it("a released lease is taken at once", async () => {
    const store = leaseStore();
    const events: string[] = [];
    const a = elector(store.client, "a", events);
    const b = elector(store.client, "b", events);
    a.start();
    await vi.advanceTimersByTimeAsync(10);
    b.start();
    await vi.advanceTimersByTimeAsync(5_000);
    await a.stop();
    expect(store.read()?.holderIdentity).toBeNull();
    await vi.advanceTimersByTimeAsync(2_100);
    expect(b.isLeader()).toBe(true);
    await b.stop();
  });

  it("stops leading when it cannot renew for two thirds of the duration, and never claims leadership past the lease", async () => {
    const store = leaseStore();
    const events: string[] = [];
    const a = elector(store.client, "a", events);
    a.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(a.isLeader()).toBe(true);
    store.down(true);
    await vi.advanceTimersByTimeAsync(11_000);
    expect(events).toEqual(["a leads", "a stops"]);
    expect(a.isLeader()).toBe(false);
    expect(a.lastError?.message).toBe("connection refused");
    store.down(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(a.isLeader()).toBe(true);
    await a.stop();
  });
});

/** Several Leases by name (the new one and the previous release's), with resourceVersion checks. */
function leaseStores() {
  const leases = new Map<string, KubeLease>();
  let rv = 0;
  const save = (l: LeaseWrite): KubeLease => {
    const saved = { ...l, holderIdentity: l.holderIdentity ?? null, resourceVersion: String(++rv) };
    leases.set(l.name, saved);
    return saved;
  };
  const client: KubeClient = {
    ...stubClient("https://k"),
    getLease: async (_ns, name) =>
      leases.has(name)
        ? { ok: true, value: { ...leases.get(name)! } }
        : { ok: false, error: { kind: "not-found", message: "HTTP 404" } },
    createLease: async (l) =>
      leases.has(l.name) ? { ok: false, error: { kind: "conflict", message: "exists" } } : { ok: true, value: save(l) },
    updateLease: async (l) =>
      l.resourceVersion !== leases.get(l.name)?.resourceVersion
        ? { ok: false, error: { kind: "conflict", message: "changed" } }
        : { ok: true, value: save(l) },
  };
  const renewLegacy = (holder: string | null) => {
    const now = new Date().toISOString();
    save({
      namespace: "home",
      name: "regcred-controller",
      holderIdentity: holder,
      leaseDurationSeconds: 15,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    });
  };
  return { client, read: (name: string) => leases.get(name) ?? null, renewLegacy };
}

describe("LeaseElector during a rolling upgrade", () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  const upgraded = (client: KubeClient, identity: string, ours: string[], taken: string[]) =>
    new LeaseElector({
      client,
      namespace: "home",
      name: "regcred-inst-cluster",
      identity,
      durationMs: 15_000,
      legacy: { name: "regcred-controller", ours: async (h) => ours.includes(h), onTaken: () => taken.push(identity) },
      onStartedLeading: () => undefined,
      onStoppedLeading: () => undefined,
    });

  it("does not lead while an old replica of this installation renews the legacy Lease; then holds both", async () => {
    const store = leaseStores();
    const taken: string[] = [];
    store.renewLegacy("old-1");
    const a = upgraded(store.client, "new-1", ["old-1"], taken);
    a.start();
    for (let i = 0; i < 10; i += 1) {
      await vi.advanceTimersByTimeAsync(5_000);
      store.renewLegacy("old-1");
    }
    expect(a.isLeader()).toBe(false);
    expect(store.read("regcred-inst-cluster")?.holderIdentity).toBe("new-1");
    store.renewLegacy(null);
    await vi.advanceTimersByTimeAsync(2_100);
    expect(a.isLeader()).toBe(true);
    expect(store.read("regcred-controller")?.holderIdentity).toBe("new-1");
    expect(taken).toEqual(["new-1"]);
    await a.stop();
    expect(store.read("regcred-controller")?.holderIdentity).toBeNull();
  });

  it("waits out an old replica that crashed (no renewal for a full duration)", async () => {
    const store = leaseStores();
    store.renewLegacy("old-1");
    const a = upgraded(store.client, "new-1", ["old-1"], []);
    a.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.isLeader()).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.isLeader()).toBe(true);
    await a.stop();
  });

  it("ignores, and never takes, a legacy Lease held by another installation's replica", async () => {
    const store = leaseStores();
    store.renewLegacy("someone-else");
    const a = upgraded(store.client, "new-1", ["old-1"], []);
    a.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(a.isLeader()).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(store.read("regcred-controller")?.holderIdentity).toBe("someone-else");
    await a.stop();
  });
});
