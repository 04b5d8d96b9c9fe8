import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { toKubeError } from "./errors";
import { pathFor } from "./resources";
import { sdk } from "./sdk";
import type {
  KubeError,
  KubeRequestInfo,
  KubeResult,
  WatchEvent,
  WatchHandle,
  WatchKind,
  WatchListener,
  WatchOptions,
} from "./types";

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
const SERVER_TIMEOUT_S = 60;
// The client library aborts a watch after 30 s without bytes; bookmarks may come only once a minute.
const INACTIVITY_MS = (SERVER_TIMEOUT_S + 20) * 1000;
const STABLE_MS = 10_000;

export type WatchDeps = {
  kc: KubeConfig;
  server: string;
  onRequest?: (info: KubeRequestInfo) => void;
  collectionVersion: (kind: WatchKind, opts: WatchOptions) => Promise<KubeResult<string>>;
};

type Status = { kind?: string; code?: number; message?: string };

function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.max(250, Math.floor(Math.random() * ceiling));
}

function watchError(err: unknown): KubeError {
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === "number") return toKubeError({ code: status }, INACTIVITY_MS);
  return toKubeError(err, INACTIVITY_MS);
}

/** A watch that resumes from the last resourceVersion, re-lists the version on 410 Gone, and reconnects with exponential backoff. */
export function startWatch(deps: WatchDeps, kind: WatchKind, opts: WatchOptions, listener: WatchListener): WatchHandle {
  const watcher = new (sdk().Watch)(deps.kc);
  (watcher as unknown as { requestTimeoutMs: number }).requestTimeoutMs = INACTIVITY_MS;
  const path = pathFor(kind, opts.namespace);
  let stopped = false;
  let abort: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let rv: string | undefined;
  let gap = true;
  let attempt = 0;
  let streamError: Status | null = null;

  const retry = (error: KubeError) => {
    if (stopped) return;
    const delay = backoff(attempt++);
    listener.onError?.(error, delay);
    timer = setTimeout(connect, delay);
  };

  const onLine = (type: string, object: unknown) => {
    if (type === "ERROR") {
      const status = object as Status;
      if (status.code === 410) rv = undefined;
      else streamError = status;
      gap = true;
      abort?.abort();
      return;
    }
    const meta = (object as WatchEvent["object"])?.metadata;
    if (meta?.resourceVersion) rv = meta.resourceVersion;
    if (type === "ADDED" || type === "MODIFIED" || type === "DELETED")
      listener.onEvent({ type, kind, object: object as WatchEvent["object"] });
  };

  async function connect(): Promise<void> {
    timer = null;
    if (stopped) return;
    if (!rv) {
      const version = await deps.collectionVersion(kind, opts);
      if (stopped) return;
      if (!version.ok) return retry(version.error);
      rv = version.value;
      gap = true;
    }
    const started = Date.now();
    const query = {
      resourceVersion: rv,
      allowWatchBookmarks: true,
      timeoutSeconds: SERVER_TIMEOUT_S,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    };
    deps.onRequest?.({ method: "GET", url: `${deps.server}${path}?watch=true` });
    const done = (closeError: unknown) => {
      abort = null;
      if (stopped) return;
      const err = closeError ?? (streamError ? { statusCode: streamError.code ?? 500 } : null);
      streamError = null;
      const status = (err as { statusCode?: unknown })?.statusCode;
      if (status === 410) rv = undefined;
      if (Date.now() - started > STABLE_MS) attempt = 0;
      if (!err) {
        timer = setTimeout(connect, 0);
        return;
      }
      gap = true;
      retry(watchError(err));
    };
    try {
      abort = await watcher.watch(path, query, onLine, done);
      if (stopped) abort.abort();
      else if (abort && !abort.signal.aborted) {
        listener.onConnected?.(gap);
        gap = false;
      }
    } catch (err) {
      done(err ?? new Error("watch failed"));
    }
  }

  timer = setTimeout(connect, 0);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort?.abort();
    },
  };
}
