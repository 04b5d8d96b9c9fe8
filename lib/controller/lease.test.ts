import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubClient } from "@/lib/integrations/kube/stub";
import type { KubeClient, KubeLease, LeaseWrite } from "@/lib/integrations/kube/types";
import { LeaseElector } from "./lease";

/** One Lease object with resourceVersion checks, as the API server keeps it. */
function leaseStore(): { client: KubeClient; read: () => KubeLease | null; down: (v: boolean) => void } {
  let lease: KubeLease | null = null;
  let rv = 0;
  let unreachable = false;
  const save = (l: LeaseWrite): KubeLease => (lease = { ...l, holderIdentity: l.holderIdentity ?? null, resourceVersion: String(++rv) });
  const outage = { ok: false as const, error: { kind: "unreachable" as const, message: "connection refused" } };
  const client: KubeClient = {
    ...stubClient("https://k"),
    getLease: async () => (unreachable ? outage : lease ? { ok: true, value: { ...lease } } : { ok: false, error: { kind: "not-found", message: "HTTP 404" } }),
    createLease: async (l) => (unreachable ? outage : lease ? { ok: false, error: { kind: "conflict", message: "exists" } } : { ok: true, value: save(l) }),
    updateLease: async (l) => (unreachable ? outage : l.resourceVersion !== lease?.resourceVersion ? { ok: false, error: { kind: "conflict", message: "changed" } } : { ok: true, value: save(l) }),
  };
  return { client, read: () => lease, down: (v) => (unreachable = v) };
}

describe("LeaseElector", () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  const elector = (client: KubeClient, identity: string, events: string[]) =>
    new LeaseElector({ client, namespace: "home", name: "regcred-inst-cluster", identity, durationMs: 15_000, onStartedLeading: () => events.push(`${identity} leads`), onStoppedLeading: () => events.push(`${identity} stops`) });

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
