import "server-only";
import type { V1ServiceAccount } from "@kubernetes/client-node";
import type { Workload } from "./workloads";
import { toServiceAccount, toWorkload } from "./mappers";
import type { RawQuery, RawSender } from "./raw";
import { pathFor, WORKLOAD_KINDS } from "./resources";
import type { KubeClient, KubeResult, WatchKind, WatchOptions } from "./types";

const PAGE_SIZE = 500;

export type Runner = <T>(fn: () => Promise<T>) => Promise<KubeResult<T>>;
type ListPage = { items?: unknown[]; metadata?: { continue?: string; resourceVersion?: string } };

/**
 * One paginated LIST: every item mapped page by page (raw pages are dropped as they come), and the
 * resourceVersion the LIST was served at (to watch from; every page comes from the first page's snapshot).
 */
export async function listPaged<T>(
  send: RawSender,
  path: string,
  query: RawQuery,
  map: (raw: unknown) => T,
): Promise<{ items: T[]; resourceVersion: string }> {
  const items: T[] = [];
  let token: string | undefined;
  let resourceVersion = "";
  do {
    const page = await send<ListPage>({ method: "GET", path, query: { ...query, limit: PAGE_SIZE, continue: token } });
    for (const item of page.items ?? []) items.push(map(item));
    resourceVersion ||= page.metadata?.resourceVersion ?? "";
    token = page.metadata?.continue || undefined;
  } while (token);
  return { items, resourceVersion };
}

/** A collection's path and selectors, as a LIST or a watch of it sends them. */
export function collection(kind: WatchKind, opts: WatchOptions = {}): { path: string; query: RawQuery } {
  return {
    path: pathFor(kind, opts.namespace),
    query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector },
  };
}

/** Every item of a collection, one paginated LIST. */
async function listAll<T>(send: RawSender, kind: WatchKind, map: (raw: unknown) => T): Promise<T[]> {
  const { path, query } = collection(kind);
  return (await listPaged(send, path, query, map)).items;
}

type Lists = Pick<KubeClient, "listServiceAccounts" | "listWorkloads" | "collectionVersion">;

export function listMethods(send: RawSender, run: Runner): Lists {
  return {
    listServiceAccounts: () =>
      run(() => listAll(send, "ServiceAccount", (sa) => toServiceAccount(sa as V1ServiceAccount))),
    listWorkloads: () =>
      run(async () => {
        const perKind = await Promise.all(
          WORKLOAD_KINDS.map((kind) => listAll(send, kind, (o): Workload => toWorkload(kind, o))),
        );
        return perKind.flat();
      }),
    collectionVersion: (kind, opts = {}) =>
      run(async () => {
        const { path, query } = collection(kind, opts);
        const page = await send<ListPage>({ method: "GET", path, query: { ...query, limit: 1 } });
        return page.metadata?.resourceVersion ?? "";
      }),
  };
}
