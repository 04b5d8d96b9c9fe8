// Removes from one cluster what a Regcred installation wrote there, for after `helm uninstall` (no hook Pod runs
// then): its pull secrets (`regcred-*`, labelled app.kubernetes.io/managed-by=regcred and regcred.dev/installation),
// the imagePullSecrets entries it recorded on ServiceAccounts (annotation regcred.dev/pull-secrets.<installation>),
// its MutatingWebhookConfigurations and its leader-election Leases. Run by scripts/cleanup-cluster.sh.
import fs from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import { loadConfig } from "@/lib/integrations/kube/config";
import { rawSender, type RawSender } from "@/lib/integrations/kube/raw";
import { INSTALLATION_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, REGISTRY_LABEL } from "@/lib/sync/labels";
import { PULL_SECRETS_ANNOTATION_PREFIX, pullSecretsAnnotationKey, recordedPullSecrets } from "@/lib/sync/ownership";

type Meta = {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
};
type Item = { metadata: Meta; imagePullSecrets?: Array<{ name?: string }> };
type List = { items: Item[]; metadata?: { continue?: string } };

export type CleanupOptions = { installations: "all" | string[]; dryRun: boolean };
export type CleanupReport = { secrets: string[]; serviceAccounts: string[]; webhooks: string[]; leases: string[] };

const USAGE = `Usage: scripts/cleanup-cluster.sh [--kubeconfig FILE] (--installation ID ... | --all) [--dry-run]
Removes the pull secrets, ServiceAccount imagePullSecrets entries, MutatingWebhookConfigurations and Leases that
Regcred installation ID wrote (--all: every installation). Without --installation or --all it lists the
installations found. KUBECONFIG (or ~/.kube/config) is used without --kubeconfig; its current context decides.`;

async function listAll(send: RawSender, path: string, labelSelector?: string): Promise<Item[]> {
  const items: Item[] = [];
  let token: string | undefined;
  do {
    const page = await send<List>({ method: "GET", path, query: { limit: 500, labelSelector, continue: token } });
    items.push(...page.items);
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}

const ofInstallation = (wanted: CleanupOptions["installations"], id: string | undefined) =>
  id !== undefined && (wanted === "all" || wanted.includes(id));

/** The installation ids found on Regcred's secrets and ServiceAccount records, with how many objects carry each. */
export async function findInstallations(send: RawSender): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const add = (id: string) => found.set(id, (found.get(id) ?? 0) + 1);
  for (const s of await listAll(
    send,
    "/api/v1/secrets",
    `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${INSTALLATION_LABEL}`,
  ))
    add(s.metadata.labels![INSTALLATION_LABEL]!);
  for (const sa of await listAll(send, "/api/v1/serviceaccounts"))
    for (const key of Object.keys(sa.metadata.annotations ?? {}))
      if (key.startsWith(PULL_SECRETS_ANNOTATION_PREFIX)) add(key.slice(PULL_SECRETS_ANNOTATION_PREFIX.length));
  return found;
}

function parseRecord(value: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value ?? "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function cleanServiceAccount(send: RawSender, sa: Item, opts: CleanupOptions): Promise<boolean> {
  const annotations = sa.metadata.annotations ?? {};
  const keys = Object.keys(annotations).filter(
    (k) =>
      k.startsWith(PULL_SECRETS_ANNOTATION_PREFIX) &&
      ofInstallation(opts.installations, k.slice(PULL_SECRETS_ANNOTATION_PREFIX.length)),
  );
  if (keys.length === 0) return false;
  const remove = new Set<string>();
  for (const key of keys) {
    const installation = key.slice(PULL_SECRETS_ANNOTATION_PREFIX.length);
    const record = parseRecord(annotations[pullSecretsAnnotationKey(installation)]);
    for (const org of Object.keys(record))
      for (const name of recordedPullSecrets(sa.metadata, { installation, org })) remove.add(name);
  }
  if (opts.dryRun) return true;
  const kept = (sa.imagePullSecrets ?? []).filter((r) => !remove.has(r.name ?? ""));
  await send({
    method: "PATCH",
    path: `/api/v1/namespaces/${sa.metadata.namespace}/serviceaccounts/${sa.metadata.name}`,
    contentType: "application/merge-patch+json",
    // The resourceVersion makes the API server refuse the patch (409) if the ServiceAccount changed meanwhile.
    body: {
      metadata: {
        resourceVersion: sa.metadata.resourceVersion,
        annotations: Object.fromEntries(keys.map((k) => [k, null])),
      },
      imagePullSecrets: kept.map((r) => ({ name: r.name })),
    },
  });
  return true;
}

async function remove(send: RawSender, path: string, dryRun: boolean): Promise<void> {
  if (dryRun) return;
  try {
    await send({ method: "DELETE", path });
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

/** Removes (or with dryRun only lists) what the installations wrote; ServiceAccount entries go before their secrets. */
export async function cleanupCluster(send: RawSender, opts: CleanupOptions): Promise<CleanupReport> {
  const report: CleanupReport = { secrets: [], serviceAccounts: [], webhooks: [], leases: [] };
  for (const sa of await listAll(send, "/api/v1/serviceaccounts"))
    if (await cleanServiceAccount(send, sa, opts))
      report.serviceAccounts.push(`${sa.metadata.namespace}/${sa.metadata.name}`);
  const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${INSTALLATION_LABEL}`;
  for (const s of await listAll(send, "/api/v1/secrets", `${selector},${REGISTRY_LABEL}`)) {
    if (!ofInstallation(opts.installations, s.metadata.labels?.[INSTALLATION_LABEL])) continue;
    await remove(send, `/api/v1/namespaces/${s.metadata.namespace}/secrets/${s.metadata.name}`, opts.dryRun);
    report.secrets.push(`${s.metadata.namespace}/${s.metadata.name}`);
  }
  const hooks = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";
  for (const h of await listAll(send, hooks, selector)) {
    if (!ofInstallation(opts.installations, h.metadata.labels?.[INSTALLATION_LABEL])) continue;
    await remove(send, `${hooks}/${h.metadata.name}`, opts.dryRun);
    report.webhooks.push(h.metadata.name);
  }
  // Leases carry no labels: their names are regcred-<installation>-<cluster id> (leaseNameFor).
  for (const l of await listAll(send, "/apis/coordination.k8s.io/v1/leases")) {
    const id = /^regcred-([a-z][a-z0-9]{9})-/.exec(l.metadata.name)?.[1];
    if (!ofInstallation(opts.installations, id)) continue;
    await remove(
      send,
      `/apis/coordination.k8s.io/v1/namespaces/${l.metadata.namespace}/leases/${l.metadata.name}`,
      opts.dryRun,
    );
    report.leases.push(`${l.metadata.namespace}/${l.metadata.name}`);
  }
  return report;
}

export function senderFor(kubeconfigText: string): RawSender {
  const kc = loadConfig({ kind: "kubeconfig", kubeconfig: kubeconfigText }) as KubeConfig | string;
  if (typeof kc === "string") throw new Error(`the kubeconfig cannot be used: ${kc}`);
  return rawSender(kc, kc.getCurrentCluster()!.server, 30_000);
}

function parseArgs(argv: string[]): { kubeconfig: string; opts: CleanupOptions | null } {
  let kubeconfig = process.env.KUBECONFIG?.split(":")[0] || `${process.env.HOME}/.kube/config`;
  const ids: string[] = [];
  let all = false;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--kubeconfig") kubeconfig = argv[++i] ?? "";
    else if (a === "--installation") ids.push(argv[++i] ?? "");
    else if (a === "--all") all = true;
    else if (a === "--dry-run") dryRun = true;
    else throw new UsageError(a === "--help" || a === "-h" ? "" : `unknown argument ${a}`);
  }
  if (ids.some((id) => !/^[a-z][a-z0-9]{9}$/.test(id)))
    throw new UsageError("--installation takes an installation id: 10 lower-case letters and digits");
  if (all && ids.length) throw new UsageError("give --installation or --all, not both");
  return { kubeconfig, opts: all || ids.length ? { installations: all ? "all" : ids, dryRun } : null };
}

class UsageError extends Error {}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message ? `${err.message}\n` : ""}${USAGE}\n`);
    process.exit(2);
  }
  if (!fs.existsSync(args.kubeconfig)) {
    process.stderr.write(`kubeconfig ${args.kubeconfig} not found (--kubeconfig or KUBECONFIG)\n`);
    process.exit(2);
  }
  const send = senderFor(fs.readFileSync(args.kubeconfig, "utf8"));
  if (!args.opts) {
    const found = await findInstallations(send);
    process.stdout.write(
      found.size === 0
        ? "No Regcred installation has objects in this cluster.\n"
        : `Installations with objects in this cluster (id: objects):\n${[...found].map(([id, n]) => `  ${id}: ${n}`).join("\n")}\nRun again with --installation ID (or --all).\n`,
    );
    return;
  }
  const report = await cleanupCluster(send, args.opts);
  const verb = args.opts.dryRun ? "would remove" : "removed";
  const lines = [
    `${verb} ${report.secrets.length} pull secret(s)`,
    `${verb} Regcred's imagePullSecrets entries from ${report.serviceAccounts.length} ServiceAccount(s)`,
    `${verb} ${report.webhooks.length} MutatingWebhookConfiguration(s)`,
    `${verb} ${report.leases.length} Lease(s)`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (process.argv[1]?.endsWith("cleanup-cluster.ts"))
  main().catch((err: unknown) => {
    const e = err as { code?: number; message?: string };
    // Kubernetes error bodies name objects, never secret values; still, print only the status and our message.
    process.stderr.write(
      `clean-up failed${e.code ? ` (HTTP ${e.code})` : ""}: ${e.code ? "the API server refused a request" : (e.message ?? "unknown error")}\n`,
    );
    process.exit(1);
  });
