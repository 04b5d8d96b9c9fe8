import "server-only";
import { ok } from "../../result";
import type {
  InformerEvent,
  InformerListener,
  InformerOptions,
  Informer,
  KubeError,
  KubeResult,
  WatchKind,
  WatchOptions,
} from "./types";
import { startWatch, type WatchDeps } from "./watch";
import { recordInformerList, recordWatchRestart } from "../../metrics";

type Entry<T> = { object: T; namespace: string; resourceVersion: string | null };
type Meta = { name?: string; namespace?: string; resourceVersion?: string };

/** One LIST item as the store keeps it (`object` null: `map` does not keep it). */
type Listed<T> = Entry<T | null> & { key: string };

export type InformerDeps = Omit<WatchDeps, "collectionVersion"> & {
  /** A paginated LIST of the collection, each item mapped as its page arrives. */
  list: <R>(
    kind: WatchKind,
    opts: WatchOptions,
    map: (raw: unknown) => R,
  ) => Promise<KubeResult<{ items: R[]; resourceVersion: string }>>;
};

const metaOf = (raw: unknown): Meta => ((raw as { metadata?: Meta } | null)?.metadata ?? {}) as Meta;
const keyOf = (m: Meta) => (m.namespace ? `${m.namespace}/${m.name ?? ""}` : (m.name ?? ""));

/**
 * A list-watch cache (informer) on Regcred's own watch: the watch's "where to start" step is a full LIST that
 * replaces the store, so it runs at start and after 410 Gone only; reconnects after errors resume from the last
 * resourceVersion seen (events or bookmarks) without listing. A re-list is compared with the store and the
 * differences are reported as events, so nothing missed during the gap goes unseen.
 */
export function startInformer<T>(
  deps: InformerDeps,
  kind: WatchKind,
  opts: InformerOptions<T>,
  listener: InformerListener<T>,
): Informer<T> {
  const store = new Map<string, Entry<T>>();
  const byNamespace = new Map<string, Set<string>>();
  let synced = false;
  let lists = 0;
  let lastError: KubeError | null = null;

  const index = (key: string, namespace: string) => {
    let keys = byNamespace.get(namespace);
    if (!keys) byNamespace.set(namespace, (keys = new Set()));
    keys.add(key);
  };
  const unindex = (key: string, namespace: string) => {
    const keys = byNamespace.get(namespace);
    keys?.delete(key);
    if (keys?.size === 0) byNamespace.delete(namespace);
  };
  const put = (key: string, entry: Entry<T>) => {
    store.set(key, entry);
    index(key, entry.namespace);
  };
  const drop = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    store.delete(key);
    unindex(key, entry.namespace);
    return entry;
  };
  const emit = (e: InformerEvent<T>) => listener.onEvent?.(e);

  const listed = (raw: unknown): Listed<T> => {
    const meta = metaOf(raw);
    return {
      key: keyOf(meta),
      namespace: meta.namespace ?? "",
      resourceVersion: meta.resourceVersion ?? null,
      object: opts.map(raw),
    };
  };

  // The store after a LIST: what changed since the last one is reported (everything, on the first LIST).
  const replace = (items: Array<Listed<T>>) => {
    const seen = new Set<string>();
    for (const { key, namespace, resourceVersion, object } of items) {
      if (object === null) continue;
      seen.add(key);
      const before = store.get(key);
      if (before && before.resourceVersion === resourceVersion) continue;
      put(key, { object, namespace, resourceVersion });
      emit({ type: before ? "MODIFIED" : "ADDED", key, namespace, object, previous: before?.object });
    }
    for (const key of [...store.keys()]) {
      if (seen.has(key)) continue;
      const gone = drop(key)!;
      emit({ type: "DELETED", key, namespace: gone.namespace, object: gone.object, previous: gone.object });
    }
  };

  const handle = startWatch(
    {
      ...deps,
      collectionVersion: async () => {
        const result = await deps.list(kind, opts, listed);
        if (!result.ok) {
          lastError = result.error;
          return result;
        }
        lists += 1;
        recordInformerList(kind);
        lastError = null;
        replace(result.value.items);
        synced = true;
        listener.onSynced?.();
        return ok(result.value.resourceVersion);
      },
    },
    kind,
    opts,
    {
      onEvent: (e) => {
        if (e.type === "BOOKMARK") return;
        const meta = metaOf(e.object);
        const key = keyOf(meta);
        const namespace = meta.namespace ?? "";
        const before = store.get(key);
        if (e.type === "DELETED") {
          // Already gone: this process deleted it and forgot it.
          if (!drop(key)) return;
          emit({ type: "DELETED", key, namespace, object: before!.object, previous: before!.object });
          return;
        }
        const resourceVersion = meta.resourceVersion ?? null;
        // Already stored at this version: this process wrote it and remembered the answer.
        if (before && resourceVersion !== null && before.resourceVersion === resourceVersion) return;
        const object = opts.map(e.object);
        if (object === null) {
          if (drop(key)) emit({ type: "DELETED", key, namespace, object: before!.object, previous: before!.object });
          return;
        }
        put(key, { object, namespace, resourceVersion });
        emit({ type: before ? "MODIFIED" : "ADDED", key, namespace, object, previous: before?.object });
      },
      onConnected: () => {
        lastError = null;
      },
      onError: (error, ms) => {
        lastError = error;
        recordWatchRestart(kind, error.kind);
        listener.onError?.(error, ms);
      },
    },
  );

  return {
    get synced() {
      return synced;
    },
    get lists() {
      return lists;
    },
    get lastError() {
      return lastError;
    },
    get: (key) => store.get(key)?.object,
    values: function* () {
      for (const entry of store.values()) yield entry.object;
    },
    inNamespace: (namespace) => [...(byNamespace.get(namespace) ?? [])].map((key) => store.get(key)!.object),
    remember: (key, namespace, object, resourceVersion) => put(key, { object, namespace, resourceVersion }),
    forget: (key) => void drop(key),
    stop: () => handle.stop(),
  };
}
