"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Spinner } from "@/components/ui/spinner";
import { testRegistryAction, testUnsavedRegistryAction } from "@/lib/credential-checks/actions";
import type { CheckResult } from "@/lib/credential-checks/types";
import { toRequestBody, type RegistryFormValues } from "@/lib/registries/form";
import { CheckResultView } from "./check-result";

function announce(label: string, result: CheckResult): void {
  const text = `${label}: ${result.status} — ${result.summary}`;
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

/** Dialog section: checks what is typed, before saving. */
export function TestUnsaved({ values }: { values: RegistryFormValues }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<CheckResult | null>(null);
  return (
    <div className="stack" style={{ gap: 8 }}>
      <button
        type="button"
        className="btn"
        style={{ justifySelf: "start" }}
        disabled={pending || !values.registry.trim()}
        onClick={() =>
          start(async () => {
            setResult(null);
            const res = await testUnsavedRegistryAction(toRequestBody(values));
            if (!res.ok) return void toast.error(res.error.message);
            setResult(res.data);
          })
        }
      >
        {pending ? <Spinner label="Testing credentials" /> : null}
        {pending ? "Testing credentials…" : "Test credentials"}
      </button>
      {result ? <CheckResultView result={result} /> : null}
    </div>
  );
}
