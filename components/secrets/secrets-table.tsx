"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { type Column, DataTable, Row } from "@/components/ui/table";
import type { SecretRow } from "@/lib/secrets/schema";
import { StatusBadge } from "./status-badge";
import { Age, Expiry } from "./times";

const shown = 3;
function ReferencesCell({ row }: { row: SecretRow }) {
  const refs = [
    ...row.references.service_accounts.map((n) => `ServiceAccount/${n}`),
    ...row.references.workloads.map((w) => `${w.kind}/${w.name}`),
  ];
  if (refs.length === 0) return <span className="muted">none</span>;
  return (
    <span className="mono" style={{ fontSize: 12 }}>
      {refs.slice(0, shown).map((r) => (
        <span key={r} style={{ display: "block" }}>
          {r}
        </span>
      ))}
      {refs.length > shown ? <span className="muted">+{refs.length - shown} more</span> : null}
    </span>
  );
}

function RegistryCell({ row }: { row: SecretRow }) {
  return (
    <span className="stack" style={{ gap: 2 }}>
      <span>
        {row.registry.id ? (
          <span
            className={row.managed ? "mono" : "mono muted"}
            title={row.managed ? undefined : "taken from the secret's name"}
          >
            {row.registry.id}
          </span>
        ) : (
          <span className="muted">unknown</span>
        )}
        {row.registry.id && !row.registry.exists && row.managed ? (
          <>
            {" "}
            <Badge tone="warn">deleted</Badge>
          </>
        ) : null}
      </span>
      {row.registry.hosts.length > 0 ? (
        <span className="muted mono" style={{ fontSize: 12 }}>
          {row.registry.hosts.join(", ")}
        </span>
      ) : null}
    </span>
  );
}

const columns: Column[] = [
  { label: "Namespace / cluster" },
  { label: "Name" },
  { label: "Registry" },
  { label: "Expires" },
  { label: "Status" },
  { label: "Age" },
  { label: "Referenced by" },
];

export function SecretsTable({ rows, onOpen }: { rows: SecretRow[]; onOpen: (row: SecretRow) => void }) {
  return (
    <DataTable caption={`Regcred secrets, ${rows.length} shown`} columns={columns}>
      {rows.map((row) => (
        <Row
          key={`${row.cluster_id}/${row.namespace}/${row.name}`}
          data-secret={`${row.cluster}/${row.namespace}/${row.name}`}
          data-status={row.status}
        >
          <td>
            <span className="mono">{row.namespace}</span>
            <br />
            <span className="muted mono" style={{ fontSize: 12 }}>
              {row.cluster}
            </span>
          </td>
          <td>
            <Button
              variant="link"
              className="mono"
              aria-label={`Details of ${row.namespace}/${row.name} in ${row.cluster}`}
              onClick={() => onOpen(row)}
            >
              {row.name}
            </Button>
          </td>
          <td>
            <RegistryCell row={row} />
          </td>
          <td className="nowrap">
            <Expiry iso={row.expires_at} />
          </td>
          <td>
            <StatusBadge status={row.status} reason={row.status_reason} />
          </td>
          <td className="nowrap">
            <Age iso={row.created_at} />
          </td>
          <td>
            <ReferencesCell row={row} />
          </td>
        </Row>
      ))}
    </DataTable>
  );
}
