"use client";

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
  return (
    <DataTable
      caption={`Workloads and whether they can pull their images, ${workloads.length} shown`}
      columns={columns}
    >
      {workloads.map((w) => (
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
  );
}
