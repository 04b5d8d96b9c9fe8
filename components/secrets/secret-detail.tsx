"use client";

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Dialog } from "@/components/ui/dialog";
import type { SecretRow } from "@/lib/secrets/schema";
import { StatusBadge } from "./status-badge";
import { Age, Expiry } from "./times";
import { Button } from "@/components/ui/button";

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="muted" style={{ fontSize: 13 }}>
        {term}
      </dt>
      <dd style={{ margin: 0 }}>{children}</dd>
    </>
  );
}

function References({ row }: { row: SecretRow }) {
  const { service_accounts: sas, workloads } = row.references;
  if (sas.length === 0 && workloads.length === 0)
    return <span className="muted">Nothing in this namespace references it.</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }} aria-label="References">
      {sas.map((name) => (
        <li key={`sa/${name}`}>
          ServiceAccount <code>{name}</code>
        </li>
      ))}
      {workloads.map((w) => (
        <li key={`${w.kind}/${w.name}`}>
          {w.kind} <code>{w.name}</code>
        </li>
      ))}
    </ul>
  );
}

/** Everything the view knows about one secret: no credential, only the hosts in its `auths`. */
export function SecretDetail({ row, onClose }: { row: SecretRow; onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      title={`${row.namespace}/${row.name}`}
      description={
        <>
          in cluster <strong>{row.cluster}</strong>
        </>
      }
      footer={
        <Button onClick={onClose} autoFocus>
          Close
        </Button>
      }
    >
      <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "8px 16px", margin: 0 }}>
        <Item term="Status">
          <span className="stack" style={{ gap: 4 }}>
            <StatusBadge status={row.status} />
            <span>{row.status_reason}</span>
          </span>
        </Item>
        <Item term="Managed">
          {row.managed ? (
            "Yes: Regcred keeps it up to date"
          ) : (
            <>
              No: <Badge>not managed</Badge> Regcred never changes or removes it
            </>
          )}
        </Item>
        <Item term="Type">
          <code>{row.type}</code>
        </Item>
        <Item term="Registry">
          {row.registry.id ? <code>{row.registry.id}</code> : <span className="muted">unknown</span>}
          {row.registry.id && !row.registry.exists ? (
            <>
              {" "}
              <Badge tone="warn">not in this org</Badge>
            </>
          ) : null}
        </Item>
        <Item term="Hosts in auths">
          {row.registry.hosts.length > 0 ? (
            row.registry.hosts.map((h) => (
              <code key={h} style={{ marginRight: 8 }}>
                {h}
              </code>
            ))
          ) : (
            <span className="muted">none readable</span>
          )}
        </Item>
        <Item term="Expires">
          <Expiry iso={row.expires_at} />
        </Item>
        <Item term="Age">
          <Age iso={row.created_at} />
        </Item>
        <Item term="Referenced by">
          <References row={row} />
        </Item>
        <Item term="Labels">
          {Object.keys(row.labels).length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul style={{ margin: 0, paddingLeft: 18 }} className="mono">
              {Object.entries(row.labels).map(([k, v]) => (
                <li key={k} style={{ wordBreak: "break-all" }}>
                  {k}={v}
                </li>
              ))}
            </ul>
          )}
        </Item>
        {row.notes.length > 0 ? (
          <Item term="Notes">
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {row.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </Item>
        ) : null}
      </dl>
      <p className="muted" style={{ margin: 0, fontSize: 13 }}>
        Inspect it with{" "}
        <code>
          kubectl -n {row.namespace} get secret {row.name} --show-labels
        </code>
      </p>
    </Dialog>
  );
}
