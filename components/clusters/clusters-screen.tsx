"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { type Column, DataTable, Row, RowActions } from "@/components/ui/table";
import { deleteClusterAction, listClustersAction, listImportableContextsAction } from "@/lib/clusters/actions";
import { clusterKeys, unwrap } from "@/lib/clusters/queries";
import { authKindLabels, type ClusterResponse, type ClusterTestResult } from "@/lib/clusters/schema";
import type { ImportableContexts } from "@/lib/clusters/startup";
import { ClusterDialog } from "./cluster-dialog";
import { ImportableContextsPanel } from "./importable-contexts";
import { TestClusterButton } from "./test-button";
import { ClusterTestResultView, testTones } from "./test-result";

type Props = { orgId: string; canWrite: boolean; initial: ClusterResponse[]; importable: ImportableContexts | null };
const columns: Column[] = [
  { label: "Name" },
  { label: "Server" },
  { label: "Auth" },
  { label: "Scope" },
  { label: "Last test" },
  { label: "Actions", hideLabel: true },
];

type Open =
  { kind: "create" } | { kind: "edit"; cluster: ClusterResponse } | { kind: "delete"; cluster: ClusterResponse } | null;

function LastTest({ test }: { test: ClusterResponse["last_test"] }) {
  if (!test) return <span className="muted">Not tested yet</span>;
  return (
    <span className="row" style={{ flexWrap: "wrap" }}>
      <Badge tone={testTones[test.status]} title={test.summary}>
        {test.status}
      </Badge>
      {test.version ? <span className="mono">{test.version}</span> : null}
      <span className="muted">
        <RelativeTime iso={test.tested_at} />
      </span>
    </span>
  );
}

function DeleteClusterDialog({
  cluster,
  onClose,
  onDeleted,
}: {
  cluster: ClusterResponse;
  onClose: () => void;
  onDeleted: () => void;
}) {
  return (
    <ConfirmDialog
      title={`Delete cluster ${cluster.name}?`}
      description="Regcred forgets this cluster and its stored credentials. Secrets already in the cluster stay until you remove them."
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      onClose={onClose}
      onConfirm={async () => {
        const result = await deleteClusterAction(cluster.id);
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(`Cluster ${cluster.name} deleted`);
        onDeleted();
        return false;
      }}
    >
      <p style={{ margin: 0 }}>
        Registries whose <code>secrets</code> map uses the key <code>{cluster.name}</code> will no longer match it.
      </p>
    </ConfirmDialog>
  );
}

export function ClustersScreen({ orgId, canWrite, initial, importable: initialImportable }: Props) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const [results, setResults] = useState<Record<string, ClusterTestResult>>({});
  const { data: clusters = initial } = useQuery({
    queryKey: clusterKeys.list(orgId),
    queryFn: async () => unwrap(await listClustersAction()),
    initialData: initial,
  });
  const { data: importable } = useQuery({
    queryKey: clusterKeys.importable(orgId),
    queryFn: async () => unwrap(await listImportableContextsAction()),
    initialData: initialImportable ?? undefined,
    enabled: canWrite,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: clusterKeys.all(orgId) });
  const close = () => setOpen(null);
  const saved = () => {
    close();
    refresh();
  };
  const add = (
    <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
      Add cluster
    </Button>
  );

  return (
    <div className="stack">
      <header className="page-head">
        <div>
          <h1>Clusters</h1>
          <p>The Kubernetes clusters Regcred writes pull secrets into, and which of their namespaces it manages.</p>
        </div>
        {canWrite ? add : null}
      </header>
      {canWrite && importable ? <ImportableContextsPanel importable={importable} onImported={refresh} /> : null}
      {clusters.length === 0 ? (
        <EmptyState
          title="No clusters yet"
          action={
            canWrite ? (
              <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
                Add your first cluster
              </Button>
            ) : undefined
          }
        >
          Add a cluster from a kubeconfig: Regcred keeps only the context you pick, encrypted, and uses it to keep the
          pull secrets of your registries in its namespaces.
        </EmptyState>
      ) : (
        <DataTable caption={`Clusters in org ${orgId}`} columns={columns}>
          {clusters.map((c) => (
            <Row
              key={c.id}
              data-cluster-name={c.name}
              // Only while it is the row's last test: a new kubeconfig resets the test and hides it.
              expanded={
                results[c.id] && c.last_test && c.last_test.tested_at >= results[c.id]!.tested_at ? (
                  <ClusterTestResultView result={results[c.id]!} />
                ) : null
              }
              expandedLabel={`Connection test of ${c.name}`}
            >
              <td>
                <span className="mono">{c.name}</span>
                <br />
                <span className="muted">
                  context <span className="mono">{c.context}</span>
                </span>
              </td>
              <td className="mono">
                {c.server}
                {c.insecure_skip_tls_verify ? (
                  <>
                    <br />
                    <Badge tone="warn">TLS not verified</Badge>
                  </>
                ) : null}
              </td>
              <td>{authKindLabels[c.auth_kind]}</td>
              <td>{c.scope.description}</td>
              <td>
                <LastTest test={c.last_test} />
              </td>
              <td>
                {canWrite ? (
                  <RowActions>
                    <TestClusterButton
                      id={c.id}
                      name={c.name}
                      onResult={(r) => {
                        setResults((m) => ({ ...m, [c.id]: r }));
                        refresh();
                      }}
                    />
                    <Button
                      size="sm"
                      aria-label={`Edit ${c.name}`}
                      onClick={() => setOpen({ kind: "edit", cluster: c })}
                    >
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={`Delete ${c.name}`}
                      onClick={() => setOpen({ kind: "delete", cluster: c })}
                    >
                      Delete
                    </Button>
                  </RowActions>
                ) : null}
              </td>
            </Row>
          ))}
        </DataTable>
      )}
      {open?.kind === "create" ? (
        <ClusterDialog mode="create" clusters={clusters} onClose={close} onSaved={saved} />
      ) : null}
      {open?.kind === "edit" ? (
        <ClusterDialog mode="edit" existing={open.cluster} onClose={close} onSaved={saved} />
      ) : null}
      {open?.kind === "delete" ? (
        <DeleteClusterDialog cluster={open.cluster} onClose={close} onDeleted={saved} />
      ) : null}
    </div>
  );
}
