import "server-only";
import type { V1Namespace, V1Secret } from "@kubernetes/client-node";
import { DEFAULT_TIMEOUT_MS, loadConfig, resultRunner } from "./config";
import { toNamespace, toSecret } from "./mappers";
import { type RawQuery, type RawSender, rawSender } from "./raw";
import { pathFor } from "./resources";
import type { KubeClient, KubeConnectConfig, KubeConnectOptions, KubeNamespace, KubeSecret } from "./types";
import { startWatch } from "./watch";
import { startInformer } from "./informer";
import { listMethods, listWithVersion } from "./lists";
import { stubClient } from "./stub";
import { writeMethods } from "./writes";

const PAGE_SIZE = 500;

type Page<T> = { items?: T[]; metadata?: { continue?: string } };
type Version = { gitVersion?: string; major?: string; minor?: string; platform?: string };
type SelfSubjectReview = { status?: { userInfo?: { username?: string; groups?: string[] } } };
type AccessReview = { status?: { allowed?: boolean; denied?: boolean; reason?: string } };

/** Every item of a paginated LIST, mapped page by page (the raw pages are not kept). */
async function listMapped<W, T>(send: RawSender, path: string, query: RawQuery, map: (w: W) => T): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await send<Page<W>>({ method: "GET", path, query: { ...query, limit: PAGE_SIZE, continue: token } });
    for (const item of page.items ?? []) items.push(map(item));
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}

/** A client whose every call fails with `invalid` and the given message (for connection details that cannot be used). */
export function failingClient(server: string, message: string): KubeClient {
  return stubClient(server, message);
}

/** Opens a client for one cluster; nothing is sent until a method is called, and no method throws. */
export function connect(config: KubeConnectConfig, opts: KubeConnectOptions = {}): KubeClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const kc = loadConfig(config);
  if (typeof kc === "string") return failingClient(config.kind === "in-cluster" ? config.server : "", kc);
  const server = kc.getCurrentCluster()!.server;
  const send = rawSender(kc, server, timeoutMs, opts.onRequest);
  const run = resultRunner(timeoutMs);
  const lists = listMethods(send, run);

  return {
    server,
    version: () =>
      run(async () => {
        const v = await send<Version>({ method: "GET", path: "/version" });
        return {
          gitVersion: v.gitVersion ?? "",
          major: v.major ?? "",
          minor: v.minor ?? "",
          platform: v.platform ?? "",
        };
      }),
    whoAmI: () =>
      run(async () => {
        const review = await send<SelfSubjectReview>({
          method: "POST",
          path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
          body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
        });
        return { username: review.status?.userInfo?.username ?? "", groups: review.status?.userInfo?.groups ?? [] };
      }),
    accessReview: (attrs) =>
      run(async () => {
        const review = await send<AccessReview>({
          method: "POST",
          path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
          body: {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: { ...attrs } },
          },
        });
        return {
          allowed: review.status?.allowed ?? false,
          denied: review.status?.denied ?? false,
          reason: review.status?.reason ?? null,
        };
      }),
    listNamespaces: (labelSelector) =>
      run(() => listMapped<V1Namespace, KubeNamespace>(send, pathFor("Namespace"), { labelSelector }, toNamespace)),
    listSecrets: (options = {}) =>
      run(() =>
        listMapped<V1Secret, KubeSecret>(
          send,
          pathFor("Secret"),
          { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
          toSecret,
        ),
      ),
    getSecret: (namespace, name) =>
      run(async () => toSecret(await send<V1Secret>({ method: "GET", path: pathFor("Secret", namespace, name) }))),
    ...lists,
    ...writeMethods(send, run),
    watch: (kind, watchOpts, listener) =>
      startWatch(
        { kc, server, onRequest: opts.onRequest, collectionVersion: lists.collectionVersion },
        kind,
        watchOpts,
        listener,
      ),
    informer: (kind, informerOpts, listener) =>
      startInformer(
        {
          kc,
          server,
          onRequest: opts.onRequest,
          list: (k, o) => run(() => listWithVersion(send, k, o)),
        },
        kind,
        informerOpts,
        listener,
      ),
  };
}
