import "server-only";
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  createConfiguration,
  type KubeConfig,
  type Middleware,
  ServerConfiguration,
  VersionApi,
} from "@kubernetes/client-node";
import { DEFAULT_TIMEOUT_MS, loadConfig, resultRunner, USER_AGENT } from "./config";
import { toNamespace, toSecret } from "./mappers";
import { rawSender } from "./raw";
import type {
  KubeClient,
  KubeConnectConfig,
  KubeConnectOptions,
  KubeNamespace,
  KubeRequestInfo,
  KubeSecret,
} from "./types";
import { startWatch } from "./watch";
import { startInformer } from "./informer";
import { listMethods, listWithVersion } from "./lists";
import { stubClient } from "./stub";
import { writeMethods } from "./writes";

const PAGE_SIZE = 500;

type Apis = { core: CoreV1Api; authn: AuthenticationV1Api; authz: AuthorizationV1Api; version: VersionApi };

function makeApis(kc: KubeConfig, timeoutMs: number, onRequest?: (info: KubeRequestInfo) => void): Apis {
  const timeout: Middleware = {
    pre: async (ctx) => {
      ctx.setSignal(AbortSignal.timeout(timeoutMs));
      ctx.setHeaderParam("User-Agent", USER_AGENT);
      onRequest?.({ method: String(ctx.getHttpMethod()), url: ctx.getUrl() });
      return ctx;
    },
    post: async (res) => res,
  };
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(kc.getCurrentCluster()!.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [timeout],
  });
  return {
    core: new CoreV1Api(configuration),
    authn: new AuthenticationV1Api(configuration),
    authz: new AuthorizationV1Api(configuration),
    version: new VersionApi(configuration),
  };
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
  const apis = makeApis(kc, timeoutMs, opts.onRequest);
  const send = rawSender(kc, server, timeoutMs, opts.onRequest);
  const run = resultRunner(timeoutMs);
  const lists = listMethods(send, run);

  return {
    server,
    version: () =>
      run(async () => {
        const v = await apis.version.getCode();
        return { gitVersion: v.gitVersion, major: v.major, minor: v.minor, platform: v.platform };
      }),
    whoAmI: () =>
      run(async () => {
        const review = await apis.authn.createSelfSubjectReview({
          body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
        });
        return { username: review.status?.userInfo?.username ?? "", groups: review.status?.userInfo?.groups ?? [] };
      }),
    accessReview: (attrs) =>
      run(async () => {
        const review = await apis.authz.createSelfSubjectAccessReview({
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
        const items: KubeNamespace[] = [];
        let token: string | undefined;
        do {
          const page = await apis.core.listNamespace({
            labelSelector: labelSelector || undefined,
            limit: PAGE_SIZE,
            _continue: token,
          });
          items.push(...page.items.map(toNamespace));
          token = page.metadata?._continue || undefined;
        } while (token);
        return items;
      }),
    listSecrets: (options = {}) =>
      run(async () => {
        const items: KubeSecret[] = [];
        let token: string | undefined;
        do {
          const page = await apis.core.listSecretForAllNamespaces({
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
            limit: PAGE_SIZE,
            _continue: token,
          });
          items.push(...page.items.map(toSecret));
          token = page.metadata?._continue || undefined;
        } while (token);
        return items;
      }),
    getSecret: (namespace, name) =>
      run(async () => toSecret(await apis.core.readNamespacedSecret({ namespace, name }))),
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
