"use client";

import { lazy, Suspense, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { type Column, DataTable, Row, RowActions } from "@/components/ui/table";
import { useReloadable } from "@/components/ui/use-reloadable";
import type { CheckResult } from "@/lib/credential-checks/types";
import { listRegistriesAction } from "@/lib/registries/actions";
import { unwrap } from "@/lib/result";
import type { RegistryFormValues } from "@/lib/registries/form";
import type { RegistryView } from "@/lib/registries/repo";
import { ImageResolver } from "./image-resolver";
import { TestRowButton } from "./test-row-button";
import { TypeLabel } from "./type-icon";

// Not needed for the first paint: loaded when a dialog opens or a test result is shown.
const RegistryDialog = lazy(() => import("./registry-dialog").then((m) => ({ default: m.RegistryDialog })));
const DeleteRegistryDialog = lazy(() => import("./delete-dialog").then((m) => ({ default: m.DeleteRegistryDialog })));
const TestUnsaved = lazy(() => import("./test-credentials").then((m) => ({ default: m.TestUnsaved })));
const CheckResultView = lazy(() => import("./check-result").then((m) => ({ default: m.CheckResultView })));

// Its own boundary: while its code loads, the dialog around it stays as it is.
const testUnsaved = (values: RegistryFormValues) => (
  <Suspense fallback={null}>
    <TestUnsaved values={values} />
  </Suspense>
);

type Props = { orgId: string; canWrite: boolean; initial: RegistryView[] };
const columns: Column[] = [
  { label: "ID" },
  { label: "URL" },
  { label: "Type" },
  { label: "CI" },
  { label: "Created" },
  { label: "Last credential test" },
  { label: "Actions", hideLabel: true },
];

type Open = { kind: "create" } | { kind: "edit"; registry: RegistryView } | { kind: "delete"; id: string } | null;

function LastCheck({ check }: { check: RegistryView["lastCheck"] }) {
  if (!check) return <span className="muted">Not tested yet</span>;
  const tone = check.status === "valid" ? "ok" : check.status === "invalid" ? "bad" : "warn";
  return (
    <span className="row" style={{ flexWrap: "wrap" }}>
      <Badge tone={tone} title={check.summary}>
        {check.status}
      </Badge>
      <span className="muted">
        <RelativeTime iso={check.checkedAt} />
      </span>
    </span>
  );
}

export function RegistriesScreen({ orgId, canWrite, initial }: Props) {
  const [open, setOpen] = useState<Open>(null);
  const [results, setResults] = useState<Record<string, CheckResult>>({});
  const { data: registries, reload: refresh } = useReloadable(initial, async () =>
    unwrap(await listRegistriesAction()),
  );
  const close = () => setOpen(null);
  const saved = () => {
    close();
    void refresh();
  };

  return (
    <div className="stack">
      <header className="page-head">
        <div>
          <h1>Registries</h1>
          <p>Where your images live, and the credentials Regcred hands to the workloads that pull them.</p>
        </div>
        {canWrite ? (
          <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
            Add registry
          </Button>
        ) : null}
      </header>
      {registries.length === 0 ? (
        <EmptyState
          title="No registries yet"
          action={
            canWrite ? (
              <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
                Add your first registry
              </Button>
            ) : undefined
          }
        >
          A registry tells Regcred where private images come from (ECR, Docker Hub, GCR, ACR, Harbor…) and which
          credentials pull them. Regcred then writes a <code>regcred-&lt;id&gt;</code> pull secret into every namespace
          whose workloads use those images.
        </EmptyState>
      ) : (
        <DataTable caption={`Registries in org ${orgId}`} columns={columns}>
          {registries.map((r) => (
            <Row
              key={r.id}
              data-registry-id={r.id}
              // Only while it is the row's last test: an edit that resets the test hides it.
              expanded={
                results[r.id] && r.lastCheck && r.lastCheck.checkedAt >= results[r.id]!.checkedAt ? (
                  <Suspense fallback={null}>
                    <CheckResultView result={results[r.id]!} />
                  </Suspense>
                ) : null
              }
              expandedLabel={`Credential test of ${r.id}`}
            >
              <td className="mono nowrap">{r.id}</td>
              <td className="mono">{r.registry}</td>
              <td>
                <TypeLabel type={r.type} />
              </td>
              <td>{r.enableCi ? <Badge tone="ok">available</Badge> : <span className="muted">off</span>}</td>
              <td>
                <RelativeTime iso={r.createdAt} />
                <br />
                <span className="muted">by {r.createdBy}</span>
              </td>
              <td>
                <LastCheck check={r.lastCheck} />
              </td>
              <td>
                {canWrite ? (
                  <RowActions>
                    <TestRowButton
                      id={r.id}
                      registry={r.registry}
                      onResult={(result) => {
                        setResults((m) => ({ ...m, [r.id]: result }));
                        void refresh();
                      }}
                    />
                    <Button
                      size="sm"
                      aria-label={`Edit ${r.id}`}
                      onClick={() => setOpen({ kind: "edit", registry: r })}
                    >
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={`Delete ${r.id}`}
                      onClick={() => setOpen({ kind: "delete", id: r.id })}
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
      <ImageResolver registries={registries} />
      <Suspense fallback={null}>
        {open?.kind === "create" ? (
          <RegistryDialog mode="create" onClose={close} onSaved={saved} extra={testUnsaved} />
        ) : null}
        {open?.kind === "edit" ? (
          <RegistryDialog mode="edit" existing={open.registry} onClose={close} onSaved={saved} extra={testUnsaved} />
        ) : null}
        {open?.kind === "delete" ? <DeleteRegistryDialog id={open.id} onClose={close} onDeleted={saved} /> : null}
      </Suspense>
    </div>
  );
}
