import "server-only";
import type { Db } from "@/db/client";
import { recordAudit } from "../audit/repo";
import { systemActor } from "../auth/actor";
import { authorize } from "../auth/authenticate";
import type { Keyring } from "../crypto/secret-box";
import { AppError } from "../errors";
import {
  detectInCluster,
  type KubeEnvironment,
  kubeEnvironment,
  parseYamlText,
  readReferencedFile,
  readStartupKubeconfigs,
} from "../integrations/kube";
import { describeError, log } from "../log";
import { parseWith } from "../validation";
import { embedFileReferences, mergeKubeconfigDocs, summarizeKubeconfig } from "./kubeconfig";
import { findClusterByName, insertClusterRowIfAbsent, listClusterRows, toResponse, updateClusterRow } from "./repo";
import {
  ClusterImport,
  type ClusterResponse,
  type ImportableContext,
  type ImportableContexts,
  suggestClusterName,
} from "./schema";
import { DEFAULT_EXCLUDED_NAMESPACES } from "./scope";
import { extractOrThrow, insertCluster } from "./service";
import type { Ctx } from "../context";

export const IN_CLUSTER_NAME = "in-cluster";

/**
 * Start-up hook: inside a pod (KUBERNETES_SERVICE_HOST and a mounted service-account token), registers the
 * pod's own cluster as `in-cluster`. Idempotent; keeps the server URL current; never stores the token.
 */
export async function registerInClusterIfPresent(
  db: Db,
  _keyring: Keyring,
  orgId: string,
  environment: KubeEnvironment = kubeEnvironment(),
): Promise<ClusterResponse | null> {
  try {
    return await registerInCluster(db, orgId, environment);
  } catch (err) {
    log.error("could not register the in-cluster connection", { org: orgId, ...describeError(err) });
    return null;
  }
}

async function registerInCluster(db: Db, orgId: string, environment: KubeEnvironment): Promise<ClusterResponse | null> {
  const info = detectInCluster(environment);
  if (!info) return null;
  const existing = await findClusterByName(db, orgId, IN_CLUSTER_NAME);
  if (existing && existing.source !== "in-cluster") {
    log.warn("not registering the in-cluster connection: a cluster of that name already exists", {
      org: orgId,
      cluster: IN_CLUSTER_NAME,
    });
    return null;
  }
  if (existing) {
    if (existing.server === info.server && existing.defaultNamespace === info.namespace) return toResponse(existing);
    const row = await updateClusterRow(db, orgId, existing.id, {
      server: info.server,
      defaultNamespace: info.namespace,
      updatedAt: new Date(),
    });
    return toResponse(row);
  }
  const row = await insertClusterRowIfAbsent(db, {
    orgId,
    name: IN_CLUSTER_NAME,
    source: "in-cluster",
    server: info.server,
    contextName: IN_CLUSTER_NAME,
    authKind: "in-cluster",
    defaultNamespace: info.namespace,
    kubeconfigSealed: null,
    excludeNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES],
    createdBy: "system",
  });
  if (!row) return null;
  await recordAudit(db, systemActor(orgId), "cluster.register-in-cluster", IN_CLUSTER_NAME, { server: info.server });
  log.info("registered the in-cluster connection", { org: orgId, server: info.server });
  return toResponse(row);
}

/** The KUBECONFIG files the server started with, merged as kubectl does, with file references embedded. */
function startupKubeconfig(environment: KubeEnvironment): { doc: unknown; files: string[] } | null {
  const files = readStartupKubeconfigs(environment);
  const docs = files.flatMap((file) => {
    const parsed = parseYamlText(file.text);
    if (!parsed.ok) {
      log.warn("skipping an unreadable KUBECONFIG file", { file: file.path, problem: parsed.error.message });
      return [];
    }
    return [embedFileReferences(parsed.value, (ref) => readReferencedFile(file.path, ref))];
  });
  return docs.length > 0 ? { doc: mergeKubeconfigDocs(docs), files: files.map((f) => f.path) } : null;
}

export type { ImportableContext, ImportableContexts };

/** Contexts offered for import from the KUBECONFIG the server was started with; credentials stay on the server. */
export async function listImportableContexts(
  ctx: Ctx,
  environment: KubeEnvironment = kubeEnvironment(),
): Promise<ImportableContexts> {
  authorize(ctx.actor, "admin");
  const loaded = startupKubeconfig(environment);
  if (!loaded) return { files: [], contexts: [] };
  const summary = summarizeKubeconfig(loaded.doc);
  if (!summary.ok) return { files: loaded.files, contexts: [] };
  const rows = await listClusterRows(ctx.db, ctx.actor.orgId);
  const contexts = summary.value.contexts.map((c) => ({
    ...c,
    suggestedName: suggestClusterName(c.name),
    addedAs:
      rows.find((r) => r.source === "kubeconfig" && r.contextName === c.name && r.server === c.server)?.name ?? null,
  }));
  return { files: loaded.files, contexts };
}

export async function importCluster(
  ctx: Ctx,
  body: unknown,
  environment: KubeEnvironment = kubeEnvironment(),
): Promise<ClusterResponse> {
  authorize(ctx.actor, "admin");
  const input = parseWith(ClusterImport, body);
  const loaded = startupKubeconfig(environment);
  if (!loaded)
    throw new AppError(
      "NOT_FOUND",
      "The server was not started with a readable KUBECONFIG, so there is nothing to import.",
    );
  const extracted = extractOrThrow(loaded.doc, input.context);
  return insertCluster(ctx, input.name ?? suggestClusterName(input.context), extracted, input, "cluster.import");
}
