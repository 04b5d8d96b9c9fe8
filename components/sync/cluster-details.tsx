"use client";

import { useQuery } from "@tanstack/react-query";
import { StatusBadge } from "@/components/secrets/status-badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { Spinner } from "@/components/ui/spinner";
import { getSyncStatusAction } from "@/lib/sync/actions";
import { syncKeys, syncPollInterval, unwrap } from "@/lib/sync/queries";
import type { SyncNamespaceDto, SyncStatusDto } from "@/lib/sync/schema";
import { getSecretsViewAction } from "@/lib/secrets/actions";
import { SECRETS_REFETCH_MS, secretKeys } from "@/lib/secrets/queries";
import type { SecretRow } from "@/lib/secrets/schema";
import { NamespaceBadge } from "./outcome";

const stuckPodAction: Record<SyncNamespaceDto["stuck_pods"][number]["action"], string> = {
  reported: "created before its pull secret; restart it to pull again",
  restarted: "deleted so its controller re-creates it with the pull secret",
  "restart-failed": "could not be deleted",
};

function Problems({ ns }: { ns: SyncNamespaceDto }) {
  const items = [
    ...ns.errors.map((text) => ({ tone: "var(--danger)", text })),
    ...ns.conflicts.map((c) => ({ tone: "var(--warn)", text: `${c.name}: ${c.reason}` })),
    ...ns.warnings.map((text) => ({ tone: "var(--muted)", text })),
    ...ns.stuck_pods.map((p) => ({
      tone: p.action === "restart-failed" ? "var(--danger)" : "var(--warn)",
      text: `pod ${p.pod}: ${p.reason} on ${p.image} (${stuckPodAction[p.action]})`,
    })),
  ];
  if (items.length === 0) return <span className="muted">—</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: 16 }}>
      {items.map((item, i) => (
        <li key={i} style={{ color: item.tone }}>
          {item.text}
        </li>
      ))}
    </ul>
  );
}

function Changes({ ns }: { ns: SyncNamespaceDto }) {
  if (ns.changes.length === 0) return <span className="muted">No changes yet</span>;
  return (
    <div>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {ns.changes.map((c, i) => (
          <li key={i}>
            <span className="mono">{c.op}</span> {c.target}{" "}
            <span className="muted">
              ({c.reason}
              {c.ok ? "" : `; failed: ${c.error ?? "error"}`})
            </span>
          </li>
        ))}
      </ul>
      {ns.changed_at ? (
        <span className="muted" style={{ fontSize: 12 }}>
          <RelativeTime iso={ns.changed_at} />
        </span>
      ) : null}
    </div>
  );
}

type LiveSecrets = ReadonlyMap<string, SecretRow>;
const liveKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** The secrets a namespace holds after the last pass, each with its status now where that is not "valid". */
function Secrets({ ns, live }: { ns: SyncNamespaceDto; live: LiveSecrets }) {
  if (ns.secrets.length === 0)
    // A namespace whose secret could not be written needs one: only a namespace without problems needs none.
    return ns.errors.length > 0 ? <span>none written</span> : <span className="muted">none needed</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: 0, listStyle: "none" }}>
      {ns.secrets.map((name) => {
        const now = live.get(liveKey(ns.namespace, name));
        return (
          <li key={name}>
            <span className="mono">{name}</span>
            {now && now.status !== "valid" ? (
              <>
                {" "}
                <StatusBadge status={now.status} reason={now.status_reason} />
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function CredentialIssues({ status }: { status: SyncStatusDto }) {
  if (status.credential_issues.length === 0) return null;
  return (
    <div className="callout" role="note">
      <strong>Credential refresh failing</strong>
      <ul style={{ margin: "4px 0 0", paddingLeft: 16 }}>
        {status.credential_issues.map((i) => (
          <li key={i.registryId}>
            <span className="mono">{i.registryId}</span>: {i.reason}. Retry{" "}
            <RelativeTime iso={i.retryAt} kind="deadline" />
            {i.keepUntil ? (
              <>
                ; the existing secrets keep working until <RelativeTime iso={i.keepUntil} kind="deadline" />
              </>
            ) : (
              "; no working secret is left"
            )}
            .
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Per-namespace results of one cluster, polled while a pass runs. */
export function ClusterDetails({
  orgId,
  clusterId,
  clusterName,
}: {
  orgId: string;
  clusterId: string;
  clusterName: string;
}) {
  const { data, isPending, error } = useQuery({
    queryKey: syncKeys.cluster(orgId, clusterId),
    queryFn: async () => unwrap(await getSyncStatusAction(clusterId)),
    refetchInterval: (q) => syncPollInterval([q.state.data?.state ?? "idle"]),
  });
  // The Secrets screen's view of the same secrets, so both screens agree on what is expired.
  const { data: view } = useQuery({
    queryKey: secretKeys.view(orgId),
    queryFn: async () => unwrap(await getSecretsViewAction()),
    staleTime: SECRETS_REFETCH_MS,
    refetchInterval: SECRETS_REFETCH_MS,
  });
  const live: LiveSecrets = new Map(
    (view?.secrets ?? []).filter((s) => s.cluster_id === clusterId).map((s) => [liveKey(s.namespace, s.name), s]),
  );
  if (isPending) return <Spinner label={`Loading the sync details of ${clusterName}`} />;
  if (error)
    return (
      <p role="alert" style={{ color: "var(--danger)" }}>
        {error.message}
      </p>
    );
  return (
    <div className="stack" style={{ gap: 10 }}>
      {data.last_error ? (
        <p role="alert" style={{ margin: 0, color: "var(--danger)" }}>
          {data.last_error}
        </p>
      ) : null}
      <CredentialIssues status={data} />
      {data.namespaces.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          No namespace results yet.
        </p>
      ) : (
        <table>
          <caption className="sr-only">Namespaces of {clusterName}</caption>
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Result</th>
              <th scope="col">Secrets</th>
              <th scope="col">Last changes</th>
              <th scope="col">Errors, conflicts, warnings</th>
            </tr>
          </thead>
          <tbody>
            {data.namespaces.map((ns) => (
              <tr key={ns.namespace} data-namespace={ns.namespace}>
                <td className="mono">{ns.namespace}</td>
                <td>
                  <NamespaceBadge
                    outcome={ns.outcome}
                    statuses={ns.secrets.flatMap((name) => live.get(liveKey(ns.namespace, name))?.status ?? [])}
                  />
                  <br />
                  <span className="muted" style={{ fontSize: 12 }}>
                    <RelativeTime iso={ns.synced_at} />
                  </span>
                </td>
                <td>
                  <Secrets ns={ns} live={live} />
                </td>
                <td>
                  <Changes ns={ns} />
                </td>
                <td>
                  <Problems ns={ns} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
