import "server-only";
import { randomUUID } from "node:crypto";
import { isUniqueViolation } from "@/db/errors";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { AppError } from "../errors";
import { parseYamlText } from "../integrations/kube";
import type { Ctx } from "../context";
import { parseWith, validationError } from "../validation";
import { sealKubeconfig } from "./client";
import { extractContext, type MinimalKubeconfig, summarizeKubeconfig } from "./kubeconfig";
import { notifyClusterSettingsChange } from "../sync/notify";
import {
  type ClusterRow,
  type ClusterSettings,
  DEFAULT_CLUSTER_SETTINGS,
  deleteClusterRow,
  findClusterByName,
  findClusterRow,
  findClusterSettings,
  insertClusterRow,
  listClusterRows,
  saveClusterSettings,
  toResponse,
  updateClusterRow,
} from "./repo";
import {
  ClusterCreate,
  ClusterPatch,
  type ClusterResponse,
  KubeconfigInspect,
  type KubeconfigContext,
  type KubeconfigSummary,
} from "./schema";
import { DEFAULT_EXCLUDED_NAMESPACES } from "./scope";
import { webhookAuthValues } from "./webhook-settings";

export type Extracted = { context: KubeconfigContext; kubeconfig: MinimalKubeconfig };
type ScopeInput = Pick<ClusterCreate, "namespace_selector" | "exclude_namespaces"> &
  Partial<
    Pick<
      ClusterCreate,
      | "wiring"
      | "environment_label"
      | "restart_stuck_pods"
      | "node_credential_images"
      | "secret_ref_namespaces"
      | "webhook_auth"
      | "webhook_client_ca"
      | "rotate_webhook_token"
    >
  >;

function parseKubeconfigDoc(text: string): unknown {
  const parsed = parseYamlText(text);
  if (!parsed.ok)
    throw validationError({ kubeconfig: `Kubeconfig is not valid YAML or JSON: ${parsed.error.message}` });
  return parsed.value;
}

/** Picks one context from a parsed kubeconfig; a 400 names the problem (unknown context, exec plugin, missing data…). */
export function extractOrThrow(doc: unknown, context?: string | null): Extracted {
  const extracted = extractContext(doc, context);
  if (!extracted.ok)
    throw new AppError("VALIDATION_FAILED", extracted.message, {
      fields: { [extracted.field]: extracted.message },
    });
  return extracted.value;
}

/** The contexts of a pasted kubeconfig, for the add dialog; no credential leaves the server. */
export function inspectKubeconfig(ctx: Ctx, body: unknown): KubeconfigSummary {
  authorize(ctx.actor, "admin");
  const input = parseWith(KubeconfigInspect, body);
  const summary = summarizeKubeconfig(parseKubeconfigDoc(input.kubeconfig));
  if (!summary.ok)
    throw new AppError("VALIDATION_FAILED", summary.message, {
      fields: { kubeconfig: summary.message },
    });
  return summary.value;
}

const nameTaken = (name: string) =>
  new AppError("CONFLICT", `A cluster named "${name}" already exists in this org.`, {
    fields: { name: `A cluster named "${name}" already exists: choose another name` },
  });

async function assertNameFree(ctx: Ctx, name: string, exceptId?: string): Promise<void> {
  const clash = await findClusterByName(ctx.db, ctx.actor.orgId, name);
  if (clash && clash.id !== exceptId) throw nameTaken(name);
}

function settingsValues(input: ScopeInput): Partial<ClusterSettings> {
  return {
    ...(input.wiring !== undefined ? { wiring: input.wiring } : {}),
    ...(input.environment_label !== undefined ? { environmentLabel: input.environment_label?.trim() || null } : {}),
    ...(input.restart_stuck_pods !== undefined ? { restartStuckPods: input.restart_stuck_pods } : {}),
    ...(input.node_credential_images !== undefined
      ? { nodeCredentialImages: [...new Set(input.node_credential_images)] }
      : {}),
  };
}

type SyncRelevant = Pick<ClusterSettings, "wiring" | "environmentLabel" | "restartStuckPods">;
const settingsChanged = (a: SyncRelevant, b: SyncRelevant) =>
  a.wiring !== b.wiring || a.environmentLabel !== b.environmentLabel || a.restartStuckPods !== b.restartStuckPods;

function scopeValues(
  input: ScopeInput,
  current?: Pick<ClusterRow, "namespaceSelector" | "excludeNamespaces" | "secretRefNamespaces">,
) {
  const selector =
    input.namespace_selector === undefined
      ? (current?.namespaceSelector ?? null)
      : input.namespace_selector?.trim() || null;
  const exclude = input.exclude_namespaces ?? current?.excludeNamespaces ?? [...DEFAULT_EXCLUDED_NAMESPACES];
  const secretRef = input.secret_ref_namespaces ?? current?.secretRefNamespaces ?? [];
  return {
    namespaceSelector: selector,
    excludeNamespaces: [...new Set(exclude)],
    secretRefNamespaces: [...new Set(secretRef)].sort(),
  };
}

/** What the audit entry says about the security settings: modes and names, never the token or the CA. */
function securityAudit(settings: ClusterSettings, row: ClusterRow, issued: boolean) {
  return {
    webhookAuth: settings.webhookAuth,
    webhookTokenIssued: issued,
    secretRefNamespaces: row.secretRefNamespaces.join(","),
  };
}

/** Stores a cluster from an extracted context: connection facts in the clear, the minimal kubeconfig sealed. */
export async function insertCluster(
  ctx: Ctx,
  name: string,
  extracted: Extracted,
  scope: ScopeInput,
  action = "cluster.create",
): Promise<ClusterResponse> {
  const { orgId } = ctx.actor;
  await assertNameFree(ctx, name);
  const id = randomUUID();
  const { context } = extracted;
  const webhook = webhookAuthValues(ctx.keyring, { id, orgId }, scope, null);
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await insertClusterRow(tx, {
        id,
        orgId,
        name,
        source: "kubeconfig",
        server: context.server ?? "",
        contextName: context.name,
        authKind: context.authKind ?? "token",
        insecureSkipTlsVerify: context.insecureSkipTlsVerify,
        defaultNamespace: context.namespace,
        kubeconfigSealed: sealKubeconfig(ctx.keyring, { orgId, id }, extracted.kubeconfig),
        ...scopeValues(scope),
        createdBy: ctx.actor.label,
      });
      const settings = await saveClusterSettings(tx, row, { ...settingsValues(scope), ...webhook.values });
      await recordAudit(tx, ctx.actor, action, name, {
        server: row.server,
        authKind: row.authKind,
        context: context.name,
        wiring: settings.wiring,
        ...securityAudit(settings, row, webhook.token !== null),
      });
      return toResponse(row, settings, webhook.token ?? undefined);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(name);
    throw err;
  }
}

export async function createCluster(ctx: Ctx, body: unknown): Promise<ClusterResponse> {
  authorize(ctx.actor, "admin");
  const input = parseWith(ClusterCreate, body);
  const extracted = extractOrThrow(parseKubeconfigDoc(input.kubeconfig), input.context);
  return insertCluster(ctx, input.name, extracted, input);
}

export async function listClusters(ctx: Ctx): Promise<ClusterResponse[]> {
  authorize(ctx.actor, "viewer");
  const rows = await listClusterRows(ctx.db, ctx.actor.orgId);
  const settings = await findClusterSettings(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toResponse(row, settings.get(row.id)));
}

export async function requireCluster(ctx: Ctx, idOrName: string): Promise<ClusterRow> {
  const row = await findClusterRow(ctx.db, ctx.actor.orgId, idOrName);
  if (!row) throw new AppError("NOT_FOUND", `Cluster "${idOrName}" was not found.`);
  return row;
}

export async function getCluster(ctx: Ctx, idOrName: string): Promise<ClusterResponse> {
  authorize(ctx.actor, "viewer");
  const row = await requireCluster(ctx, idOrName);
  return toResponse(row, (await findClusterSettings(ctx.db, [row.id])).get(row.id));
}

function connectionPatch(ctx: Ctx, row: ClusterRow, patch: ClusterPatch) {
  if (patch.context !== undefined && patch.kubeconfig === undefined) {
    throw validationError({ context: "Context can only change together with a new kubeconfig" });
  }
  if (patch.kubeconfig === undefined) return {};
  if (row.source === "in-cluster")
    throw validationError({
      kubeconfig: "Kubeconfig cannot be set on the in-cluster connection: add another cluster instead",
    });
  const { context, kubeconfig } = extractOrThrow(parseKubeconfigDoc(patch.kubeconfig), patch.context);
  return {
    server: context.server ?? row.server,
    contextName: context.name,
    authKind: context.authKind ?? row.authKind,
    insecureSkipTlsVerify: context.insecureSkipTlsVerify,
    defaultNamespace: context.namespace,
    kubeconfigSealed: sealKubeconfig(ctx.keyring, row, kubeconfig),
    lastTest: null,
  };
}

/** Renames, rescopes or reconnects a cluster; a new kubeconfig replaces the stored one and clears the last test. */
export async function updateCluster(ctx: Ctx, idOrName: string, body: unknown): Promise<ClusterResponse> {
  authorize(ctx.actor, "admin");
  const patch = parseWith(ClusterPatch, body);
  const row = await requireCluster(ctx, idOrName);
  if (patch.name !== undefined && patch.name !== row.name) await assertNameFree(ctx, patch.name, row.id);
  const connection = connectionPatch(ctx, row, patch);
  const before = (await findClusterSettings(ctx.db, [row.id])).get(row.id) ?? DEFAULT_CLUSTER_SETTINGS;
  const webhook = webhookAuthValues(ctx.keyring, row, patch, before);
  let response: ClusterResponse;
  try {
    response = await ctx.db.transaction(async (tx) => {
      const updated = await updateClusterRow(tx, row.orgId, row.id, {
        name: patch.name ?? row.name,
        ...scopeValues(patch, row),
        ...connection,
        updatedAt: new Date(),
      });
      const settings = await saveClusterSettings(tx, row, { ...settingsValues(patch), ...webhook.values });
      const fields = Object.keys(patch)
        .filter((k) => k !== "kubeconfig")
        .sort()
        .join(",");
      const audit = {
        fields,
        kubeconfigReplaced: patch.kubeconfig !== undefined,
        previousName: row.name,
        wiring: settings.wiring,
        ...securityAudit(settings, updated, webhook.token !== null),
      };
      await recordAudit(tx, ctx.actor, "cluster.update", updated.name, audit);
      return toResponse(updated, settings, webhook.token ?? undefined);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(patch.name ?? row.name);
    throw err;
  }
  const after = {
    wiring: response.wiring,
    environmentLabel: response.environment_label,
    restartStuckPods: response.restart_stuck_pods,
  };
  // The next pass removes the old mode's references and applies the new; the webhook registration follows it.
  const allowListChanged = response.secret_ref_namespaces.join(",") !== row.secretRefNamespaces.join(",");
  if (settingsChanged(before, after) || allowListChanged)
    await notifyClusterSettingsChange(ctx.db, row, ctx.actor.label);
  return response;
}

export async function deleteCluster(ctx: Ctx, idOrName: string): Promise<void> {
  authorize(ctx.actor, "admin");
  const row = await requireCluster(ctx, idOrName);
  await ctx.db.transaction(async (tx) => {
    await deleteClusterRow(tx, row.orgId, row.id);
    await recordAudit(tx, ctx.actor, "cluster.delete", row.name, { server: row.server });
  });
}
