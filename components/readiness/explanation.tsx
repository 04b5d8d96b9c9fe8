"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { ImageReadiness, Reason, StuckPodReadiness, WorkloadReadiness } from "@/lib/readiness/schema";
import { SeverityIcon, VerdictBadge } from "./verdict";

const titles = {
  will_fail: "Why can't this pod pull?",
  unknown: "Can this pod pull?",
  ready: "Why this pod can pull",
} as const;

function summary(w: WorkloadReadiness): string {
  const failing = w.images.filter((i) => i.verdict === "will_fail").length;
  const unknown = w.images.filter((i) => i.verdict === "unknown").length;
  const of = `of ${w.images.length} image${w.images.length === 1 ? "" : "s"}`;
  if (w.verdict === "will_fail") return `${failing} ${of} will fail to pull. Fix what is marked as a problem below.`;
  if (w.verdict === "unknown")
    return `Regcred cannot tell yet for ${unknown} ${of}: nothing is known to be wrong, but something could not be established.`;
  return "Every image has its secret in the namespace, the pod carries it, and the credentials pull the repository.";
}

function ReasonItem({ reason }: { reason: Reason }) {
  return (
    <li data-reason={reason.code} data-severity={reason.severity}>
      <SeverityIcon severity={reason.severity} />
      <div style={{ minWidth: 0 }}>
        <span className="wrap-anywhere">{reason.text}</span>
        {reason.fix ? (
          <p className="reason-fix wrap-anywhere" data-severity={reason.severity} style={{ margin: "6px 0 0" }}>
            <strong>{reason.severity === "fail" ? "Fix: " : "What to do: "}</strong>
            {reason.severity === "fail" ? <strong>{reason.fix}</strong> : reason.fix}
          </p>
        ) : null}
      </div>
    </li>
  );
}

function ImageSection({ image }: { image: ImageReadiness }) {
  return (
    <section className="card stack" style={{ gap: 10, padding: 14 }} aria-label={`Image ${image.image}`}>
      <div className="stack" style={{ gap: 4 }}>
        <h3 className="mono wrap-anywhere" style={{ margin: 0, fontSize: 14 }}>
          {image.image}
        </h3>
        <span className="row" style={{ flexWrap: "wrap", gap: 8 }}>
          <VerdictBadge verdict={image.verdict} />
          <span className="muted" style={{ fontSize: 13 }}>
            {image.registry ? (
              <>
                registry <code>{image.registry}</code>
              </>
            ) : (
              "no registry of this org"
            )}
          </span>
        </span>
      </div>
      {image.reasons.length > 0 ? (
        <ol className="reason-list" aria-label={`What Regcred found for ${image.image}`}>
          {image.reasons.map((r, i) => (
            <ReasonItem key={`${r.code}-${i}`} reason={r} />
          ))}
        </ol>
      ) : (
        <p className="muted" style={{ margin: 0 }}>
          No reasons were given.
        </p>
      )}
    </section>
  );
}

function StuckPods({ pods, namespace }: { pods: StuckPodReadiness[]; namespace: string }) {
  return (
    <section className="stack" style={{ gap: 8 }} aria-label="Pods stuck pulling">
      <h3 style={{ margin: 0, fontSize: 15 }}>Pods stuck pulling now</h3>
      <ul className="reason-list">
        {pods.map((p) => (
          <li key={`${p.pod}/${p.container}`} data-stuck-pod={p.pod} data-explained={p.explained}>
            <SeverityIcon severity={p.explained ? "fail" : "unknown"} />
            <div className="wrap-anywhere" style={{ minWidth: 0 }}>
              Pod <code>{p.pod}</code>, container <code>{p.container}</code>: <strong>{p.reason}</strong> for{" "}
              <code>{p.image}</code>.{" "}
              {p.explained ? (
                "The verdict above explains it."
              ) : (
                <>
                  Regcred&apos;s checks do not explain it; its events say more:{" "}
                  <code>
                    kubectl -n {namespace} describe pod {p.pod}
                  </code>
                </>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The plain-language answer to "why can't this pod pull?": per image, the reasons in order, each failing one with its fix. */
export function Explanation({ workload: w, onClose }: { workload: WorkloadReadiness; onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      title={titles[w.verdict]}
      description={
        <>
          {w.kind} <strong className="wrap-anywhere">{`${w.namespace}/${w.name}`}</strong> in cluster{" "}
          <strong className="wrap-anywhere">{w.cluster}</strong>
        </>
      }
      footer={
        <Button onClick={onClose} autoFocus>
          Close
        </Button>
      }
    >
      <div className="row" style={{ flexWrap: "wrap", gap: 8 }}>
        <VerdictBadge verdict={w.verdict} />
        <span>{summary(w)}</span>
      </div>
      {/* Focused when the dialog opens: the arrow keys scroll it at once where the body scrolls (a phone). */}
      <section tabIndex={0} aria-label="What Regcred found" className="stack" style={{ gap: 14, borderRadius: 6 }}>
        {w.stuck_pods.length > 0 ? <StuckPods pods={w.stuck_pods} namespace={w.namespace} /> : null}
        {w.images.map((i) => (
          <ImageSection key={i.image} image={i} />
        ))}
      </section>
    </Dialog>
  );
}
