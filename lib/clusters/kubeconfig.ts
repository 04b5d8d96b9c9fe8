import type { AuthKind, KubeconfigContext, KubeconfigSummary } from "./schema";

/** What Regcred stores (sealed): a single-context kubeconfig with every credential embedded. */
export type MinimalKubeconfig = {
  apiVersion: "v1";
  kind: "Config";
  clusters: [{ name: string; cluster: Record<string, string | boolean> }];
  users: [{ name: string; user: Record<string, string> }];
  contexts: [{ name: string; context: { cluster: string; user: string; namespace?: string } }];
  "current-context": string;
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; field: "kubeconfig" | "context" };

type Obj = Record<string, unknown>;
type Named = { name: string; body: Obj };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

const clusterKeys = [
  "server",
  "certificate-authority-data",
  "insecure-skip-tls-verify",
  "tls-server-name",
  "proxy-url",
] as const;
const userKeys = ["client-certificate-data", "client-key-data", "token", "username", "password"] as const;
const fileKeys: Record<string, string> = {
  "certificate-authority": "certificate-authority-data",
  "client-certificate": "client-certificate-data",
  "client-key": "client-key-data",
  tokenFile: "token",
};

function namedList(doc: Obj, key: "clusters" | "users" | "contexts", inner: string): Named[] | string {
  const list = doc[key] ?? [];
  if (!Array.isArray(list)) return `"${key}" must be a list`;
  const out: Named[] = [];
  for (const [i, item] of list.entries()) {
    if (!isObj(item) || !str(item.name)) return `${key}[${i}] has no name`;
    const body = item[inner] ?? {};
    if (!isObj(body)) return `${key}[${i}] ("${String(item.name)}") has no "${inner}" map`;
    if (!out.some((n) => n.name === item.name)) out.push({ name: item.name as string, body });
  }
  return out;
}

function isBase64Pem(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return atob(value.replace(/\s+/g, "")).includes("-----BEGIN ");
  } catch {
    return false;
  }
}

function authKindOf(user: Obj): AuthKind | null {
  if (user["client-certificate-data"]) return "client-certificate";
  if (user.token) return "token";
  if (user.username) return "basic";
  return null;
}

function userProblem(name: string, user: Obj): string | null {
  if (user.exec !== undefined) {
    const command =
      isObj(user.exec) && str(user.exec.command) ? ` ("${String(user.exec.command).split("/").pop()}")` : "";
    return `user "${name}" uses an exec credential plugin${command}; Regcred cannot run plugins for other users. Use a ServiceAccount token or a client certificate instead`;
  }
  if (user["auth-provider"] !== undefined) {
    const provider =
      isObj(user["auth-provider"]) && str(user["auth-provider"].name) ? ` "${String(user["auth-provider"].name)}"` : "";
    return `user "${name}" uses the auth-provider${provider}; Regcred cannot run auth providers for other users. Use a ServiceAccount token or a client certificate instead`;
  }
  const impersonation = ["as", "as-uid", "as-groups", "as-user-extra"].find((k) => user[k] !== undefined);
  if (impersonation) return `user "${name}" uses impersonation (${impersonation}), which Regcred does not support`;
  const file = Object.keys(fileKeys).find((k) => k !== "certificate-authority" && user[k] !== undefined);
  if (file) return `user "${name}" refers to a file (${file}); embed it as ${fileKeys[file]} instead`;
  for (const key of userKeys)
    if (user[key] !== undefined && typeof user[key] !== "string") return `user "${name}": ${key} must be a string`;
  if (user["client-certificate-data"] && !isBase64Pem(user["client-certificate-data"]))
    return `user "${name}": client-certificate-data is not a base64-encoded PEM certificate`;
  if (user["client-key-data"] && !isBase64Pem(user["client-key-data"]))
    return `user "${name}": client-key-data is not a base64-encoded PEM key`;
  if (Boolean(user["client-certificate-data"]) !== Boolean(user["client-key-data"]))
    return `user "${name}" needs both client-certificate-data and client-key-data`;
  if (Boolean(user.username) !== Boolean(user.password)) return `user "${name}" needs both username and password`;
  if (!authKindOf(user))
    return `user "${name}" has no credentials (a token, a client certificate or a username and password)`;
  return null;
}

function clusterProblem(name: string, cluster: Obj): string | null {
  const server = str(cluster.server);
  if (!server) return `cluster "${name}" has no server URL`;
  if (!/^https?:\/\/[^\s/]+/.test(server)) return `cluster "${name}": server must be an http(s) URL`;
  if (cluster["certificate-authority"] !== undefined)
    return `cluster "${name}" refers to a file (certificate-authority); embed it as certificate-authority-data instead`;
  if (cluster["certificate-authority-data"] !== undefined && !isBase64Pem(cluster["certificate-authority-data"]))
    return `cluster "${name}": certificate-authority-data is not a base64-encoded PEM certificate`;
  return null;
}

type Resolved = { info: KubeconfigContext; cluster: Named | null; user: Named | null };

function resolveContext(ctx: Named, clusters: Named[], users: Named[]): Resolved {
  const clusterName = str(ctx.body.cluster) ?? "";
  const userName = str(ctx.body.user) ?? "";
  const cluster = clusters.find((c) => c.name === clusterName) ?? null;
  const user = users.find((u) => u.name === userName) ?? null;
  const problem = !cluster
    ? `context "${ctx.name}" refers to cluster "${clusterName}", which is not in the kubeconfig`
    : !user
      ? `context "${ctx.name}" refers to user "${userName}", which is not in the kubeconfig`
      : (clusterProblem(cluster.name, cluster.body) ?? userProblem(user.name, user.body));
  return {
    cluster,
    user,
    info: {
      name: ctx.name,
      cluster: clusterName,
      user: userName,
      server: str(cluster?.body.server),
      namespace: str(ctx.body.namespace),
      authKind: user ? authKindOf(user.body) : null,
      insecureSkipTlsVerify: cluster?.body["insecure-skip-tls-verify"] === true,
      problem,
    },
  };
}

type Loaded = { current: string | null; resolved: Resolved[] };

function load(doc: unknown): Parsed<Loaded> {
  const bad = (message: string): Parsed<Loaded> => ({
    ok: false,
    message: `The kubeconfig ${message}.`,
    field: "kubeconfig",
  });
  if (!isObj(doc)) return bad("is not a YAML or JSON map (expected apiVersion, clusters, users and contexts)");
  if (doc.kind !== undefined && doc.kind !== "Config") return bad(`has kind "${String(doc.kind)}"; expected Config`);
  const clusters = namedList(doc, "clusters", "cluster");
  const users = namedList(doc, "users", "user");
  const contexts = namedList(doc, "contexts", "context");
  for (const list of [clusters, users, contexts]) if (typeof list === "string") return bad(list);
  if ((contexts as Named[]).length === 0) return bad("has no contexts");
  const resolved = (contexts as Named[]).map((c) => resolveContext(c, clusters as Named[], users as Named[]));
  return { ok: true, value: { current: str(doc["current-context"]), resolved } };
}

/** Lists the contexts of a parsed kubeconfig document, each with its problem if Regcred cannot use it. */
export function summarizeKubeconfig(doc: unknown): Parsed<KubeconfigSummary> {
  const loaded = load(doc);
  if (!loaded.ok) return loaded;
  return {
    ok: true,
    value: { currentContext: loaded.value.current, contexts: loaded.value.resolved.map((r) => r.info) },
  };
}

function pick(body: Obj, keys: readonly string[]): Record<string, string | boolean> {
  return Object.fromEntries(
    keys.filter((k) => body[k] !== undefined && body[k] !== "").map((k) => [k, body[k] as string | boolean]),
  );
}

/** Picks one context (default: current-context) and returns it with a minimal kubeconfig holding only what it needs. */
export function extractContext(
  doc: unknown,
  contextName?: string | null,
): Parsed<{ context: KubeconfigContext; kubeconfig: MinimalKubeconfig }> {
  const loaded = load(doc);
  if (!loaded.ok) return loaded;
  const { current, resolved } = loaded.value;
  const wanted = contextName || current || (resolved.length === 1 ? resolved[0]!.info.name : null);
  const names = resolved.map((r) => `"${r.info.name}"`).join(", ");
  if (!wanted)
    return { ok: false, message: `The kubeconfig has no current-context; choose one of ${names}.`, field: "context" };
  const found = resolved.find((r) => r.info.name === wanted);
  if (!found)
    return {
      ok: false,
      message: `Context "${wanted}" is not in the kubeconfig; it has ${names}.`,
      field: contextName ? "context" : "kubeconfig",
    };
  if (found.info.problem || !found.cluster || !found.user)
    return { ok: false, message: `Context "${wanted}" cannot be used: ${found.info.problem}.`, field: "kubeconfig" };
  const ns = found.info.namespace;
  const kubeconfig: MinimalKubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: found.cluster.name, cluster: pick(found.cluster.body, clusterKeys) }],
    users: [{ name: found.user.name, user: pick(found.user.body, userKeys) as Record<string, string> }],
    contexts: [
      {
        name: wanted,
        context: { cluster: found.cluster.name, user: found.user.name, ...(ns ? { namespace: ns } : {}) },
      },
    ],
    "current-context": wanted,
  };
  return { ok: true, value: { context: found.info, kubeconfig } };
}

/**
 * Replaces file references (certificate-authority, client-certificate, client-key, tokenFile) with embedded data,
 * for kubeconfigs read on the server itself; `read` returns a file's bytes as base64, or null if unreadable.
 */
export function embedFileReferences(doc: unknown, read: (path: string) => string | null): unknown {
  if (!isObj(doc)) return doc;
  const embed = (list: unknown, inner: string) =>
    Array.isArray(list)
      ? list.map((item) => {
          if (!isObj(item) || !isObj(item[inner])) return item;
          const body: Obj = { ...item[inner] };
          for (const [fileKey, dataKey] of Object.entries(fileKeys)) {
            const file = str(body[fileKey]);
            const data = file ? read(file) : null;
            if (!file || data === null || body[dataKey]) continue;
            body[dataKey] = dataKey === "token" ? atob(data).trim() : data;
            delete body[fileKey];
          }
          return { ...item, [inner]: body };
        })
      : list;
  return { ...doc, clusters: embed(doc.clusters, "cluster"), users: embed(doc.users, "user") };
}

/** Merges kubeconfig documents as kubectl does with KUBECONFIG=a:b: lists concatenated, the first entry of a name wins. */
export function mergeKubeconfigDocs(docs: unknown[]): unknown {
  const objs = docs.filter(isObj);
  const concat = (key: string) => objs.flatMap((d) => (Array.isArray(d[key]) ? d[key] : []));
  const current = objs.map((d) => str(d["current-context"])).find(Boolean) ?? null;
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: concat("clusters"),
    users: concat("users"),
    contexts: concat("contexts"),
    "current-context": current,
  };
}
