"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { Spinner } from "@/components/ui/spinner";
import { testRegistryAction, testUnsavedRegistryAction } from "@/lib/credential-checks/actions";
import type { CheckResult } from "@/lib/credential-checks/types";
import { toRequestBody, type RegistryFormValues } from "@/lib/registries/form";
import { CheckResultView } from "./check-result";

/** A short toast: the result panel under the row carries the summary and what to check. */
function announce(label: string, result: CheckResult): void {
  const text = `Credential test of ${label}: ${result.status}`;
  if (result.status === "valid") toast.success(text);
  else if (result.status === "unsupported") toast.info(text);
  else toast.error(text);
}

/** Row button: checks the stored credentials on the server; the caller shows the result. */
export function TestRowButton({ id, onResult }: { id: string; onResult: (r: CheckResult) => void }) {
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      className="btn btn-sm"
      aria-label={`Test credentials of ${id}`}
      disabled={pending}
      onClick={() =>
        start(async () => {
          const res = await testRegistryAction(id);
          if (!res.ok) return void toast.error(res.error.message);
          announce(id, res.data);
          onResult(res.data);
        })
      }
    >
      {pending ? <Spinner label={`Testing ${id}`} /> : null}
      {pending ? "Testing…" : "Test"}
    </button>
  );
}

/**
 * Dialog section: checks what is typed, before saving. The result is scrolled into view inside the dialog,
 * and goes away once a field it was tested with changes.
 */
export function TestUnsaved({ values }: { values: RegistryFormValues }) {
  const [pending, start] = useTransition();
  const [tested, setTested] = useState<{ body: string; result: CheckResult } | null>(null);
  const body = JSON.stringify(toRequestBody(values));
  const result = tested?.body === body ? tested.result : null;
  const shown = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (tested) shown.current?.scrollIntoView({ block: "nearest" });
  }, [tested]);
  return (
    <div className="stack" style={{ gap: 8 }}>
      <button
        type="button"
        className="btn"
        style={{ justifySelf: "start" }}
        disabled={pending || !values.registry.trim()}
        onClick={() =>
          start(async () => {
            setTested(null);
            const res = await testUnsavedRegistryAction(JSON.parse(body));
            if (!res.ok) return void toast.error(res.error.message);
            setTested({ body, result: res.data });
          })
        }
      >
        {pending ? <Spinner label="Testing credentials" /> : null}
        {pending ? "Testing credentials…" : "Test credentials"}
      </button>
      {result ? <CheckResultView result={result} ref={shown} /> : null}
    </div>
  );
}
