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

/** Every item of a collection, one paginated LIST. */
export async function listAll(send: RawSender, kind: WatchKind, opts: WatchOptions = {}): Promise<unknown[]> {
  return (await listWithVersion(send, kind, opts)).items;
}

/** Every item of a collection and the resourceVersion the LIST was served at (to watch from), one paginated LIST. */
export async function listWithVersion(
  send: RawSender,
  kind: WatchKind,
  opts: WatchOptions = {},
): Promise<{ items: unknown[]; resourceVersion: string }> {
  const items: unknown[] = [];
  let token: string | undefined;
  let resourceVersion = "";
  do {
    const query: RawQuery = {
      limit: PAGE_SIZE,
      continue: token,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    };
    const page = await send<ListPage>({ method: "GET", path: pathFor(kind, opts.namespace), query });
    items.push(...(page.items ?? []));
    // Every page of a paginated LIST is served from the first page's snapshot.
    resourceVersion ||= page.metadata?.resourceVersion ?? "";
    token = page.metadata?.continue || undefined;
  } while (token);
  return { items, resourceVersion };
}

type Lists = Pick<KubeClient, "listServiceAccounts" | "listWorkloads" | "collectionVersion">;

export function listMethods(send: RawSender, run: Runner): Lists {
  return {
    listServiceAccounts: () =>
      run(async () => (await listAll(send, "ServiceAccount")).map((sa) => toServiceAccount(sa as V1ServiceAccount))),
    listWorkloads: () =>
      run(async () => {
        const perKind = await Promise.all(
          WORKLOAD_KINDS.map(async (kind) => (await listAll(send, kind)).map((o): Workload => toWorkload(kind, o))),
        );
        return perKind.flat();
      }),
    collectionVersion: (kind, opts = {}) =>
      run(async () => {
        const query: RawQuery = { limit: 1, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
        const page = await send<ListPage>({ method: "GET", path: pathFor(kind, opts.namespace), query });
        return page.metadata?.resourceVersion ?? "";
      }),
  };
}
