"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { type Column, DataTable, Row } from "@/components/ui/table";
import { verdictLabels, type WorkloadReadiness } from "@/lib/readiness/schema";
import { SeverityIcon, VerdictBadge } from "./verdict";

const columns: Column[] = [
  { label: "Workload" },
  { label: "Namespace / cluster" },
  { label: "Verdict" },
  { label: "Images" },
];

const shown = 3;
/** Rows rendered at first and added per "Show more": a page of thousands of rows helps nobody (will_fail sorts first). */
export const ROWS_PER_PAGE = 100;
const severityOf = { ready: "ok", will_fail: "fail", unknown: "unknown" } as const;

export const workloadKey = (w: WorkloadReadiness) => `${w.cluster}/${w.namespace}/${w.kind}/${w.name}`;

/** "Explain Deployment shop/api in prod": the accessible name of a workload's explanation button. */
export const explainLabel = (w: WorkloadReadiness) => `Explain ${w.kind} ${w.namespace}/${w.name} in ${w.cluster}`;

function Images({ w }: { w: WorkloadReadiness }) {
  if (w.images.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="stack" style={{ gap: 4, listStyle: "none", margin: 0, padding: 0 }}>
      {w.images.slice(0, shown).map((i) => (
        <li key={i.image} className="row" style={{ gap: 6, alignItems: "start", flexWrap: "nowrap" }}>
          <SeverityIcon severity={severityOf[i.verdict]} />
          <span className="mono wrap-anywhere" style={{ fontSize: 12, minWidth: 0 }}>
            {i.image}
            <span className="sr-only"> ({verdictLabels[i.verdict]})</span>
          </span>
        </li>
      ))}
      {w.images.length > shown ? <li className="muted">+{w.images.length - shown} more</li> : null}
    </ul>
  );
}

export function WorkloadsTable({
  workloads,
  onOpen,
}: {
  workloads: WorkloadReadiness[];
  onOpen: (w: WorkloadReadiness) => void;
}) {
  const [limit, setLimit] = useState(ROWS_PER_PAGE);
  const rows = workloads.slice(0, limit);
  const rest = workloads.length - rows.length;
  return (
    <div className="stack" style={{ gap: 8 }}>
      <DataTable
        caption={`Workloads and whether they can pull their images, ${rows.length} of ${workloads.length} shown`}
        columns={columns}
      >
        {rows.map((w) => (
          <Row key={workloadKey(w)} data-workload={workloadKey(w)} data-verdict={w.verdict}>
            <td>
              <span className="muted" style={{ fontSize: 12 }}>
                {w.kind}
              </span>
              <br />
              <Button
                variant="link"
                className="mono wrap-anywhere"
                aria-label={explainLabel(w)}
                aria-haspopup="dialog"
                onClick={() => onOpen(w)}
                style={{ textAlign: "start" }}
              >
                {w.name}
              </Button>
            </td>
            <td>
              <span className="mono wrap-anywhere">{w.namespace}</span>
              <br />
              <span className="muted mono wrap-anywhere" style={{ fontSize: 12 }}>
                {w.cluster}
              </span>
            </td>
            <td>
              <span className="stack" style={{ gap: 4 }}>
                <VerdictBadge verdict={w.verdict} />
                {w.stuck_pods.length > 0 ? (
                  <span style={{ color: "var(--danger)", fontSize: 13 }}>
                    {w.stuck_pods.length} pod{w.stuck_pods.length === 1 ? "" : "s"} stuck pulling
                  </span>
                ) : null}
              </span>
            </td>
            <td>
              <Images w={w} />
            </td>
          </Row>
        ))}
      </DataTable>
      {rest > 0 ? (
        <div className="row" style={{ flexWrap: "wrap" }}>
          <span className="muted">
            {rows.length} of {workloads.length} workloads shown; filter by cluster, namespace or verdict to narrow them.
          </span>
          <Button size="sm" onClick={() => setLimit((n) => n + ROWS_PER_PAGE)}>
            Show {Math.min(rest, ROWS_PER_PAGE)} more
          </Button>
        </div>
      ) : null}
    </div>
  );
}
