"use client";

import { RelativeTime } from "@/components/ui/relative-time";
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

export function AuditTable({ entries, caption }: { entries: AuditEntry[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className={styles.table}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-audit-id={e.id}>
              <td data-label="When" className={styles.when}>
                <RelativeTime iso={e.created_at} />
              </td>
              <td data-label="Actor" className={styles.breakable}>
                {e.actor}
              </td>
              <td data-label="Action" className="mono">
                {e.action}
              </td>
              <td data-label="Target" className={`mono ${styles.breakable}`}>
                {e.target}
              </td>
              <td data-label="Details">
                <Details details={e.details} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
