"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { recheckReadinessAction } from "@/lib/readiness/actions";
import { readinessKeys } from "@/lib/readiness/queries";
import type { RecheckResult } from "@/lib/readiness/schema";

const outcomeLabels: Record<string, string> = {
  ok: "ok",
  wrong_credentials: "wrong credentials",
  no_access: "no access",
  denied: "denied",
  not_found: "not found",
  unreachable: "unreachable",
  error: "failed",
  deferred: "deferred to the next scheduled check",
};
const outcomeOrder = Object.keys(outcomeLabels);
const rankOf = (k: string) => (outcomeOrder.includes(k) ? outcomeOrder.indexOf(k) : outcomeOrder.length);

/** "12 repositories checked: 10 ok, 2 not found". */
export function describeRecheck(r: RecheckResult): string {
  const parts = Object.entries(r.outcomes)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rankOf(a) - rankOf(b))
    .map(([k, n]) => `${n} ${outcomeLabels[k] ?? k.replace(/_/g, " ")}`);
  if (r.checked === 0 && parts.length === 0)
    return "No repositories to check: no workload pulls from a registry of this org.";
  const head = `${r.checked} ${r.checked === 1 ? "repository" : "repositories"} checked`;
  return parts.length > 0 ? `${head}: ${parts.join(", ")}` : head;
}

/** Runs the org's repository checks now (managers and admins only: the page does not render it for viewers). */
export function RecheckButton({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const [running, setRunning] = useState(false);
  const recheck = async () => {
    if (running) return;
    setRunning(true);
    try {
      const result = await recheckReadinessAction();
      if (!result.ok) return void toast.error(`Re-check failed: ${result.error.message}`);
      toast.success(describeRecheck(result.data));
      await queryClient.invalidateQueries({ queryKey: readinessKeys.all(orgId) });
    } catch {
      toast.error("Re-check failed: the server could not be reached.");
    } finally {
      setRunning(false);
    }
  };
  // aria-disabled, not disabled: a disabled button drops keyboard focus while the checks run.
  return (
    <>
      <Button variant="primary" onClick={() => void recheck()} aria-disabled={running} aria-busy={running}>
        {running ? (
          <>
            <span className="spinner" aria-hidden="true" /> Re-checking…
          </>
        ) : (
          "Re-check"
        )}
      </Button>
      <span role="status" className="sr-only">
        {running ? "Re-checking the repositories…" : ""}
      </span>
    </>
  );
}
