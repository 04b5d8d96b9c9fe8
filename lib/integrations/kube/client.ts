import "server-only";
import type { V1Namespace, V1Secret } from "@kubernetes/client-node";
import { DEFAULT_TIMEOUT_MS, loadConfig, resultRunner } from "./config";
import { toNamespace, toSecret } from "./mappers";
import { rawSender } from "./raw";
import { pathFor } from "./resources";
import type { KubeClient, KubeConnectConfig, KubeConnectOptions } from "./types";
import { startWatch } from "./watch";
import { startInformer } from "./informer";
import { collection, listMethods, listPaged } from "./lists";
import { stubClient } from "./stub";
import { writeMethods } from "./writes";

type Version = { gitVersion?: string; major?: string; minor?: string; platform?: string };
type SelfSubjectReview = { status?: { userInfo?: { username?: string; groups?: string[] } } };
type AccessReview = { status?: { allowed?: boolean; denied?: boolean; reason?: string } };

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
      run(async () => {
        const query = { labelSelector };
        return (await listPaged(send, pathFor("Namespace"), query, (ns) => toNamespace(ns as V1Namespace))).items;
      }),
    listSecrets: (options = {}) =>
      run(async () => {
        const { path, query } = collection("Secret", options);
        return (await listPaged(send, path, query, (s) => toSecret(s as V1Secret))).items;
      }),
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
          list: (k, o, map) =>
            run(() => {
              const { path, query } = collection(k, o);
              return listPaged(send, path, query, map);
            }),
        },
        kind,
        informerOpts,
        listener,
      ),
  };
}
