"use client";

import { lazy, Suspense, useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Spinner } from "@/components/ui/spinner";
import { testRegistryAction } from "@/lib/credential-checks/actions";
import type { CheckResult } from "@/lib/credential-checks/types";
import { hasHostGlob } from "@/lib/images/registry-host";
import type { ActionResult } from "@/lib/result";

const TestHostDialog = lazy(() => import("./test-host-dialog").then((m) => ({ default: m.TestHostDialog })));

/** A short toast: the result panel under the row carries the summary and what to check. */
function announce(label: string, result: CheckResult): void {
  const text = `Credential test of ${label}: ${result.status}`;
  if (result.status === "valid") toast.success(text);
  else if (result.status === "unsupported") toast.info(text);
  else toast.error(text);
}

/** Row button: checks the stored credentials on the server; the caller shows the result. A glob asks for a host first. */
export function TestRowButton({
  id,
  registry,
  onResult,
}: {
  id: string;
  registry?: string;
  onResult: (r: CheckResult) => void;
}) {
  const [pending, start] = useTransition();
  const [asking, setAsking] = useState<{ host: string; error?: string } | null>(null);
  const finish = (res: ActionResult<CheckResult>, testHost?: string): void => {
    if (res.ok) {
      setAsking(null);
      announce(id, res.data);
      onResult(res.data);
    } else if (res.error.fields?.test_host) {
      setAsking({ host: testHost ?? "", error: res.error.fields.test_host });
    } else {
      toast.error(res.error.message);
    }
  };
  const run = (testHost?: string) => start(async () => finish(await testRegistryAction(id, testHost), testHost));
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        aria-label={`Test credentials of ${id}`}
        disabled={pending}
        onClick={() => (registry && hasHostGlob(registry) ? setAsking({ host: "" }) : run())}
      >
        {pending && !asking ? <Spinner label={`Testing ${id}`} /> : null}
        {pending && !asking ? "Testing…" : "Test"}
      </button>
      {asking ? (
        <Suspense fallback={null}>
          <TestHostDialog
            id={id}
            registry={registry ?? id}
            host={asking.host}
            error={asking.error}
            pending={pending}
            onHost={(host) => setAsking({ host })}
            onTest={() => run(asking.host.trim())}
            onClose={() => setAsking(null)}
          />
        </Suspense>
      ) : null}
    </>
  );
}
