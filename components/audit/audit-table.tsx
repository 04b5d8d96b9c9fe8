"use client";

import { RelativeTime } from "@/components/ui/relative-time";
import { type Column, DataTable, Row } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/audit/schema";
import styles from "./audit.module.css";

function Details({ details }: { details: AuditEntry["details"] }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <span className={`mono ${styles.details}`}>
      {entries.map(([key, value]) => (
        <span key={key} style={{ display: "block" }}>
          {key}={String(value)}
        </span>
      ))}
    </span>
  );
}

const columns: Column[] = [
  { label: "When" },
  { label: "Actor" },
  { label: "Action" },
  { label: "Target" },
  { label: "Details" },
];

export function AuditTable({ entries, caption }: { entries: AuditEntry[]; caption: string }) {
  return (
    <DataTable caption={caption} columns={columns}>
      {entries.map((e) => (
        <Row key={e.id} data-audit-id={e.id}>
          <td className="nowrap">
            <RelativeTime iso={e.created_at} />
          </td>
          <td className={styles.breakable}>{e.actor}</td>
          <td className="mono">{e.action}</td>
          <td className={`mono ${styles.breakable}`}>{e.target}</td>
          <td>
            <Details details={e.details} />
          </td>
        </Row>
      ))}
    </DataTable>
  );
}
